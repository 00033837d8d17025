#!/usr/bin/env node
// Writes src/protocol/models/<service>.json, the service models the server reads at run time,
// from the schemas the AWS SDK for JavaScript v3 clients ship (dev dependencies only):
//   npm run generate:models [-- --out DIR]
// The v3 schemas are AWS's current Smithy models compiled to arrays (@smithy/core/schema):
// each shape's kind, its members, which are required and which are sensitive. Two things they
// do not carry as Gatehouse needs them, so they are taken from elsewhere in the same package:
// - member order: the schemas list required members first, but AWS writes answers in the
//   model's order, which the package's TypeScript interfaces keep (dist-types/models);
// - constraints (lengths, patterns, enums): not in the schemas at all; they stay in
//   src/protocol/constraints/.
// The JSON keeps the shape of the old aws-sdk v2 model files (metadata, operations, shapes), so
// src/protocol/model.ts resolves it the same way.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` writes elsewhere (test/protocol/models.test.ts compares with the committed files).
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : join(root, 'src/protocol/models');

const SERVICES = [
  { id: 'iam', pkg: '@aws-sdk/client-iam', protocol: 'query' },
  { id: 'sts', pkg: '@aws-sdk/client-sts', protocol: 'query' },
  // The v3 schemas name only the short target (CloudTrail_20131101); the SDKs also send the
  // service's full target prefix, which is this one.
  { id: 'cloudtrail', pkg: '@aws-sdk/client-cloudtrail', protocol: 'json', targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101' },
];

// @smithy/core/schema's codes for simple shapes, and the modifiers for lists/maps of them.
const SIMPLE = { 0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 5: 'timestamp', 6: 'timestamp', 7: 'timestamp', 21: 'blob' };
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;
const SENSITIVE = 0b1000; // the 4th trait bit (translateTraits: httpLabel, idempotent, idempotencyToken, sensitive…)

/** The packages' TypeScript interfaces: member names in model order, per shape name. */
function memberOrder(pkgDir) {
  const order = new Map();
  const dir = join(pkgDir, 'dist-types/models');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
      order.set(m[1], [...m[2].matchAll(/^ {4}(\w+)\??:/gm)].map((x) => x[1]));
    }
  }
  return order;
}

function sharedConfig(pkgDir) {
  const text = readFileSync(join(pkgDir, 'dist-es/runtimeConfig.shared.js'), 'utf8');
  const pick = (key) => text.match(new RegExp(`${key}: "([^"]+)"`))?.[1];
  const version = pick('version');
  if (!version) throw new Error(`${pkgDir}: no API version in runtimeConfig.shared.js`);
  return { version, xmlNamespace: pick('xmlNamespace') };
}

function generate(service) {
  const pkgDir = dirname(require.resolve(`${service.pkg}/package.json`));
  const sdk = require(service.pkg);
  const order = memberOrder(pkgDir);
  const shapes = {};
  const deref = (ref) => (typeof ref === 'function' ? ref() : ref);

  /** A member's or element's reference: a named shape, or an inline scalar. */
  const ref = (raw, memberTraits = 0) => {
    let schema = raw;
    if (Array.isArray(schema) && schema.length === 2) {
      memberTraits |= traitBits(schema[1]);
      schema = schema[0];
    }
    schema = deref(schema);
    const sensitive = (memberTraits & SENSITIVE) !== 0;
    if (typeof schema === 'number') return withSensitive(simple(schema), sensitive);
    if (!Array.isArray(schema)) throw new Error(`${service.id}: unexpected schema ${String(schema)}`);
    const [kind, , name, traits] = schema;
    if (kind === 0) {
      // A named simple shape: only its traits matter (sensitive, mostly); inline it.
      return withSensitive(ref(schema[4], traitBits(traits)), sensitive);
    }
    if (!(name in shapes)) {
      shapes[name] = null; // reserve first: shapes may refer to themselves
      shapes[name] = named(schema);
    }
    return withSensitive({ shape: name }, sensitive);
  };

  const simple = (code) => {
    if (code & LIST_MODIFIER) return { type: 'list', member: simple(code & 0b0011_1111) };
    if (code & MAP_MODIFIER) return { type: 'map', key: {}, value: simple(code & 0b0011_1111) };
    const type = SIMPLE[code];
    if (!type) throw new Error(`${service.id}: unsupported simple schema ${code}`);
    // The schemas say only "number". Every numeric input of IAM, STS and CloudTrail is a whole
    // number (the decoder rejects fractions for 'integer'); the one fractional answer,
    // CloudTrail's ListInsightsMetricData values, is encoded the same either way.
    if (type === 'number') return { type: 'integer' };
    return type === 'string' ? {} : { type };
  };

  const named = (schema) => {
    const [kind, , name, traits] = schema;
    const own = traitBits(traits) & SENSITIVE ? { sensitive: true } : {};
    if (kind === 1) return { type: 'list', member: ref(schema[4]), ...own };
    if (kind === 2) return { type: 'map', key: ref(schema[4]), value: ref(schema[5]), ...own };
    // A union (kind 4) is written on the wire like a structure whose members are all optional.
    if (kind === 3 || kind === -3 || kind === 4) {
      const names = schema[4];
      const refs = new Map(names.map((n, i) => [n, schema[5][i]]));
      const required = kind === 4 ? [] : names.slice(0, schema[6] ?? 0);
      const sorted = order.get(name);
      // Without its interface a structure would keep the schema's required-first order.
      if (!sorted && kind !== 4 && names.length > 1) throw new Error(`${service.id}: no interface gives ${name}'s member order`);
      if (sorted && (sorted.length !== names.length || !names.every((n) => sorted.includes(n)))) {
        throw new Error(`${service.id}: ${name}'s interface and schema disagree on its members`);
      }
      const members = {};
      for (const n of sorted ?? names) members[n] = ref(refs.get(n));
      return { type: 'structure', ...(required.length > 0 ? { required } : {}), members, ...own };
    }
    throw new Error(`${service.id}: unsupported schema kind ${kind} (${name})`);
  };

  const operations = {};
  const opSchemas = Object.entries(sdk)
    .filter(([k, v]) => k.endsWith('$') && Array.isArray(v) && v[0] === 9)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [, op] of opSchemas) {
    const name = op[2];
    const entry = {};
    const input = deref(op[4]);
    const output = deref(op[5]);
    if (input !== 'unit') entry.input = ref(input);
    if (output !== 'unit') {
      entry.output = ref(output);
      // The query protocol wraps every answer in <OperationResult>.
      if (service.protocol === 'query') entry.output.resultWrapper = `${name}Result`;
    }
    operations[name] = entry;
  }
  const { version, xmlNamespace } = sharedConfig(pkgDir);
  const metadata = { apiVersion: version, protocol: service.protocol };
  if (service.protocol === 'query') metadata.xmlNamespace = xmlNamespace;
  if (service.targetPrefix) metadata.targetPrefix = service.targetPrefix;
  const sdkVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const sortedShapes = Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
  return { source: `${service.pkg}@${sdkVersion}`, metadata, operations, shapes: sortedShapes };
}

function traitBits(traits) {
  if (typeof traits === 'number') return traits;
  // Object traits (xmlName, timestampFormat…) would change the wire format; none are expected.
  if (traits && typeof traits === 'object' && Object.keys(traits).length > 0) {
    throw new Error(`unsupported schema traits ${JSON.stringify(traits)}`);
  }
  return 0;
}

function withSensitive(shape, sensitive) {
  return sensitive ? { ...shape, sensitive: true } : shape;
}

mkdirSync(outDir, { recursive: true });
for (const service of SERVICES) {
  const model = generate(service);
  const file = join(outDir, `${service.id}.json`);
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  console.log(`${file}: ${Object.keys(model.operations).length} operations from ${model.source}`);
}
