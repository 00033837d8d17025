// `gatehouse serve`: runs Gatehouse until SIGTERM or SIGINT, then stops gracefully: no new
// connections, the requests under way answered, the audit trail flushed, the database and the
// data directory's lock closed. A second signal stops at once.
import { loadConfig } from '../server/config.ts';
import { startGatehouse } from '../server/gatehouse.ts';
import { progressLine } from './progress.ts';

export async function runServe(argv: string[]): Promise<void> {
  // The exporter's first run over a large trail shows its progress on a terminal.
  const line = progressLine();
  const gatehouse = await startGatehouse(loadConfig(argv), { progress: (text) => (text === undefined ? line.done() : line.update(text)) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: Gatehouse stops now, without waiting\n`);
      process.exit(1);
    }
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
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
