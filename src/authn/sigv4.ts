// AWS Signature Version 4 verification, Authorization header and presigned query, answering
// failures with the codes and messages AWS uses. The canonical request follows AWS's
// "Create a canonical request for Signature Version 4" exactly; nothing here touches the store:
// the caller passes a lookup over its in-memory view of access keys.
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../model/sha256.ts';
import { HmacSha256Key } from './hmac-sha256.ts';
import { isScopeRegionValid, partitionOf, type Partition } from './regions.ts';
import { AwsError, MESSAGES, incompleteSignature, invalidClientTokenId, missingAuthenticationToken,
  requestExpired, signatureDoesNotMatch } from '../model/errors.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_EXPIRES_S = 604800;

export interface SigV4Request {
  readonly method: string;
  /** The raw path as received, without the query. */
  readonly path: string;
  /** The raw query string, without the leading '?'. */
  readonly query: string;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface SigningCredential {
  readonly secret: string;
}

export interface SigV4Result<C extends SigningCredential> {
  readonly accessKeyId: string;
  /** What the lookup returned for the access key. */
  readonly credential: C;
  readonly region: string;
  readonly service: string;
  /** The request time the client signed (X-Amz-Date). */
  readonly date: Date;
  readonly signedHeaders: readonly string[];
  /** X-Amz-Security-Token, when the request carries one; the caller checks it belongs to the key. */
  readonly securityToken?: string;
  readonly presigned: boolean;
}

export interface SigV4Options {
  /** Services a credential scope may name. Default: iam and sts. */
  readonly services?: readonly string[];
  /**
   * Serve only this partition: a scope naming a region of another is refused as an invalid
   * region. Default: every partition, the one of the scope's region (regions.ts).
   */
  readonly partition?: Partition;
  /**
   * Honour `x-amz-content-sha256: UNSIGNED-PAYLOAD` (the body is then not covered by the
   * signature). Only for S3-style proxying, which nothing enables yet: for every service
   * Gatehouse answers itself the payload hash is always the hash of the body received.
   */
  readonly allowUnsignedPayload?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Canonical request pieces

/** RFC 3986 encoding of everything but the unreserved characters A-Z a-z 0-9 - _ . ~ */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Path normalised (no empty, '.' or '..' segments) and each segment URI-encoded again. */
export function canonicalUri(path: string): string {
  if (path === '/') return '/'; // every query-protocol request
  const segments: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

export function parseQuery(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (query === '') return out;
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const k = eq < 0 ? piece : piece.slice(0, eq);
    const v = eq < 0 ? '' : piece.slice(eq + 1);
    out.push([safeDecode(k), safeDecode(v)]);
  }
  return out;
}

export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>, exclude?: string): string {
  if (pairs.length === 0) return '';
  const encoded: Array<[string, string]> = [];
  for (const [k, v] of pairs) if (k !== exclude) encoded.push([uriEncode(k), uriEncode(v)]);
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Whitespace other than a lone space: the only case where folding runs to one space changes anything. */
const FOLDABLE = /[^\S ]|\s\s/;

function canonicalHeaderValue(v: string | undefined): string {
  const t = (v ?? '').trim();
  return FOLDABLE.test(t) ? t.replace(/\s+/g, ' ') : t;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

// Deriving the key takes four HMACs: each credential (one object per key version, shared by its
// requests) remembers the key it last signed with, ready to sign with, for its secret and scope.
const signingKeys = new WeakMap<SigningCredential, { secret: string; scope: string; key: HmacSha256Key }>();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function signingHmacOf(credential: SigningCredential, scope: CredentialScope): HmacSha256Key {
  const last = signingKeys.get(credential);
  if (last !== undefined && last.scope === scope.scope && last.secret === credential.secret) return last.key;
  const key = new HmacSha256Key(signingKey(credential.secret, scope.date, scope.region, scope.service));
  signingKeys.set(credential, { secret: credential.secret, scope: scope.scope, key });
  return key;
}

// ---------------------------------------------------------------------------------------------
// Parsing what the client sent

interface SignatureParts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly dateSource: 'X-Amz-Date' | 'Date';
  readonly securityToken?: string;
  readonly expiresSeconds?: number;
  readonly presigned: boolean;
}

const BASIC_ISO = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

// Requests signed within the same second share their X-Amz-Date: the last one parsed is kept.
let lastIso = '';
let lastMs = NaN;

function parseBasicIso(s: string): Date | undefined {
  if (s === lastIso) return new Date(lastMs);
  const m = BASIC_ISO.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return undefined;
  lastIso = s;
  lastMs = ms;
  return new Date(ms);
}

function toBasicIso(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function fromAuthorizationHeader(header: string, headers: SigV4Request['headers']): SignatureParts {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space + 1);
  // Of the key=value pairs, the last of each name counts; names other than these three are ignored.
  let credential: string | undefined;
  let signature: string | undefined;
  let signedHeaders: string | undefined;
  for (const raw of rest.split(',')) {
    const pair = raw.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) {
      throw incompleteSignature(`'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    }
    const name = pair.slice(0, eq).trim();
    if (name === 'Credential') credential = pair.slice(eq + 1).trim();
    else if (name === 'Signature') signature = pair.slice(eq + 1).trim();
    else if (name === 'SignedHeaders') signedHeaders = pair.slice(eq + 1).trim();
  }
  const xAmzDate = headerValue(headers, 'x-amz-date');
  const httpDate = headerValue(headers, 'date');
  const problems: string[] = [];
  if (credential === undefined) problems.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) problems.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaders === undefined) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (xAmzDate === undefined && httpDate === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length > 0) throw incompleteSignature(`${problems.join(' ')} Authorization=${header}`);
  if (algorithm !== ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);

  let amzDate: string;
  let dateSource: SignatureParts['dateSource'];
  if (xAmzDate !== undefined) {
    amzDate = xAmzDate.trim();
    dateSource = 'X-Amz-Date';
  } else {
    const d = new Date(httpDate!);
    amzDate = Number.isNaN(d.getTime()) ? httpDate! : toBasicIso(d);
    dateSource = 'Date';
  }
  return {
    credential: credential!,
    signedHeaders: signedHeaders!,
    signature: signature!,
    amzDate,
    dateSource,
    securityToken: headerValue(headers, 'x-amz-security-token'),
    presigned: false,
  };
}

const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];

function fromQuery(q: ReadonlyMap<string, string>): SignatureParts {
  for (const name of PRESIGN_PARAMS) {
    if (!q.has(name)) {
      throw incompleteSignature(`AWS query-string parameters must include '${name}'. Re-examine the query-string parameters.`);
    }
  }
  const algorithm = q.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  const expiresText = q.get('X-Amz-Expires')!;
  const expires = /^[0-9]+$/.test(expiresText) ? Number(expiresText) : NaN;
  if (!(expires >= 1)) throw incompleteSignature(`X-Amz-Expires must be a positive integer, got '${expiresText}'.`);
  if (expires > MAX_PRESIGN_EXPIRES_S) {
    throw incompleteSignature(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_EXPIRES_S}.`);
  }
  return {
    credential: q.get('X-Amz-Credential')!,
    signedHeaders: q.get('X-Amz-SignedHeaders')!,
    signature: q.get('X-Amz-Signature')!,
    amzDate: q.get('X-Amz-Date')!,
    dateSource: 'X-Amz-Date',
    securityToken: q.get('X-Amz-Security-Token'),
    expiresSeconds: expires,
    presigned: true,
  };
}

// ---------------------------------------------------------------------------------------------

function skewError(signed: Date, signedText: string, now: Date): AwsError {
  if (signed.getTime() < now.getTime()) {
    const earliest = toBasicIso(new Date(now.getTime() - MAX_SKEW_MS));
    return signatureDoesNotMatch(`Signature expired: ${signedText} is now earlier than ${earliest} (${toBasicIso(now)} - 15 min.)`);
  }
  const latest = toBasicIso(new Date(now.getTime() + MAX_SKEW_MS));
  return signatureDoesNotMatch(`Signature not yet current: ${signedText} is still later than ${latest} (${toBasicIso(now)} + 15 min.)`);
}

const HEX64 = /^[0-9a-f]{64}$/;

// A client signs every request with the same credential (for the day) and, mostly, the same
// header names: their parses are kept, a few thousand at most, once a signature made with them
// has verified (what unauthenticated requests send is never kept).
const MAX_PARSES_KEPT = 4096;

interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  /** date/region/service/aws4_request, as the string to sign names it. */
  readonly scope: string;
}

const credentials = new Map<string, CredentialScope>();
const headerLists = new Map<string, readonly string[]>();

function keep<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.get(key) === value) return;
  if (cache.size >= MAX_PARSES_KEPT) cache.clear();
  cache.set(key, value);
}

/** keyid/date/region/service/terminator, or undefined when it is not five elements. */
function credentialParts(credential: string): CredentialScope | undefined {
  const hit = credentials.get(credential);
  if (hit !== undefined) return hit;
  const p = credential.split('/');
  if (p.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = p as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, scope: `${date}/${region}/${service}/aws4_request` };
}

function signedHeaderNames(list: string): readonly string[] {
  return headerLists.get(list) ?? Object.freeze(list.split(';'));
}

const DEFAULT_SERVICES: readonly string[] = ['iam', 'sts'];

/** Equal hex digests, in time that depends only on the length (which is public). */
function sameDigest(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return diff === 0;
}

/** The credential scope names a service the request was not expected for (the caller may tell an unknown service). */
export class UnexpectedServiceError extends AwsError {
  constructor(
    readonly service: string,
    expected: readonly string[],
  ) {
    super('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${expected.join("' or '")}'.`, 403);
  }
}

function declaredPayloadHash(req: SigV4Request, presigned: boolean, queryPairs: ReadonlyArray<readonly [string, string]>): string | undefined {
  const header = headerValue(req.headers, 'x-amz-content-sha256');
  return presigned ? queryPairs.find(([k]) => k === 'X-Amz-Content-Sha256')?.[1] ?? header : header;
}

/**
 * Verifies a SigV4-signed request. Throws AwsError (MissingAuthenticationToken, IncompleteSignature,
 * InvalidClientTokenId, SignatureDoesNotMatch, RequestExpired) as AWS answers them.
 */
export function verifySigV4<C extends SigningCredential>(
  req: SigV4Request,
  /** The credentials of a key in the partition addressed (the scope region's): AWS knows no other there. */
  lookup: (accessKeyId: string, partition: Partition) => C | undefined,
  now: Date,
  options: SigV4Options = {},
): SigV4Result<C> {
  const queryPairs = parseQuery(req.query.startsWith('?') ? req.query.slice(1) : req.query);
  const authorization = headerValue(req.headers, 'authorization');
  let parts: SignatureParts;
  if (authorization !== undefined) {
    parts = fromAuthorizationHeader(authorization, req.headers);
  } else {
    const q = new Map<string, string>();
    for (const [k, v] of queryPairs) if (k.startsWith('X-Amz-')) q.set(k, v);
    if (!q.has('X-Amz-Algorithm') && !q.has('X-Amz-Credential') && !q.has('X-Amz-Signature')) {
      throw missingAuthenticationToken(MESSAGES.missingAuthenticationToken);
    }
    parts = fromQuery(q);
  }

  // Credential scope: keyid/date/region/service/aws4_request
  const scope = credentialParts(parts.credential);
  if (scope === undefined) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential}'`,
    );
  }
  const { accessKeyId, date: scopeDate, region, service, terminator } = scope;
  const signedAt = parseBasicIso(parts.amzDate);
  if (!signedAt) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${parts.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  if (scopeDate !== parts.amzDate.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${parts.amzDate.slice(0, 8)}', from '${parts.dateSource}'.`,
    );
  }
  if (region === '') throw signatureDoesNotMatch('Credential should be scoped to a valid region.');
  const services = options.services ?? DEFAULT_SERVICES;
  if (!services.includes(service)) throw new UnexpectedServiceError(service, services);
  const partition = options.partition ?? partitionOf(region);
  if (partition === undefined || !isScopeRegionValid(partition, service, region)) {
    throw signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  if (terminator !== 'aws4_request') {
    throw signatureDoesNotMatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  const signedHeaders = signedHeaderNames(parts.signedHeaders);
  if (!signedHeaders.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  // Time: 15 minutes either way for a signed request; a presigned one is good until X-Amz-Expires.
  const t = now.getTime();
  if (signedAt.getTime() > t + MAX_SKEW_MS) throw skewError(signedAt, parts.amzDate, now);
  if (parts.presigned) {
    if (t > signedAt.getTime() + parts.expiresSeconds! * 1000) throw requestExpired('Request has expired.');
  } else if (signedAt.getTime() < t - MAX_SKEW_MS) {
    throw skewError(signedAt, parts.amzDate, now);
  }

  const credential = lookup(accessKeyId, partition);
  if (!credential) throw invalidClientTokenId(MESSAGES.invalidClientTokenId);

  // The canonical request. The payload hash is the hash of the body received, whatever the client
  // declares: a body swapped after signing must not verify.
  const payloadHash = options.allowUnsignedPayload === true && declaredPayloadHash(req, parts.presigned, queryPairs) === UNSIGNED_PAYLOAD
    ? UNSIGNED_PAYLOAD
    : sha256Hex(req.body);
  let canonicalHeaders = '';
  for (const name of signedHeaders) canonicalHeaders += `${name}:${canonicalHeaderValue(headerValue(req.headers, name))}\n`;
  const canonicalRequest = `${req.method.toUpperCase()}\n${canonicalUri(req.path === '' ? '/' : req.path)}\n`
    + `${canonicalQuery(queryPairs, parts.presigned ? 'X-Amz-Signature' : undefined)}\n${canonicalHeaders}\n${parts.signedHeaders}\n${payloadHash}`;
  const stringToSign = `${ALGORITHM}\n${parts.amzDate}\n${scope.scope}\n${sha256Hex(canonicalRequest)}`;
  const expected = signingHmacOf(credential, scope).digestHex(stringToSign);

  const provided = parts.signature.toLowerCase();
  if (!HEX64.test(provided) || !sameDigest(expected, provided)) {
    throw signatureDoesNotMatch(MESSAGES.signatureDoesNotMatch);
  }
  keep(credentials, parts.credential, scope);
  keep(headerLists, parts.signedHeaders, signedHeaders);

  return {
    accessKeyId,
    credential,
    region,
    service,
    date: signedAt,
    signedHeaders,
    securityToken: parts.securityToken,
    presigned: parts.presigned,
  };
}
