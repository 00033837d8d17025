// The shell examples of the README and docs/, run as written: a block between
// `<!-- NAME … -->` and `<!-- /NAME -->` markers, with bash, the way a reader would paste it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
/** The tools the examples use, as Debian installs them (.ci/run does). */
export const TOOLS = { aws: '/usr/bin/aws', oathtool: '/usr/bin/oathtool', jq: '/usr/bin/jq', curl: '/usr/bin/curl' };

export function assertTools(...names: (keyof typeof TOOLS)[]): void {
  for (const name of names) assert.ok(existsSync(TOOLS[name]), `${TOOLS[name]} is missing: apt-get install -y awscli oathtool jq curl, as .ci/run does (this test does not skip)`);
}

/** The shell block between `<!-- NAME … -->` and `<!-- /NAME -->` in `file` (relative to the repository). */
export function docBlock(file: string, name: string): string {
  const text = readFileSync(new URL(file, `file://${REPO}`), 'utf8');
  const m = new RegExp(`<!-- ${name}[^>]*-->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- /${name} -->`).exec(text);
  assert.ok(m, `${file} has no ${name} block`);
  return m[1]!;
}

export interface BashRun {
  status: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/** A PATH with the system's tools, the Node running the tests, and nothing of the caller's. */
export const SYSTEM_PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;

/**
 * Runs `script` with bash, asynchronously (the server answering it may run in this process), in
 * a new session with no controlling terminal: a prompt (the AWS CLI's MFA prompt) reads stdin,
 * and `answer` may reply to what the output shows so far.
 */
export function runBash(script: string, options: { cwd: string; env: Record<string, string>; answer?: (output: string) => string | undefined; timeoutMs?: number }): Promise<BashRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('setsid', ['bash', '-c', script], { cwd: options.cwd, env: options.env });
    let output = '';
    let answered = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const reply = options.answer?.(output.slice(answered));
      if (reply !== undefined) {
        answered = output.length;
        child.stdin.write(reply);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    if (options.answer === undefined) child.stdin.end();
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}
