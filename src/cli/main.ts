// gatehouse <command> [options]
//   serve     run the server (default)
//   report    print an account's credential hygiene report
//   audit     verify the audit trail (hash chain and signed digests)
//   alerts    list the alerts raised
import { loadConfig } from '../server/config.ts';
import { startGatehouse } from '../server/gatehouse.ts';
import { runAlerts } from './alerts.ts';
import { runAudit } from './audit.ts';
import { runReport } from './report.ts';

const USAGE = `Usage: gatehouse [serve] [options]
       gatehouse report [--data-dir DIR] [--account-id ID] [--json]
       gatehouse audit verify [--data-dir DIR] [--public-key FILE]
       gatehouse alerts [--data-dir DIR] [--json]

Commands:
  serve            run Gatehouse (the default)
  report           print an account's credential hygiene report (read-only; --help for more)
  audit verify     check the audit trail's hash chain and signed digests; names the first event
                   altered, removed or inserted (exit 1), or says all is intact
  alerts           list the alerts raised from the audit trail

Options (environment variable in brackets):
  --host HOST                    listen address [GATEHOUSE_HOST] (127.0.0.1)
  --port PORT                    listen port [GATEHOUSE_PORT] (7070)
  --data-dir DIR                 data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --account-id ID                12-digit id of the account made on first start [GATEHOUSE_ACCOUNT_ID]
  --region REGION                default region [GATEHOUSE_REGION] (us-east-1)
  --test-mode                    add POST /_gatehouse/reset [GATEHOUSE_TEST_MODE]
  --allow-test-mode-on-network   allow test mode on a non-loopback address
  --log-level LEVEL              pino level [GATEHOUSE_LOG_LEVEL] (info)
  --root-email EMAIL             the root user's sign-in email, set on first start [GATEHOUSE_ROOT_EMAIL]
                                 (its password: [GATEHOUSE_ROOT_PASSWORD], else generated and shown once)
  --allow-root-access-keys       let the root user create access keys [GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS]
  --password-hash-cost N         log2 of scrypt's N for password hashes, 14-20 [GATEHOUSE_PASSWORD_HASH_COST] (17)
  --signin-slowdown-threshold N  failed sign-ins before each retry must wait [GATEHOUSE_SIGNIN_SLOWDOWN_THRESHOLD] (3)
  --signin-slowdown-seconds N    the first wait, doubling per failure [GATEHOUSE_SIGNIN_SLOWDOWN_SECONDS] (2)
  --signin-lockout-threshold N   failed sign-ins that lock an identity out [GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD] (10)
  --signin-source-lockout-threshold N  failed sign-ins that lock a source address out
                                 [GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD] (100)
  --signin-lockout-seconds N     how long a lockout lasts [GATEHOUSE_SIGNIN_LOCKOUT_SECONDS] (900)
  --signin-session-seconds N     console session length [GATEHOUSE_SIGNIN_SESSION_SECONDS] (43200; root: 3600)
`;

async function serve(argv: string[]): Promise<void> {
  const gatehouse = await startGatehouse(loadConfig(argv));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: Gatehouse is stopping\n`);
    gatehouse.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith('-')) return serve(argv);
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'report':
      return runReport(rest, { out: (t) => process.stdout.write(t) });
    case 'audit':
      process.exitCode = await runAudit(rest, { out: (t) => process.stdout.write(t) });
      return;
    case 'alerts':
      return runAlerts(rest, { out: (t) => process.stdout.write(t) });
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`gatehouse: unknown command ${command}\n\n${USAGE}`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`gatehouse: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
