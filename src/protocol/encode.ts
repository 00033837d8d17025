// AWS query protocol output: the operation's result as XML in the shape the model gives, and
// errors as <ErrorResponse>. Written once for every operation.
import type { Operation, ServiceModel, Shape } from './model.ts';
import { AwsError, isAwsErrorLike, MESSAGES } from '../model/errors.ts';
import { isoSeconds } from '../model/time.ts';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
const XML_SPECIAL = /[&<>"'\r]/g;
// Characters XML 1.0 cannot carry at all; dropped rather than producing a document no SDK can parse.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Most values (names, ids, ARNs, dates) need no escaping: one test finds those.
const XML_NEEDS_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(s: string): string {
  if (!XML_NEEDS_WORK.test(s)) return s;
  return s.replace(XML_INVALID, '').replace(XML_SPECIAL, (c) => XML_ESCAPES[c] ?? c);
}

/** RFC 3986 percent-encoding, as IAM applies it to policy documents in its responses. */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// IAM answers policy documents URL-encoded (API reference: GetUserPolicy, GetRole, GetPolicyVersion,
// GetAccountAuthorizationDetails, ...): the Role's AssumeRolePolicyDocument, inline PolicyDocument
// and a PolicyVersion's Document, wherever they appear in an IAM output.
const URL_ENCODED_MEMBERS: Readonly<Record<string, ReadonlySet<string>>> = {
  iam: new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']),
  sts: new Set(),
};

/** 2026-11-23T14:30:00Z: seconds precision, as IAM and STS write timestamps. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

export function formatTimestamp(value: unknown): string {
  // Gatehouse keeps dates as ISO 8601 UTC strings: those only lose their fraction.
  if (typeof value === 'string' && ISO_UTC.test(value)) return `${value.slice(0, 19)}Z`;
  const d = value instanceof Date ? value : new Date(value as string | number);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a timestamp: ${String(value)}`);
  return isoSeconds(d);
}

function scalarText(value: unknown, shape: Shape): string {
  switch (shape.kind) {
    case 'timestamp':
      return formatTimestamp(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'blob':
      if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      throw new TypeError('blob member must be a string or bytes');
    default:
      return escapeXml(String(value));
  }
}

/** Writes a value of one shape as XML text (V8 concatenates short strings into ropes cheaply). */
type Encoder = (value: unknown) => string;

/**
 * Encoders are built once per (shape, URL-encoded or not) and reused: the tags are constant
 * strings and nothing is decided per value but what the value holds.
 */
const encoders = new WeakMap<Shape, Map<boolean, Encoder>>();

function encoderFor(shape: Shape, urlEncoded: boolean, encoded: ReadonlySet<string>): Encoder {
  let byFlag = encoders.get(shape);
  if (byFlag === undefined) encoders.set(shape, (byFlag = new Map()));
  // Shapes form no cycles (model.ts resolves them into a tree), so building recurses to an end.
  let encoder = byFlag.get(urlEncoded);
  if (encoder === undefined) byFlag.set(urlEncoded, (encoder = buildEncoder(shape, urlEncoded, encoded)));
  return encoder;
}

function buildEncoder(shape: Shape, urlEncoded: boolean, encoded: ReadonlySet<string>): Encoder {
  switch (shape.kind) {
    case 'structure': {
      const members = shape.members.map((m) => ({
        name: m.name,
        open: `<${m.name}>`,
        close: `</${m.name}>`,
        encode: encoderFor(m.shape, encoded.has(m.name), encoded),
      }));
      return (value) => {
        const v = value as Record<string, unknown>;
        let out = '';
        for (let i = 0; i < members.length; i++) {
          const m = members[i]!;
          const x = v[m.name];
          if (x === undefined || x === null) continue;
          out += m.open + m.encode(x) + m.close;
        }
        return out;
      };
    }
    case 'list': {
      // A list's items are named by the list's member (a list of policy documents is encoded too).
      const item = encoderFor(shape.member, urlEncoded, encoded);
      return (value) => {
        let out = '';
        for (const x of value as unknown[]) {
          if (x === undefined || x === null) continue;
          out += '<member>' + item(x) + '</member>';
        }
        return out;
      };
    }
    case 'map': {
      const entry = encoderFor(shape.value, urlEncoded, encoded);
      return (value) => {
        const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
        let out = '';
        for (const [k, v] of entries) {
          if (v === undefined || v === null) continue;
          out += '<entry><key>' + escapeXml(String(k)) + '</key><value>' + entry(v) + '</value></entry>';
        }
        return out;
      };
    }
    case 'string':
      return urlEncoded ? (value) => escapeXml(encodeRfc3986(String(value))) : (value) => escapeXml(String(value));
    default:
      return (value) => scalarText(value, shape);
  }
}

function metadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
}

const NOTHING_ENCODED: ReadonlySet<string> = new Set();

/** The XML body of a successful answer. `output` members absent or null are left out. */
export function encodeResponse(operation: Operation, output: Record<string, unknown> | undefined, requestId: string): string {
  const { service } = operation;
  let out = `<${operation.name}Response xmlns="${service.xmlns}">`;
  if (operation.output) {
    const wrapper = operation.resultWrapper ?? `${operation.name}Result`;
    out += `<${wrapper}>` + encoderFor(operation.output, false, URL_ENCODED_MEMBERS[service.id] ?? NOTHING_ENCODED)(output ?? {}) + `</${wrapper}>`;
  }
  return out + metadata(requestId) + `</${operation.name}Response>`;
}

export interface EncodedError {
  readonly status: number;
  readonly code: string;
  readonly body: string;
}

/**
 * The <ErrorResponse> for any thrown value. Errors that carry an AWS code and status are answered
 * as they are; anything else becomes InternalFailure 500 and says nothing about its cause.
 */
export function encodeError(err: unknown, requestId: string, service: ServiceModel): EncodedError {
  const e = isAwsErrorLike(err) ? err : new AwsError('InternalFailure', MESSAGES.internalFailure, 500);
  const type = e.type ?? (e.status >= 500 ? 'Receiver' : 'Sender');
  const body = `<ErrorResponse xmlns="${service.xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(e.code)}</Code>`
    + `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { status: e.status, code: e.code, body };
}
