// The `gatehouse` command in a child process, as a user runs it: bin/gatehouse.mjs with Node.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REPO } from './doc-blocks.ts';

export const BIN = `${REPO}bin/gatehouse.mjs`;

/** Settings for a quick first start: a cheap password hash, and a silent audit export. */
export const QUICK_START_ENV = { GATEHOUSE_PASSWORD_HASH_COST: '14', GATEHOUSE_AUDIT_EXPORT_DIR: '' };

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gatehouse …args` to its end (asynchronously: a server it talks to may be in this process). */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface CliServer {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  /** stdout up to and including the "listening" log line. */
  stdout: string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `gatehouse serve` on port 0 and waits for its "listening" log line. */
export function startCliServer(dataDir: string, env: Record<string, string> = {}): Promise<CliServer> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...QUICK_START_ENV, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`gatehouse serve did not start: ${stdout}${stderr}`)), 60_000);
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      if (!line.includes('"Gatehouse is listening"')) return;
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({ child, pid: child.pid!, url, port: Number(new URL(url).port), stdout, stderr: () => stderr, exited });
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse serve exited (${code ?? signal}) before listening: ${stdout}${stderr}`));
    });
  });
}
