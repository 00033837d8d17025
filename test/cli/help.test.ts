// `gatehouse --help`, `-h`, `help [COMMAND]` and `COMMAND --help` print usage and exit 0; a
// mistyped command or option is answered with the one meant, and exit status 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nearest } from '../../src/cli/suggest.ts';
import { CONFIG_OPTIONS } from '../../src/server/config.ts';
import { runCli } from '../support/cli.ts';
import { REPO } from '../support/doc-blocks.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('--help, -h and help print the commands, the options and the environment variables, and exit 0', async () => {
  const [long, short, word] = await Promise.all([runCli(['--help']), runCli(['-h']), runCli(['help'])]);
  for (const r of [long, short, word]) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, long.stdout);
  }
  const usage = long.stdout;
  assert.match(usage, /^Usage: gatehouse <command> \[options\]/);
  for (const command of ['serve', 'report', 'audit verify', 'alerts', 'mfa code', 'aws-data-path', 'help']) assert.match(usage, new RegExp(`^  ${command} `, 'm'), command);
  for (const option of Object.keys(CONFIG_OPTIONS)) assert.ok(usage.includes(`--${option}`), `--${option} is in the usage`);
  // Every setting Gatehouse reads from the environment is named.
  const variables = new Set(sources(join(REPO, 'src')).flatMap((f) => readFileSync(f, 'utf8').match(/GATEHOUSE_[A-Z0-9_]*[A-Z0-9]\b/g) ?? []));
  assert.ok(variables.size > 20);
  for (const v of variables) assert.ok(usage.includes(v), `${v} is in the usage`);
  assert.match(usage, /Not npx gatehouse/);
});

test('each command answers --help and -h (and help COMMAND) with its own usage, and exit 0', async () => {
  const cases: [string[], RegExp][] = [
    [['serve', '--help'], /^Usage: gatehouse \[serve\] \[options\]\n[\s\S]*--data-key-file FILE/],
    [['--port', '8080', '--help'], /^Usage: gatehouse \[serve\] \[options\]/],
    [['report', '--help'], /^Usage: gatehouse report \[--data-dir DIR\] \[--account-id ID\] \[--json\]\n[\s\S]*--json /],
    [['report', '-h'], /^Usage: gatehouse report /],
    [['help', 'report'], /^Usage: gatehouse report /],
    [['audit', 'verify', '--help'], /^Usage: gatehouse audit verify [\s\S]*--public-key FILE/],
    [['audit', '--help'], /^Usage: gatehouse audit verify /],
    [['alerts', '-h'], /^Usage: gatehouse alerts /],
    [['mfa', 'code', '--help'], /^Usage: gatehouse mfa code --seed-file FILE/],
    [['aws-data-path', '--help'], /^Usage: gatehouse aws-data-path /],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    const [args, usage] = cases[i]!;
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, usage, args.join(' '));
  });
});

test('a mistyped command or option names the one meant, and exits 2', async () => {
  const [command, option, serveOption, unknown, audit] = await Promise.all([
    runCli(['reprot']),
    runCli(['report', '--dat-dir', 'x']),
    runCli(['--prot', '8080']),
    runCli(['frobnicate']),
    runCli(['audit', 'verfy']),
  ]);
  assert.deepEqual([command.status, command.stdout], [2, '']);
  assert.equal(command.stderr, 'gatehouse: unknown command reprot. Did you mean report? (gatehouse --help lists the commands)\n');
  assert.equal(option.status, 2);
  assert.equal(option.stderr, 'gatehouse: unknown option --dat-dir. Did you mean --data-dir? (gatehouse report --help lists the options)\n');
  assert.equal(serveOption.status, 2);
  assert.equal(serveOption.stderr, 'gatehouse: unknown option --prot. Did you mean --port? (gatehouse serve --help lists the options)\n');
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, 'gatehouse: unknown command frobnicate. (gatehouse --help lists the commands)\n');
  assert.equal(audit.status, 2);
  assert.equal(audit.stderr, 'gatehouse: unknown audit command verfy: the one there is, is verify\n');
});

test('nearest: a typo finds its word; another word finds nothing', () => {
  const commands = ['serve', 'report', 'audit', 'alerts', 'mfa', 'aws-data-path', 'help'];
  assert.equal(nearest('reprot', commands), 'report');
  assert.equal(nearest('srve', commands), 'serve');
  assert.equal(nearest('alert', commands), 'alerts');
  assert.equal(nearest('aud', commands), 'audit');
  assert.equal(nearest('aws', commands), 'aws-data-path');
  assert.equal(nearest('frobnicate', commands), undefined);
  assert.equal(nearest('x', commands), undefined);
});
