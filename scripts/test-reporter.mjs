// A concise reporter for Node's test runner: a dot per passing test (F for a failure), then each
// failure in full (its name, file:line, error, and what its file printed), the slowest files, and
// last the line `N passed, N failed`. A file that fails to load and a cancelled test are failures.
import { relative } from 'node:path';
import { inspect } from 'node:util';

const WIDTH = 80;
const SLOWEST = 5;
const KINDS = { cancelledByParent: ' (cancelled)', hookFailed: ' (a hook failed)', testTimeoutFailure: ' (timed out)' };

const where = (file) => (file ? relative(process.cwd(), file) : '(unknown file)');

function describeError(error) {
  // The runner wraps what a test threw: the thrown error is the cause.
  const thrown = error?.cause ?? error;
  if (typeof thrown === 'string') return thrown;
  // Drop the runner's own stack frames (keeping the brace that opens the error's properties).
  const lines = [];
  for (const line of inspect(thrown, { depth: 6 }).trimEnd().split('\n')) {
    if (!/^ +at .*\bnode:(internal|async_hooks)\b/.test(line)) lines.push(line);
    else if (line.endsWith(' {')) lines[lines.length - 1] += ' {';
  }
  return lines.join('\n');

}

export default async function* conciseReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let column = 0;
  const open = new Map(); // file → names of the tests running at each nesting level
  const printed = new Map(); // file → what it wrote to stdout/stderr, shown if it has a failure
  const durations = new Map(); // file → ms
  const failures = [];

  const mark = (c) => {
    column = (column + 1) % WIDTH;
    return column === 0 ? `${c}\n` : c;
  };

  for await (const { type, data } of source) {
    if (type === 'test:start') {
      const names = open.get(data.file) ?? [];
      names.length = data.nesting;
      names.push(data.name);
      open.set(data.file, names);
    } else if (type === 'test:stdout' || type === 'test:stderr') {
      printed.set(data.file, (printed.get(data.file) ?? '') + data.message);
    } else if (type === 'test:complete' && data.nesting === 0 && data.name === data.file) {
      durations.set(data.file, data.details.duration_ms);
    } else if (type === 'test:pass') {
      if (data.details.type === 'suite') continue;
      if (data.skip !== undefined || data.todo !== undefined) skipped++;
      else passed++;
      yield mark('.');
    } else if (type === 'test:fail') {
      const error = data.details.error;
      // A suite or test whose own code passed but a subtest failed: that subtest is reported.
      if (error?.failureType === 'subtestsFailed') continue;
      failed++;
      const path = data.name === data.file ? [] : (open.get(data.file) ?? []).slice(0, data.nesting).concat(data.name);
      failures.push({ file: data.file, line: data.line, column: data.column, path, error });
      yield mark('F');
    }
  }

  if (column !== 0) yield '\n';
  for (const [i, f] of failures.entries()) {
    const location = `${where(f.file)}${f.line ? `:${f.line}:${f.column}` : ''}`;
    const kind = f.path.length === 0 ? ' (the file failed)' : KINDS[f.error?.failureType] ?? '';
    yield `\n${i + 1}) ${f.path.join(' > ') || where(f.file)}${kind}\n   at ${location}\n`;
    yield `${describeError(f.error).replace(/^/gm, '   ')}\n`;
    const output = printed.get(f.file);
    if (output) {
      yield `   output of ${where(f.file)}:\n${output.replace(/^/gm, '   | ')}\n`;
      printed.delete(f.file); // once per file
    }
  }
  const slowest = [...durations].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
  if (slowest.length > 0) {
    yield `\nslowest files: ${slowest.map(([file, ms]) => `${where(file)} ${(ms / 1000).toFixed(1)} s`).join(', ')}\n`;
  }
  if (skipped > 0) yield `${skipped} skipped or todo\n`;
  yield `${passed} passed, ${failed} failed\n`;
}
