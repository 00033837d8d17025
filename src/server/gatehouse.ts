// A running Gatehouse: the store, the in-memory state and its compiled policy view, the
// dispatcher and the HTTP listener, wired once. Used by `gatehouse serve` and by the tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { LastAccessedIndex } from '../analyzer/last-accessed-index.ts';
import { Dispatcher } from '../api/dispatch.ts';
import { operationTables } from '../api/services.ts';
import { SigninService } from '../authn/signin.ts';
import { SigninGuard } from '../authn/signin-guard.ts';
import { Authorizer } from '../authz/authorizer.ts';
import { PolicyView } from '../authz/policy-view.ts';
import { SimulationPool } from '../authz/simulation-pool.ts';
import { bootstrap, BOOTSTRAP_CREDENTIALS_FILE, bootstrapNotice, credentialsProfile, primaryAccount, resetToBootstrap } from '../iam/bootstrap.ts';
import type { Account } from '../iam/entities.ts';
import { PasswordHasher } from '../iam/passwords.ts';
import { partitionOf } from '../authn/regions.ts';
import { DEFAULT_PARTITION } from '../model/arn.ts';
import { IamState } from '../iam/state.ts';
import { systemClock, type Clock } from '../model/clock.ts';
import { IdSource } from '../model/ids.ts';
import { DATA_KEY_FILE_NAME, loadDataKey, secretBox, type SecretBox } from '../store/data-key.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { isLoopback, type Config } from './config.ts';
import { lockDataDir, prepareDataDir, type DataDirLock } from './data-dir.ts';
import { createHttpServer } from './http.ts';
import { routeTable } from './routes.ts';
import { SourceAddresses } from './source-address.ts';
import { auditConfigFrom, type AuditConfig } from '../audit/config.ts';
import type { AlertsConfig } from '../audit/alerts/config.ts';
import { lookupKeysOf } from '../audit/lookup-keys.ts';
import { startAudit, type AuditTrail } from '../audit/service.ts';
import { loadSigningKey } from '../audit/digest.ts';

export interface Gatehouse {
  url: string;
  port: number;
  accountId: string;
  state: IamState;
  dispatcher: Dispatcher;
  audit: AuditTrail;
  close(): Promise<void>;
}

export interface GatehouseDeps {
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  /** Where the bootstrap notice is printed on first start (stdout by default). */
  announce?: (text: string) => void;
  /**
   * Whether that notice shows the admin's secret key and the root password (default: when stdout
   * is a terminal); otherwise it names the file that holds them.
   */
  showSecrets?: boolean;
  /** Audit trail settings (default: from GATEHOUSE_AUDIT_* / GATEHOUSE_ALERTS_* in the environment). */
  audit?: Partial<AuditConfig>;
  /** Alert rules and webhooks, instead of the alerts file. */
  alerts?: AlertsConfig;
  /** Shows the progress of long start-up work (the exporter's first run): the CLI's progress line. */
  progress?: (text: string | undefined) => void;
}

export async function startGatehouse(config: Config, deps: GatehouseDeps = {}): Promise<Gatehouse> {
  if (config.testMode && !isLoopback(config.host) && !config.allowTestModeOnNetwork) {
    throw new Error(`test mode exposes a reset endpoint: refusing it on ${config.host} without --allow-test-mode-on-network`);
  }
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? new IdSource();
  const logger = deps.logger ?? pino({ level: config.logLevel });
  prepareDataDir(config.dataDir, (message) => logger.warn({ dataDir: config.dataDir }, message));
  const lock = lockDataDir(config.dataDir);
  // What startup opened, closed in reverse if a later step fails (a port in use, a wrong key).
  const opened: (() => unknown)[] = [() => lock.release()];
  try {
    return await serveDataDir(config, deps, { clock, ids, logger, lock, opened });
  } catch (err) {
    for (const close of opened.reverse()) await close();
    throw err;
  }
}

interface Startup {
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  lock: DataDirLock;
  opened: (() => unknown)[];
}

async function serveDataDir(config: Config, deps: GatehouseDeps, { clock, ids, logger, lock, opened }: Startup): Promise<Gatehouse> {
  const auditConfig = { ...auditConfigFrom(process.env, config.dataDir), ...deps.audit };
  // The audit signing key keys the trail's hash chain, which the store computes.
  const signingKey = loadSigningKey(config.dataDir, auditConfig.keyFile);
  const store = await openSqliteStore(config.dataDir, { eventKeys: lookupKeysOf, chainKey: signingKey.chainKey });
  opened.push(() => store.close());
  const state = await IamState.load(store);
  const fresh = primaryAccount(state) === undefined;
  const secrets = secretBox(loadDataKey(config.dataDir, { base64: config.dataKey, file: config.dataKeyFile }, fresh));
  checkDataKey(state, secrets, config, logger);
  const hasher = new PasswordHasher({ logN: config.passwordHashCost }, { concurrency: config.passwordHashConcurrency, queue: 4 * config.passwordHashConcurrency });

  if (fresh) {
    const made = await bootstrap(state, secrets, clock, ids, {
      accountId: config.accountId,
      partition: partitionOf(config.region)!.id,
      freshAccount: config.freshAccount,
      accessKeyId: config.bootstrapAccessKeyId,
      secretAccessKey: config.bootstrapSecretAccessKey,
      rootSignIn: { hasher, email: config.rootEmail, password: config.rootPassword },
    });
    const file = join(config.dataDir, BOOTSTRAP_CREDENTIALS_FILE);
    const profile = credentialsProfile(made, config.region, file);
    writeFileSync(file, profile, { mode: 0o600 });
    chmodSync(file, 0o600);
    // Secrets go to stdout only when a person is reading it, not into a log file or a journal.
    const showSecrets = deps.showSecrets ?? process.stdout.isTTY === true;
    (deps.announce ?? ((t) => process.stdout.write(t)))(bootstrapNotice(made, file, showSecrets ? profile : undefined));
  }
  const account = primaryAccount(state)!;
  checkPartition(account, config.region);

  const view = new PolicyView(state);
  const authorizer = new Authorizer(view);
  const audit = await startAudit({
    store,
    state,
    clock,
    ids,
    region: config.region,
    dataDir: config.dataDir,
    logger,
    config: auditConfig,
    signingKey,
    accountId: account.accountId,
    progress: deps.progress,
    alerts: deps.alerts,
  });
  opened.push(() => audit.close());
  const simulations = new SimulationPool();
  opened.push(() => simulations.close());
  const dispatcher = new Dispatcher({
    state,
    view,
    authorizer,
    clock,
    ids,
    secrets,
    operations: operationTables({
      hasher,
      allowRootAccessKeys: config.allowRootAccessKeys,
      trail: { flush: () => audit.flush(), queries: audit.queries },
      simulations,
      lastAccessed: new LastAccessedIndex((afterId, limit) => audit.queries.eventsAfter(afterId, limit)),
    }),
  });
  const guard = new SigninGuard(config.signin, clock);
  const signin = new SigninService({
    state,
    clock,
    ids,
    secrets,
    hasher,
    authorizer,
    guard,
    config: config.signin,
    region: config.region,
  });
  const reset = config.testMode
    ? {
        token: resetToken(config),
        run: () => {
          guard.clear();
          audit.recorder.closeAggregates();
          return resetToBootstrap(state, clock, config.freshAccount);
        },
      }
    : undefined;
  const server = createHttpServer({
    routes: routeTable({ aws: dispatcher, signin, reset }),
    sources: new SourceAddresses(config.trustedProxies),
    audit: audit.recorder,
    ids,
    logger,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  opened.push(() => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info({ url: `http://${host}:${port}`, dataDir: config.dataDir, accountId: account.accountId, testMode: config.testMode }, 'Gatehouse is listening');

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    accountId: account.accountId,
    state,
    dispatcher,
    audit,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await state.idle();
        await simulations.close();
        await audit.close();
        await store.close();
        lock.release();
      })();
      return closing;
    },
  };
}

/**
 * The account lives in one partition, fixed at bootstrap from the region: a region of another
 * partition later would have Gatehouse hand out profiles for a partition whose requests it refuses.
 */
function checkPartition(account: Account, region: string): void {
  const partition = account.partition ?? DEFAULT_PARTITION;
  const configured = partitionOf(region)!.id;
  if (configured !== partition) {
    throw new Error(`account ${account.accountId} lives in partition ${partition}; GATEHOUSE_REGION ${region} is in ${configured}: choose a region of ${partition}`);
  }
}

/** Test mode's reset token: GATEHOUSE_RESET_TOKEN, or a new random one written to <data dir>/reset-token (0600). */
function resetToken(config: Config): string {
  if (config.resetToken !== undefined) return config.resetToken;
  const token = randomBytes(24).toString('base64url');
  const file = join(config.dataDir, RESET_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode through writeFileSync
  return token;
}

export const RESET_TOKEN_FILE = 'reset-token';

/**
 * Fails at start, rather than at the first signed request, when the data key is not the one this
 * data directory's secrets were sealed with (a key file moved or mistyped); and warns of a key
 * file left in the data directory when the key now comes from elsewhere.
 */
function checkDataKey(state: IamState, secrets: SecretBox, config: Config, logger: Logger): void {
  const from = config.dataKey ? 'GATEHOUSE_DATA_KEY' : config.dataKeyFile ? `GATEHOUSE_DATA_KEY_FILE ${config.dataKeyFile}` : join(config.dataDir, DATA_KEY_FILE_NAME);
  const key = state.listAll('accessKey')[0];
  if (key !== undefined) {
    try {
      secrets.open(key.data.secretEncrypted);
    } catch {
      throw new Error(`the data key (${from}) does not open the secrets in ${config.dataDir}: they were sealed with another key`);
    }
  }
  const leftover = join(config.dataDir, DATA_KEY_FILE_NAME);
  if ((config.dataKey || config.dataKeyFile) && existsSync(leftover)) {
    logger.warn({ dataDir: config.dataDir }, `the data key comes from ${from}, yet ${leftover} still holds a key beside the database: delete it once you no longer need it`);
  }
}
