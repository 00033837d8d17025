#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (Node 20 has no --test globbing) and the
// concise reporter beside this script: dots, each failure in full, and `N passed, N failed` last.
// Usage: node scripts/run-tests.mjs [path-filter…]
// The exit code is the runner's: non-zero on any failure, a cancelled test or a file that fails to load.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}
const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}
const reporter = fileURLToPath(new URL('./test-reporter.mjs', import.meta.url));
// The SDK warns that its 2027 releases will need Node 22; we pin a release that supports Node 20.
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
// Source maps make the runner place each test on its line in the .ts file.
const concurrency = process.env.TEST_CONCURRENCY ?? '2'; // test files run at once, each in its own process
const args = ['--enable-source-maps', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', ...files];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(status ?? 1);
