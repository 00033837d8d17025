// The AWS service models (src/protocol/models/*.json, generated from the AWS SDK v3 clients'
// schemas by `npm run generate:models`), read once and resolved into a tree of shapes that the
// decoder, validator and encoder walk. Nothing here is written per operation.
import { readFileSync } from 'node:fs';
import type { Constraint, ConstraintTable } from './constraints/types.ts';
import { constraintFor } from './constraints/types.ts';
import { IAM_CONSTRAINTS } from './constraints/iam.ts';
import { STS_CONSTRAINTS } from './constraints/sts.ts';
import { CLOUDTRAIL_CONSTRAINTS } from './constraints/cloudtrail.ts';

export type ServiceId = 'iam' | 'sts' | 'cloudtrail';
export type ScalarKind = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';

export interface ScalarShape { readonly kind: ScalarKind; readonly sensitive: boolean }
export interface ListShape { readonly kind: 'list'; readonly member: Shape; readonly sensitive: boolean }
export interface MapShape { readonly kind: 'map'; readonly key: Shape; readonly value: Shape; readonly sensitive: boolean }
export interface StructureShape {
  readonly kind: 'structure';
  /** Members in model order (the order AWS writes them). */
  readonly members: readonly Member[];
  readonly byName: ReadonlyMap<string, Member>;
  readonly sensitive: boolean;
}
export type Shape = ScalarShape | ListShape | MapShape | StructureShape;

export interface Member {
  readonly name: string;
  /** The name as AWS's validation messages spell it: first letter lower-cased. */
  readonly messageName: string;
  readonly shape: Shape;
  readonly required: boolean;
}

export interface Operation {
  readonly name: string;
  readonly service: ServiceModel;
  readonly input?: StructureShape;
  readonly output?: StructureShape;
  readonly resultWrapper?: string;
  /** Constraints of the input members, by member name. */
  readonly constraints: ReadonlyMap<string, Constraint>;
}

export interface ServiceModel {
  readonly id: ServiceId;
  readonly version: string;
  /** The query protocol's XML namespace ('' for JSON services). */
  readonly xmlns: string;
  readonly protocol: 'query' | 'json';
  /** JSON services: the X-Amz-Target prefix, e.g. com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101. */
  readonly targetPrefix?: string;
  readonly operations: ReadonlyMap<string, Operation>;
}

interface RawShape {
  type?: string;
  shape?: string;
  members?: Record<string, RawShape>;
  member?: RawShape;
  key?: RawShape;
  value?: RawShape;
  required?: string[];
  sensitive?: boolean;
  resultWrapper?: string;
}
interface RawModel {
  metadata: { apiVersion: string; xmlNamespace?: string; protocol: string; targetPrefix?: string };
  operations: Record<string, { input?: RawShape; output?: RawShape }>;
  shapes: Record<string, RawShape>;
}

const SCALARS = new Set<string>(['string', 'integer', 'long', 'float', 'double', 'boolean', 'timestamp', 'blob']);

function resolveShapes(raw: RawModel) {
  const named = new Map<string, Shape>();
  const resolve = (s: RawShape): Shape => {
    if (s.shape !== undefined) {
      const hit = named.get(s.shape);
      if (hit) return hit;
      const def = raw.shapes[s.shape];
      if (!def) throw new Error(`service model: unknown shape ${s.shape}`);
      const shape = build(def);
      named.set(s.shape, shape);
      return shape;
    }
    return build(s);
  };
  const build = (s: RawShape): Shape => {
    const type = s.type ?? 'string';
    const sensitive = s.sensitive === true;
    if (SCALARS.has(type)) return { kind: type as ScalarKind, sensitive };
    if (type === 'list') return { kind: 'list', member: resolve(s.member ?? {}), sensitive };
    if (type === 'map') return { kind: 'map', key: resolve(s.key ?? {}), value: resolve(s.value ?? {}), sensitive };
    if (type === 'structure') return structure(s, resolve);
    throw new Error(`service model: unsupported shape type ${type}`);
  };
  return resolve;
}

function structure(s: RawShape, resolve: (s: RawShape) => Shape): StructureShape {
  const required = new Set(s.required ?? []);
  const members = Object.entries(s.members ?? {}).map(([name, m]): Member => ({
    name,
    messageName: name.charAt(0).toLowerCase() + name.slice(1),
    shape: resolve(m),
    required: required.has(name),
  }));
  return { kind: 'structure', members, byName: new Map(members.map((m) => [m.name, m])), sensitive: s.sensitive === true };
}

function loadService(id: ServiceId, file: string, table: ConstraintTable): ServiceModel {
  const raw = JSON.parse(readFileSync(new URL(`./models/${file}`, import.meta.url), 'utf8')) as RawModel;
  const resolve = resolveShapes(raw);
  const operations = new Map<string, Operation>();
  const service: ServiceModel = {
    id,
    version: raw.metadata.apiVersion,
    xmlns: raw.metadata.xmlNamespace ?? '',
    protocol: raw.metadata.protocol === 'json' ? 'json' : 'query',
    targetPrefix: raw.metadata.targetPrefix,
    operations,
  };
  for (const [name, op] of Object.entries(raw.operations)) {
    const input = op.input ? asStructure(resolve(op.input)) : undefined;
    const output = op.output ? asStructure(resolve(op.output)) : undefined;
    const constraints = new Map<string, Constraint>();
    for (const m of input?.members ?? []) {
      const c = constraintFor(table, name, m.name);
      if (c) constraints.set(m.name, c);
    }
    operations.set(name, { name, service, input, output, resultWrapper: op.output?.resultWrapper, constraints });
  }
  return service;
}

function asStructure(s: Shape): StructureShape {
  if (s.kind !== 'structure') throw new Error('service model: operation input/output must be a structure');
  return s;
}

export const IAM: ServiceModel = loadService('iam', 'iam.json', IAM_CONSTRAINTS);
export const STS: ServiceModel = loadService('sts', 'sts.json', STS_CONSTRAINTS);
export const CLOUDTRAIL: ServiceModel = loadService('cloudtrail', 'cloudtrail.json', CLOUDTRAIL_CONSTRAINTS);
export const SERVICES: Readonly<Record<ServiceId, ServiceModel>> = { iam: IAM, sts: STS, cloudtrail: CLOUDTRAIL };

export function serviceByVersion(version: string): ServiceModel | undefined {
  return version === IAM.version ? IAM : version === STS.version ? STS : undefined;
}
