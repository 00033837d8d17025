// The HTTP listener: reads each request (bounded), answers /health, test mode's reset, console
// sign-in (POST /signin), and hands everything else to the AWS dispatcher. One structured log
// line per request, never a secret.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Dispatcher } from '../api/dispatch.ts';
import type { SigninService } from '../authn/signin.ts';
import type { AuditRecorder } from '../audit/recorder.ts';

/** AWS's query APIs accept at most a few hundred KB; policies are at most 131,072 characters. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A sign-in request is a few short fields. */
const MAX_SIGNIN_BYTES = 16 * 1024;

export interface HttpOptions {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Set in test mode: POST /_gatehouse/reset returns the account to its bootstrap state. */
  reset?: () => Promise<void>;
  /** POST /signin: console sign-in with a password (and MFA code). */
  signin?: SigninService;
  /** Records sign-in attempts as ConsoleLogin events. */
  audit?: AuditRecorder;
}

function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Answers are written at the end of the event loop's turn: the requests that arrived together
// are answered together, so that a busy server wakes a waiting client once per turn rather than
// once per answer (on a VM, waking a sleeping CPU costs more than writing the answer). Deferring
// `end` itself: it uncorks the socket fully, whatever cork() was asked before it.
type Answer = [res: ServerResponse, status: number, headers: Record<string, string | number>, body: string];
let answers: Answer[] = [];

function writeAnswers(): void {
  const due = answers;
  answers = [];
  for (const [res, status, headers, body] of due) {
    res.writeHead(status, headers);
    res.end(body);
  }
}

/** Set on a response once answered (perhaps not yet written): a request gets one answer, the first given. */
const ANSWERED = Symbol('answered');

function send(res: ServerResponse, status: number, text: string, contentType = 'text/xml', requestId?: string): void {
  // The body stays text: Node then writes the head and the body as one string, in one write,
  // where a Buffer body goes as a second chunk (writev) after a copy of its own.
  const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': Buffer.byteLength(text, 'utf8') };
  if (requestId) headers['x-amzn-requestid'] = requestId;
  const marked = res as ServerResponse & { [ANSWERED]?: true };
  if (marked[ANSWERED]) return;
  marked[ANSWERED] = true;
  if (answers.push([res, status, headers, text]) === 1) setImmediate(writeAnswers);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A sign-in, recorded: a success's ConsoleLogin event commits with its session, a failure's after. */
async function signIn(options: HttpOptions, body: Buffer, sourceIp: string, userAgent: string | undefined) {
  const signin = options.signin!;
  const audit = options.audit;
  if (audit === undefined) return signin.handle(body, sourceIp);
  const scope = audit.begin('signin', undefined, sourceIp, userAgent);
  scope.armed = true;
  try {
    const answer = await signin.handle(body, sourceIp, scope);
    const error = (answer.body as { Error?: { Code?: string; Message?: string } }).Error;
    audit.finishSignin(scope, body, { status: answer.status, errorCode: error?.Code, errorMessage: error?.Message });
    return answer;
  } catch (err) {
    audit.finishSignin(scope, body, { status: 500, errorCode: 'InternalFailure', errorMessage: 'An internal error has occurred' });
    throw err;
  }
}

export function createHttpServer(options: HttpOptions): Server {
  const { dispatcher, logger } = options;
  return createServer(async (req, res) => {
    const started = performance.now();
    const url = req.url ?? '/';
    try {
      if (req.method === 'GET' && url === '/health') return send(res, 200, '{"status":"ok"}', 'application/json');
      if (req.method === 'POST' && url === '/_gatehouse/reset' && options.reset) {
        await options.reset();
        logger.info({ path: url }, 'account reset to its bootstrap state');
        return send(res, 200, '{"reset":true}', 'application/json');
      }
      if (req.method === 'POST' && url === '/signin' && options.signin) {
        const body = await readBody(req, MAX_SIGNIN_BYTES);
        if (body === undefined) return send(res, 413, '{"Error":{"Code":"RequestEntityTooLarge","Message":"Request body too large."}}', 'application/json');
        const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0';
        const answer = await signIn(options, body, sourceIp, headerOf(req, 'user-agent'));
        const text = Buffer.from(JSON.stringify(answer.body), 'utf8');
        res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': text.length, 'cache-control': 'no-store', ...answer.headers });
        res.end(text);
        logger.info({ path: url, ...answer.log, status: answer.status, ms: Number((performance.now() - started).toFixed(2)) }, 'sign-in');
        return;
      }
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, '<ErrorResponse><Error><Type>Sender</Type><Code>RequestEntityTooLarge</Code><Message>Request body too large.</Message></Error></ErrorResponse>');
      const answer = await dispatcher.handle({
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0',
        secure: false,
      });
      send(res, answer.status, answer.body, answer.contentType ?? 'text/xml', answer.requestId);
      const { internal } = answer;
      if (internal === undefined && !logger.isLevelEnabled('info')) return; // the line would be dropped: do not build it
      const line = { requestId: answer.requestId, ...answer.log, status: answer.status, ms: Number((performance.now() - started).toFixed(2)) };
      if (internal !== undefined) logger.error({ ...line, err: internal }, 'request failed inside Gatehouse');
      else logger.info(line, 'request');
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.stack : String(err), path: url }, 'request failed');
      send(res, 500, '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>The request processing has failed because of an unknown error, exception or failure.</Message></Error></ErrorResponse>');
    }
  });
}
