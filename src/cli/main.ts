// gatehouse <command> [options]
//   serve     run the server (default)
import { loadConfig } from '../server/config.ts';
import { startGatehouse } from '../server/gatehouse.ts';

const USAGE = `Usage: gatehouse [serve] [options]

Commands:
  serve            run Gatehouse (the default)

Options (environment variable in brackets):
  --host HOST                    listen address [GATEHOUSE_HOST] (127.0.0.1)
  --port PORT                    listen port [GATEHOUSE_PORT] (7070)
  --data-dir DIR                 data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --account-id ID                12-digit id of the account made on first start [GATEHOUSE_ACCOUNT_ID]
  --region REGION                default region [GATEHOUSE_REGION] (us-east-1)
  --test-mode                    add POST /_gatehouse/reset [GATEHOUSE_TEST_MODE]
  --allow-test-mode-on-network   allow test mode on a non-loopback address
  --log-level LEVEL              pino level [GATEHOUSE_LOG_LEVEL] (info)
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
