// gatehouse <command> [options]: finds the command, answers --help, and turns failures into a
// message and an exit status (0 done, 1 failed, 2 the command line was wrong).
import { ALERTS_OPTIONS, ALERTS_USAGE, runAlerts } from './alerts.ts';
import { AUDIT_OPTIONS, AUDIT_USAGE, runAudit } from './audit.ts';
import { AWS_DATA_PATH_OPTIONS, AWS_DATA_PATH_USAGE, runAwsDataPath } from './aws-data-path.ts';
import { MFA_OPTIONS, MFA_USAGE, runMfa } from './mfa.ts';
import { REPORT_OPTIONS, REPORT_USAGE, runReport } from './report.ts';
import { runServe } from './serve.ts';
import { SERVE_OPTIONS_TEXT, SERVE_USAGE } from './serve-usage.ts';
import { CONFIG_OPTIONS } from '../server/config.ts';
import { nearest } from './suggest.ts';
import { UsageError } from './usage-error.ts';

interface Command {
  summary: string;
  usage: string;
  options: Record<string, unknown>;
  /** Resolves to the exit status (0 when nothing is returned). */
  run(argv: string[]): Promise<number | void> | number | void;
}

const out = (text: string) => process.stdout.write(text);
const help = (text: string) => {
  out(text);
  return 0;
};

const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run Gatehouse (the default command)', usage: SERVE_USAGE, options: CONFIG_OPTIONS, run: runServe },
  report: { summary: "print an account's credential hygiene report (read-only)", usage: REPORT_USAGE, options: REPORT_OPTIONS, run: (argv) => runReport(argv, { out }) },
  audit: { summary: "verify the audit trail's hash chain and signed digests (read-only)", usage: AUDIT_USAGE, options: AUDIT_OPTIONS, run: (argv) => runAudit(argv, { out }) },
  alerts: { summary: 'list the alerts raised from the audit trail (read-only)', usage: ALERTS_USAGE, options: ALERTS_OPTIONS, run: (argv) => runAlerts(argv, { out }) },
  mfa: { summary: 'print the TOTP codes of a virtual MFA device from its seed file', usage: MFA_USAGE, options: MFA_OPTIONS, run: (argv) => runMfa(argv, { out }) },
  'aws-data-path': { summary: 'point AWS CLIs older than 2.13 (no AWS_ENDPOINT_URL) at Gatehouse', usage: AWS_DATA_PATH_USAGE, options: AWS_DATA_PATH_OPTIONS, run: (argv) => runAwsDataPath(argv, { out }) },
};

const SYNOPSES: Record<string, string> = { audit: 'audit verify', mfa: 'mfa code' };

const USAGE = `Usage: gatehouse <command> [options]        gatehouse <command> --help for its options

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${(SYNOPSES[name] ?? name).padEnd(16)} ${c.summary}`)
  .join('\n')}
  help [COMMAND]   print this, or a command's usage

Run it from a checkout as ./bin/gatehouse.mjs, or npm run gatehouse -- <command> (npm run -s for
--json), or put it on your PATH with npm link. Not npx gatehouse: outside the checkout that name
is an unrelated package in the npm registry.

gatehouse [serve] [options] runs Gatehouse. ${SERVE_OPTIONS_TEXT}`;

const wantsHelp = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

function unknownCommand(name: string): UsageError {
  const guess = nearest(name, [...Object.keys(COMMANDS), 'help']);
  return new UsageError(`unknown command ${name}.${guess ? ` Did you mean ${guess}?` : ''} (gatehouse --help lists the commands)`);
}

/** parseArgs's complaints, in the CLI's words, with the option meant when there is a likely one. */
function usageErrorOf(err: unknown, name: string, command: Command): UsageError | undefined {
  if (err instanceof UsageError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? '';
    const guess = nearest(option.replace(/^-+/, '').split('=')[0]!, Object.keys(command.options));
    return new UsageError(`unknown option ${option}.${guess ? ` Did you mean --${guess}?` : ''} (gatehouse ${name} --help lists the options)`);
  }
  if (code?.startsWith('ERR_PARSE_ARGS_')) return new UsageError(`${(err as Error).message.split('\n')[0]} (gatehouse ${name} --help)`);
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return help(USAGE);
    const command = COMMANDS[topic];
    if (command === undefined) throw unknownCommand(topic);
    return help(command.usage);
  }
  if (first === '--help' || first === '-h') return help(USAGE);
  // Options without a command: serve.
  const [name, args] = first === undefined || first.startsWith('-') ? ['serve', argv] : [first, rest];
  const command = COMMANDS[name];
  if (command === undefined) throw unknownCommand(name);
  if (wantsHelp(args)) return help(command.usage);
  try {
    return (await command.run(args)) ?? 0;
  } catch (err) {
    throw usageErrorOf(err, name, command) ?? err;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    if (status !== 0) process.exitCode = status;
  },
  (err) => {
    process.stderr.write(`gatehouse: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
