// Dependencies point inward (docs/ARCHITECTURE.md, "Layers"): every import in src/ is read, and
// a folder may import only from its own layer or one further in; the domain folders, which share
// a layer, must not form a cycle. A new folder has to be placed in LAYERS before it can be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

/** Inner to outer. Folders of one layer may use each other (the domain: without a cycle). */
const LAYERS: readonly (readonly string[])[] = [
  ['policy', 'model'],
  ['store', 'protocol'],
  ['iam', 'authz', 'sts', 'authn', 'audit', 'analyzer'],
  ['api'],
  ['server'],
  ['cli'],
];
const layerOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((f) => [f, rank] as const)));
/** The folders that use nothing of ours but themselves. */
const SELF_CONTAINED = new Set(['policy', 'model']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** Folder → the folders its files import, with one example import each. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sources(SRC)) {
    const from = relative(SRC, file).split('/')[0]!;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(SRC, resolve(dirname(file), spec));
      if (target.startsWith('..')) throw new Error(`${relative(SRC, file)} imports ${spec}, outside src/`);
      const to = target.split('/')[0]!;
      if (to !== from && !graph.get(from)!.has(to)) graph.get(from)!.set(to, `${relative(SRC, file)} imports ${spec}`);
    }
  }
  return graph;
}

const graph = folderGraph();

test('every folder of src/ has a layer', () => {
  const unplaced = [...graph.keys()].filter((f) => !layerOf.has(f) && f.includes('.') === false);
  assert.deepEqual(unplaced, [], 'add these folders to LAYERS in test/architecture/layers.test.ts and docs/ARCHITECTURE.md');
});

test('no folder imports a folder further out', () => {
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    for (const [to, example] of targets) {
      const outward = (layerOf.get(to) ?? Infinity) > (layerOf.get(from) ?? -1);
      if (outward || SELF_CONTAINED.has(from)) violations.push(`${from} → ${to}: ${example}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the folders of a layer form no cycle', () => {
  // Depth-first search over same-layer edges; a back edge closes a cycle.
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (folder: string, path: string[]): void => {
    state.set(folder, 'open');
    for (const to of graph.get(folder)?.keys() ?? []) {
      if (layerOf.get(to) !== layerOf.get(folder)) continue;
      if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to].join(' → ') + `  (${graph.get(folder)!.get(to)})`);
      else if (state.get(to) === undefined) walk(to, [...path, to]);
    }
    state.set(folder, 'done');
  };
  for (const folder of graph.keys()) if (state.get(folder) === undefined) walk(folder, [folder]);
  assert.deepEqual(cycles, []);
});

test('the import reader sees every form of import', () => {
  const text = `import a from './a.ts';\nimport type { B } from '../b/b.ts';\nexport { c } from "./c.ts";\nimport './d.ts';\nconst e = await import('../e/e.ts');\nnew URL('./f.mjs', import.meta.url);\nimport {\n  g,\n  h,\n} from '../g/g.ts';`;
  assert.deepEqual(specifiers(text).sort(), ['../b/b.ts', '../e/e.ts', '../g/g.ts', './a.ts', './c.ts', './d.ts', './f.mjs']);
});
