// A running Gatehouse: the store, the in-memory state and its compiled policy view, the
// dispatcher and the HTTP listener, wired once. Used by `gatehouse serve` and by the tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { Dispatcher } from '../api/dispatch.ts';
import { operationTables } from '../api/services.ts';
import { SigninService } from '../authn/signin.ts';
import { SigninGuard } from '../authn/signin-guard.ts';
import { Authorizer } from '../authz/authorizer.ts';
import { PolicyView } from '../authz/policy-view.ts';
import { bootstrap, credentialsProfile, primaryAccount, resetToBootstrap } from '../iam/bootstrap.ts';
import { PasswordHasher } from '../iam/passwords.ts';
import { IamState } from '../iam/state.ts';
import { systemClock, type Clock } from '../model/clock.ts';
import { IdSource } from '../model/ids.ts';
import { loadDataKey, secretBox } from '../store/data-key.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { isLoopback, type Config } from './config.ts';
import { createHttpServer } from './http.ts';
import { auditConfigFrom, type AuditConfig } from '../audit/config.ts';
import type { AlertsConfig } from '../audit/alerts/config.ts';
import { lookupKeysOf } from '../audit/lookup-keys.ts';
import { startAudit, type AuditTrail } from '../audit/service.ts';

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
  /** Where the bootstrap profile is printed on first start (stdout by default). */
  announce?: (text: string) => void;
  /** Audit trail settings (default: from GATEHOUSE_AUDIT_* / GATEHOUSE_ALERTS_* in the environment). */
  audit?: Partial<AuditConfig>;
  /** Alert rules and webhooks, instead of the alerts file. */
  alerts?: AlertsConfig;
}

export async function startGatehouse(config: Config, deps: GatehouseDeps = {}): Promise<Gatehouse> {
  if (config.testMode && !isLoopback(config.host) && !config.allowTestModeOnNetwork) {
    throw new Error(`test mode exposes a reset endpoint: refusing it on ${config.host} without --allow-test-mode-on-network`);
  }
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? new IdSource();
  const logger = deps.logger ?? pino({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openSqliteStore(config.dataDir, { eventKeys: lookupKeysOf });
  const state = await IamState.load(store);
  const secrets = secretBox(loadDataKey(config.dataDir, config.dataKey));
  const hasher = new PasswordHasher({ logN: config.passwordHashCost });

  let account = primaryAccount(state);
  if (account === undefined) {
    const made = await bootstrap(state, secrets, clock, ids, {
      accountId: config.accountId,
      accessKeyId: config.bootstrapAccessKeyId,
      secretAccessKey: config.bootstrapSecretAccessKey,
      rootSignIn: { hasher, email: config.rootEmail, password: config.rootPassword },
    });
    const profile = credentialsProfile(made, config.region);
    writeFileSync(join(config.dataDir, 'bootstrap-credentials'), profile, { mode: 0o600 });
    (deps.announce ?? ((t) => process.stdout.write(t)))(`Gatehouse created account ${made.accountId}. Its admin credentials (shown once, also in ${join(config.dataDir, 'bootstrap-credentials')}):\n\n${profile}\n`);
    account = primaryAccount(state)!;
  }

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
    config: { ...auditConfigFrom(process.env, config.dataDir), ...deps.audit },
    alerts: deps.alerts,
  });
  const dispatcher = new Dispatcher({
    state,
    view,
    authorizer,
    clock,
    ids,
    secrets,
    region: config.region,
    operations: operationTables({
      hasher,
      allowRootAccessKeys: config.allowRootAccessKeys,
      trail: { flush: () => audit.flush(), queries: audit.queries },
    }),
    audit: audit.recorder,
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
  const server = createHttpServer({
    dispatcher,
    logger,
    reset: config.testMode
      ? () => {
          guard.clear();
          return resetToBootstrap(state, clock);
        }
      : undefined,
    signin,
    audit: audit.recorder,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
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
        await audit.close();
        await store.close();
      })();
      return closing;
    },
  };
}
