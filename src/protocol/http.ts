// An HTTP exchange as every route sees it (server/pipeline.ts): the request read whole, within
// its route's limit, and the answer to write. Bodies are text: Node writes a head and a string
// body in one write, where a Buffer body costs a second.

export interface HttpRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The client's address: the socket's (IPv4-mapped IPv6 addresses written as IPv4). */
  sourceIp: string;
  secure: boolean;
}

/** What the request log line says about a request, besides its status and time. Never a secret. */
export interface RequestLog {
  service?: string;
  action?: string;
  principal?: string;
  accessKeyId?: string;
  errorCode?: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
  /** Sent as x-amzn-RequestId. */
  requestId?: string;
  /** Headers beyond content-type, content-length and the request id (Retry-After, Cache-Control, …). */
  headers?: Record<string, string>;
  log: RequestLog;
  /** A failure inside Gatehouse (not an AWS error): its stack, for the log only, never the wire. */
  internal?: string;
}

export function headerOf(req: Pick<HttpRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
