// The AWS JSON 1.1 protocol (CloudTrail): the operation comes from the X-Amz-Target header
// (`<targetPrefix>.<Operation>`, e.g. com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.
// LookupEvents), the input is the JSON body, the answer is JSON in
// application/x-amz-json-1.1 with timestamps as epoch seconds, and errors are
// {"__type": code, "message": text}. Driven by the same service models as the query protocol.
import { AwsError, isAwsErrorLike, MESSAGES } from '../model/errors.ts';
import { SERVICES, type Operation, type ServiceId, type ServiceModel, type Shape, type StructureShape } from './model.ts';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface JsonRequest {
  readonly service: ServiceId;
  readonly model: ServiceModel;
  readonly operation: Operation;
  readonly action: string;
}

const JSON_SERVICES = Object.values(SERVICES).filter((s) => s.protocol === 'json' && s.targetPrefix !== undefined);

/**
 * The operation an X-Amz-Target names. The SDKs send the full prefix; the short form
 * (`CloudTrail_20131101.LookupEvents`) is accepted too.
 */
export function parseJsonTarget(target: string): JsonRequest {
  const dot = target.lastIndexOf('.');
  const prefix = dot < 0 ? '' : target.slice(0, dot);
  const action = target.slice(dot + 1);
  for (const model of JSON_SERVICES) {
    const full = model.targetPrefix!;
    if (prefix === full || full.endsWith(`.${prefix}`)) {
      const operation = model.operations.get(action);
      if (operation !== undefined) return { service: model.id, model, operation, action };
    }
  }
  throw new AwsError('UnknownOperationException', `Unrecognized operation ${target}`, 400);
}

/** The input object from the body: members of the input shape, timestamps as Date. */
export function decodeJson(body: Buffer, operation: Operation): Record<string, unknown> {
  const text = body.length === 0 ? '{}' : body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
  return operation.input ? (readStructure(value as Record<string, unknown>, operation.input) as Record<string, unknown>) : {};
}

function readValue(value: unknown, shape: Shape, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.kind) {
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(path);
      return readStructure(value as Record<string, unknown>, shape);
    case 'list':
      if (!Array.isArray(value)) throw serialization(path);
      return value.map((v) => readValue(v, shape.member, path));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(path);
      // No prototype: a key named __proto__ is a key like any other.
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = readValue(v, shape.value, path);
      return out;
    }
    case 'timestamp': {
      const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
      if (d === undefined || Number.isNaN(d.getTime())) throw serialization(path);
      return d;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw serialization(path);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(path);
      return value;
    default:
      if (typeof value !== 'string') throw serialization(path);
      return value;
  }
}

function readStructure(value: Record<string, unknown>, shape: StructureShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const v = readValue(value[m.name], m.shape, m.name);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}

function serialization(member: string): AwsError {
  return new AwsError('SerializationException', `Unexpected value type in payload for ${member}.`, 400);
}

function writeValue(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.kind) {
    case 'structure':
      return writeStructure(value as Record<string, unknown>, shape);
    case 'list':
      return (value as unknown[]).map((v) => writeValue(v, shape.member)).filter((v) => v !== undefined);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const w = writeValue(v, shape.value);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
      return ms / 1000;
    }
    case 'blob':
      return typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}

function writeStructure(value: Record<string, unknown>, shape: StructureShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const w = writeValue(value[m.name], m.shape);
    if (w !== undefined) out[m.name] = w;
  }
  return out;
}

export function encodeJsonResponse(operation: Operation, output: Record<string, unknown> | undefined): string {
  if (operation.output === undefined) return '{}';
  return JSON.stringify(writeStructure(output ?? {}, operation.output));
}

/** The codes JSON services answer for the failures every service shares (query protocol name → JSON name). */
const JSON_CODES: Readonly<Record<string, string>> = {
  AccessDenied: 'AccessDeniedException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  IncompleteSignature: 'IncompleteSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  ExpiredToken: 'ExpiredTokenException',
  ValidationError: 'ValidationException',
  Throttling: 'ThrottlingException',
};

export interface EncodedJsonError {
  readonly status: number;
  readonly code: string;
  readonly body: string;
}

export function encodeJsonError(err: unknown): EncodedJsonError {
  const e = isAwsErrorLike(err) ? err : new AwsError('InternalFailure', MESSAGES.internalFailure, 500);
  const code = JSON_CODES[e.code] ?? e.code;
  return { status: e.status, code, body: JSON.stringify({ __type: code, message: e.message }) };
}
