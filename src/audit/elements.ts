// requestParameters and responseElements, from the operation's input and output as the service
// model shapes them: member names in CloudTrail's lowerCamelCase (UserName → userName), dates as
// IAM and STS write them in CloudTrail ("Jul 30, 2014 10:39:27 PM"), policy documents in
// responses URL-encoded as on the wire. Secrets never enter a record: a secret in a request
// reads HIDDEN_DUE_TO_SECURITY_REASONS (as AWS writes it), a secret in a response is left out.
import type { Operation, Shape, StructureShape } from '../protocol/model.ts';
import { encodeRfc3986 } from '../protocol/encode.ts';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Members that carry secrets, whatever the model's `sensitive` flag says (the .min models drop most). */
const SECRET_MEMBERS = new Set([
  'Password',
  'NewPassword',
  'OldPassword',
  'SecretAccessKey',
  'SessionToken',
  'ServicePassword',
  'PrivateKey',
  'AddPrivateKey',
  'Base32StringSeed',
  'QRCodePNG',
  'AuthenticationCode1',
  'AuthenticationCode2',
  'TokenCode',
  'SAMLAssertion',
  'WebIdentityToken',
  // The exchange token of a delegation request: a bearer secret until it expires.
  'TradeInToken',
]);

const URL_ENCODED_IN_RESPONSES = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IAM's and STS's date form in CloudTrail records: "Jul 30, 2014 10:39:27 PM" (UTC). */
export function cloudTrailDate(value: unknown): string {
  const d = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(d.getTime())) return String(value);
  const h = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** CloudTrail's member names: the model's with the first letter lower-cased (userName, policyArn). */
export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** STS calls are read-only in CloudTrail, yet those that issue credentials record them (less the secret). */
const STS_RESPONSES = new Set(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'GetSessionToken', 'GetFederationToken', 'GetDelegatedAccessToken']);

type Side = 'request' | 'response';

function convert(value: unknown, shape: Shape, side: Side, name: string): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.kind) {
    case 'structure':
      return structure(value as Record<string, unknown>, shape, side);
    case 'list': {
      const out: unknown[] = [];
      for (const item of value as unknown[]) {
        const v = convert(item, shape.member, side, name);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      for (const [k, v] of entries) {
        const c = convert(v, shape.value, side, name);
        if (c !== undefined) out[String(k)] = c;
      }
      return out;
    }
    case 'timestamp':
      return side === 'response' ? cloudTrailDate(value) : new Date(value as string).toISOString();
    case 'blob':
      return typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('base64');
    case 'string':
      return side === 'response' && URL_ENCODED_IN_RESPONSES.has(name) ? encodeRfc3986(String(value)) : value;
    default:
      return value;
  }
}

function structure(value: Record<string, unknown>, shape: StructureShape, side: Side): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    if (m.shape.sensitive || SECRET_MEMBERS.has(m.name)) {
      if (side === 'request') out[lowerCamel(m.name)] = HIDDEN;
      continue;
    }
    const c = convert(v, m.shape, side, m.name);
    if (c !== undefined) out[lowerCamel(m.name)] = c;
  }
  return out;
}

/** The record's requestParameters: null when the operation takes nothing or nothing was sent. */
export function requestParametersOf(operation: Operation | undefined, input: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (operation?.input === undefined || input === undefined) return null;
  const out = structure(input, operation.input, 'request');
  return Object.keys(out).length === 0 ? null : out;
}

/**
 * The record's responseElements. AWS writes them for calls that create or change something and
 * leaves them null for reads (their answers are not recorded). `output` that is not shaped as the
 * operation's output (an entity a transaction returned) is not an answer: null.
 */
export function responseElementsOf(operation: Operation | undefined, output: unknown, readOnly: boolean): Record<string, unknown> | null {
  if (readOnly && !(operation?.service.id === 'sts' && STS_RESPONSES.has(operation.name))) return null;
  if (operation?.output === undefined || output === undefined || output === null || typeof output !== 'object') return null;
  const members = operation.output.byName;
  const keys = Object.keys(output);
  if (keys.length === 0 || !keys.every((k) => members.has(k))) return null;
  const out = structure(output as Record<string, unknown>, operation.output, 'response');
  return Object.keys(out).length === 0 ? null : out;
}
