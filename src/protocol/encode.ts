// AWS query protocol output: the operation's result as XML in the shape the model gives, and
// errors as <ErrorResponse>. Written once for every operation.
import type { Operation, ServiceModel, Shape, StructureShape } from './model.ts';
import { AwsError, isAwsErrorLike, MESSAGES } from '../model/errors.ts';

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
  return `${d.toISOString().slice(0, 19)}Z`;
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

class XmlWriter {
  /** The document so far; V8 concatenates strings as ropes, cheaper than an array and a join. */
  out = '';
  constructor(private readonly encoded: ReadonlySet<string>) {}

  value(value: unknown, shape: Shape, name: string): void {
    switch (shape.kind) {
      case 'structure':
        this.structure(value as Record<string, unknown>, shape);
        return;
      case 'list':
        for (const item of value as unknown[]) {
          if (item === undefined || item === null) continue;
          this.out += '<member>';
          this.value(item, shape.member, name);
          this.out += '</member>';
        }
        return;
      case 'map': {
        const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
        for (const [k, v] of entries) {
          if (v === undefined || v === null) continue;
          this.out += `<entry><key>${escapeXml(String(k))}</key><value>`;
          this.value(v, shape.value, name);
          this.out += '</value></entry>';
        }
        return;
      }
      case 'string':
        this.out += escapeXml(this.encoded.has(name) ? encodeRfc3986(String(value)) : String(value));
        return;
      default:
        this.out += scalarText(value, shape);
    }
  }

  structure(value: Record<string, unknown>, shape: StructureShape): void {
    for (const m of shape.members) {
      const v = value[m.name];
      if (v === undefined || v === null) continue;
      this.out += `<${m.name}>`;
      this.value(v, m.shape, m.name);
      this.out += `</${m.name}>`;
    }
  }
}

function metadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
}

/** The XML body of a successful answer. `output` members absent or null are left out. */
export function encodeResponse(operation: Operation, output: Record<string, unknown> | undefined, requestId: string): string {
  const { service } = operation;
  const w = new XmlWriter(URL_ENCODED_MEMBERS[service.id] ?? new Set());
  w.out += `<${operation.name}Response xmlns="${service.xmlns}">`;
  if (operation.output) {
    const wrapper = operation.resultWrapper ?? `${operation.name}Result`;
    w.out += `<${wrapper}>`;
    w.structure(output ?? {}, operation.output);
    w.out += `</${wrapper}>`;
  }
  return `${w.out}${metadata(requestId)}</${operation.name}Response>`;
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
