// AWS query protocol input: flat key/value pairs (`UserName=bob`, `Tags.member.1.Key=team`,
// `SummaryMap.entry.1.key=...`) turned into the operation's input object, then validated.
import type { Operation, Shape, StructureShape } from './model.ts';
import { findViolations, validationErrorOf, type Violation } from './validate.ts';
import { AwsError } from '../model/errors.ts';

interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

function buildTree(params: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) {
        next = {};
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

const INDEX = /^[1-9][0-9]*$/;

/**
 * Children named 1, 2, 3… in numeric order (list members and map entries are 1-based). Any other
 * name (`member.0`, `member.-1`, `member.__proto__`) is a malformed request, refused as a whole.
 */
function indexed(node: ParamNode | undefined, path: string): ParamNode[] {
  if (!node?.children) return [];
  const out: [number, ParamNode][] = [];
  for (const [k, v] of node.children) {
    if (!INDEX.test(k)) throw malformedIndex(k, path);
    out.push([Number(k), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

function malformedIndex(index: string, path: string): AwsError {
  return new AwsError('MalformedInput', `Invalid list index '${index}' at '${path}': list members are numbered from 1.`, 400);
}

const INTEGER = /^-?[0-9]+$/;
// Unambiguous (one way to read each digit run), so a long non-number fails in linear time.
const NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

function decodeValue(node: ParamNode, shape: Shape, path: string, bad: Violation[]): unknown {
  switch (shape.kind) {
    case 'structure':
      return decodeStructure(node, shape, `${path}.`, bad);
    case 'list':
      // An empty list is sent as `Name=` with no members.
      return indexed(node.children?.get('member'), path).map((n, i) => decodeValue(n, shape.member, `${path}.${i + 1}.member`, bad));
    case 'map': {
      // No prototype: a key named __proto__ is a key like any other.
      const out: Record<string, unknown> = Object.create(null);
      for (const entry of indexed(node.children?.get('entry'), path)) {
        const key = entry.children?.get('key')?.value;
        const value = entry.children?.get('value');
        if (key !== undefined && value) out[key] = decodeValue(value, shape.value, `${path}.${key}`, bad);
      }
      return out;
    }
  }
  const raw = node.value;
  if (raw === undefined) return undefined;
  switch (shape.kind) {
    case 'string':
      return raw;
    case 'integer':
    case 'long':
      if (!INTEGER.test(raw)) return malformed(raw, path, 'be a number', bad);
      return Number(raw);
    case 'float':
    case 'double':
      if (!NUMBER.test(raw)) return malformed(raw, path, 'be a number', bad);
      return Number(raw);
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return malformed(raw, path, 'be a boolean (true or false)', bad);
    case 'timestamp': {
      const t = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(t.getTime())) return malformed(raw, path, 'be an ISO 8601 timestamp', bad);
      return t;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
  }
}

function malformed(raw: string, path: string, rule: string, bad: Violation[]): undefined {
  bad.push(`Value '${raw}' at '${path}' failed to satisfy constraint: Member must ${rule}`);
  return undefined;
}

function decodeStructure(node: ParamNode, shape: StructureShape, prefix: string, bad: Violation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!node.children) return out;
  for (const m of shape.members) {
    const child = node.children.get(m.name);
    if (!child) continue;
    const v = decodeValue(child, m.shape, prefix + m.messageName, bad);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}

/**
 * Decodes the query parameters of one request into the operation's input and validates it.
 * Throws AWS's ValidationError listing every violation. `Action`, `Version` and unknown
 * parameters are ignored.
 */
export function decodeQuery(params: Iterable<[string, string]>, operation: Operation): Record<string, unknown> {
  if (!operation.input) return {};
  const bad: Violation[] = [];
  const input = decodeStructure(buildTree(params), operation.input, '', bad);
  const violations = [...bad, ...findViolations(input, operation)];
  if (violations.length > 0) throw validationErrorOf(violations);
  return input;
}
