// The HTTP listener: finds each request's route in the route table, reads its body within the
// route's limit, runs it through the pipeline (server/pipeline.ts) and writes the answer. One
// structured log line per request, never a secret.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AuditRecorder } from '../audit/recorder.ts';
import { AwsError } from '../model/errors.ts';
import type { IdSource } from '../model/ids.ts';
import type { HttpAnswer, HttpRequest } from '../protocol/http.ts';
import { runRoute } from './pipeline.ts';
import type { Route, RouteEntry } from './route.ts';
import type { SourceAddresses } from './source-address.ts';

export interface HttpOptions {
  routes: readonly RouteEntry[];
  sources: SourceAddresses;
  audit: AuditRecorder;
  ids: IdSource;
  logger: Logger;
}

/** What a body over its route's limit is answered with (in the route's format), before the connection closes. */
const tooLarge = () => new AwsError('RequestEntityTooLarge', 'Request body too large.', 413);
/** How much of an oversized body is read and dropped, so the client reads the 413 instead of a reset connection. */
const DRAIN_BYTES = 8 * 1024 * 1024;
const DRAIN_MS = 2000;

/** The body, or undefined when it is larger than `limit` (the rest is then drained, within bounds). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Over the limit: answer at once, keep no more of it, and drain a bounded amount more so
      // that closing the connection does not reset it under the client's feet.
      req.off('data', onData);
      chunks.length = 0;
      resolve(undefined);
      drain(req, size);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function drain(req: IncomingMessage, seen: number): void {
  let drained = seen;
  const stop = setTimeout(() => req.destroy(), DRAIN_MS);
  stop.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.destroy();
  });
  req.on('end', () => clearTimeout(stop));
  req.on('close', () => clearTimeout(stop));
}

function pathOf(url: string): string {
  const qmark = url.indexOf('?');
  return qmark < 0 ? url : url.slice(0, qmark);
}

function routeFor(routes: readonly RouteEntry[], method: string, path: string): Route {
  for (const entry of routes) {
    if ((entry.method === undefined || entry.method === method) && (entry.path === undefined || entry.path === path)) return entry.route;
  }
  throw new Error('the route table has no fallback route');
}

/**
 * Answers are written at the end of the event loop's turn: the requests that arrived together
 * are answered together, so that a busy server wakes a waiting client once per turn rather than
 * once per answer (on a VM, waking a sleeping CPU costs more than writing the answer). Deferring
 * `end` itself: it uncorks the socket fully, whatever cork() was asked before it. One queue per
 * server: nothing of a request is kept at module level.
 */
class AnswerQueue {
  #due: [ServerResponse, number, Record<string, string | number>, string][] = [];
  readonly #write = () => {
    const due = this.#due;
    this.#due = [];
    for (const [res, status, headers, body] of due) {
      res.writeHead(status, headers);
      res.end(body);
    }
  };

  send(res: ServerResponse, answer: HttpAnswer, close: boolean): void {
    // The body stays text: Node then writes the head and the body as one string, in one write,
    // where a Buffer body goes as a second chunk (writev) after a copy of its own.
    const headers: Record<string, string | number> = { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body, 'utf8') };
    if (answer.requestId !== undefined) headers['x-amzn-requestid'] = answer.requestId;
    if (answer.headers !== undefined) for (const name in answer.headers) headers[name] = answer.headers[name]!;
    if (close) headers.connection = 'close';
    if (this.#due.push([res, answer.status, headers, answer.body]) === 1) setImmediate(this.#write);
  }
}

export function createHttpServer(options: HttpOptions): Server {
  const { routes, sources, audit, ids, logger } = options;
  const answers = new AnswerQueue();
  return createServer(async (req, res) => {
    const started = performance.now();
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const route = routeFor(routes, method, pathOf(url));
    const requestId = ids.requestId();
    const request: HttpRequest = {
      method,
      url,
      headers: req.headers,
      body: EMPTY,
      sourceIp: sources.of(req.socket.remoteAddress, req.headers['x-forwarded-for']),
      secure: false,
    };
    let answer: HttpAnswer;
    let close = false;
    try {
      const body = await readBody(req, route.maxBodyBytes);
      close = body === undefined;
      if (body !== undefined) request.body = body;
      answer = await runRoute(route, request, requestId, audit, close ? tooLarge() : undefined);
    } catch (err) {
      // Only reading the request can fail here (the pipeline answers every failure of its own):
      // mostly a client that went away, which is no failure of Gatehouse's.
      if (req.destroyed || res.destroyed) {
        logger.info({ requestId, route: route.name, reason: err instanceof Error ? err.message : String(err) }, 'client went away');
        return;
      }
      answer = route.encodeError(err, request, requestId, undefined);
      answer.internal = err instanceof Error ? err.stack : String(err);
    }
    answers.send(res, answer, close);
    const { internal } = answer;
    if (internal === undefined && !logger.isLevelEnabled('info')) return; // the line would be dropped: do not build it
    const line = { requestId, route: route.name, ...answer.log, status: answer.status, ms: Number((performance.now() - started).toFixed(2)) };
    if (internal !== undefined) logger.error({ ...line, err: internal }, 'request failed inside Gatehouse');
    else logger.info(line, 'request');
  });
}

const EMPTY = Buffer.alloc(0);
