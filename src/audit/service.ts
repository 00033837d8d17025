// The audit trail of a running Gatehouse, wired once: the recorder on the request path, the
// batched writer, the trail's queries (LookupEvents), signed digests on a schedule, export in
// CloudTrail's layout, and the alert engine with its webhook outbox.
import type { Logger } from 'pino';
import type { IamState } from '../iam/state.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import type { AuditStore } from '../store/trail.ts';
import { BUILTIN_PREFILTER, builtinRules, DEFAULT_BUILTIN_SETTINGS, type BuiltinSettings } from './alerts/builtin.ts';
import { emptyAlertsConfig, loadAlertsConfig, type AlertsConfig } from './alerts/config.ts';
import { customRule } from './alerts/custom.ts';
import { AlertDelivery } from './alerts/delivery.ts';
import { AlertEngine } from './alerts/engine.ts';
import type { Alert, AlertRule } from './alerts/types.ts';
import type { AuditConfig } from './config.ts';
import { DigestSchedule, writeDigest, type SigningKey } from './digest.ts';
import { TrailExporter } from './export.ts';
import { pruneTrail } from './retention.ts';
import { EventQueries } from './query.ts';
import { AuditRecorder } from './recorder.ts';
import { EventWriter } from './writer.ts';

export interface AuditDeps {
  store: AuditStore;
  state: IamState;
  clock: Clock;
  ids: IdSource;
  region: string;
  /** The account digest files are exported under. */
  accountId: string;
  dataDir: string;
  logger: Logger;
  config: AuditConfig;
  /** The audit signing key (digest.ts): the store keys the chain with it too. */
  signingKey: SigningKey;
  /** Replaces the alerts file (tests). */
  alerts?: AlertsConfig;
  fetch?: typeof fetch;
  /** Shows how far a long export has come (a text), or that it is done (undefined). */
  progress?: (text: string | undefined) => void;
}

export interface AuditTrail {
  recorder: AuditRecorder;
  queries: EventQueries;
  engine: AlertEngine;
  delivery: AlertDelivery;
  exporter: TrailExporter | undefined;
  signingKey: SigningKey;
  flush(): Promise<void>;
  /** Writes a signed digest now. */
  digest(): Promise<void>;
  close(): Promise<void>;
}

/** The rules in force: the built-in ones as the file tunes them, then the file's own. */
export function rulesFrom(config: AlertsConfig): AlertRule[] {
  const tuned = (id: string, base: BuiltinSettings[keyof BuiltinSettings]) => ({
    threshold: config.rules[id]?.threshold ?? base.threshold,
    windowSeconds: config.rules[id]?.windowSeconds ?? base.windowSeconds,
  });
  const settings: BuiltinSettings = {
    failedSignins: tuned('failed-signins', DEFAULT_BUILTIN_SETTINGS.failedSignins),
    bruteForce: tuned('signin-brute-force', DEFAULT_BUILTIN_SETTINGS.bruteForce),
    accessDenied: tuned('access-denied-burst', DEFAULT_BUILTIN_SETTINGS.accessDenied),
  };
  const rules = builtinRules(settings)
    .filter((r) => config.rules[r.id]?.enabled !== false)
    .map((r) => (config.rules[r.id]?.severity !== undefined ? { ...r, severity: config.rules[r.id]!.severity! } : r));
  return [...rules, ...config.custom.map(customRule)];
}

export async function startAudit(deps: AuditDeps): Promise<AuditTrail> {
  const { store, state, clock, logger, config } = deps;
  const log = logger.child({ component: 'audit' });
  const onError = (e: unknown) => log.error({ err: e instanceof Error ? e.stack : String(e) }, 'audit trail error');
  const alertsConfig = deps.alerts ?? (config.alertsFile !== undefined ? await loadAlertsConfig(config.alertsFile) : emptyAlertsConfig());

  // Built-in rules only: events that cannot raise an alert are known by a pattern, tested by the
  // store's event sink as it writes them, so the engine reads back only those that match.
  const prefilter = alertsConfig.custom.length === 0 ? BUILTIN_PREFILTER : undefined;
  const queries = new EventQueries(store);
  const signingKey = deps.signingKey;
  const now = () => clock.now();

  const delivery = new AlertDelivery({
    store,
    targets: alertsConfig.webhooks,
    settings: alertsConfig.delivery,
    now,
    fetch: deps.fetch,
    onError,
    onAttempt: (a) => (a.ok ? log.info(a, 'alert delivered') : log.warn(a, 'alert delivery failed')),
  });
  const engine = new AlertEngine({
    store,
    state,
    rules: rulesFrom(alertsConfig),
    targets: alertsConfig.webhooks.map((w) => w.url),
    now,
    onError,
    prefilter,
    onAlerts: (alerts: Alert[]) => {
      for (const a of alerts) log.warn({ alert: { id: a.id, rule: a.rule, severity: a.severity, summary: a.summary, accountId: a.accountId, eventId: a.eventId } }, 'alert');
      if (alertsConfig.webhooks.length > 0) delivery.kick();
    },
  });
  const sink = store.openEventSink({ prefilter, onScreened: (first, last, candidates) => engine.screened(first, last, candidates) });
  const writer = new EventWriter(sink, { maxDelayMs: config.batchDelayMs, maxBatch: config.batchSize, onError });
  const recorder = new AuditRecorder({ state, clock, ids: deps.ids, region: deps.region, writer });
  const unsubscribe = store.onEvents(() => engine.schedule());
  await engine.processNew();
  delivery.start(config.deliveryPollMs);

  // A crash may have left events no digest covers: cover them before anything else is written.
  await writeDigest(store, signingKey, clock.now(), true);
  const digest = async () => {
    await writeDigest(store, signingKey, clock.now());
  };
  const digests = new DigestSchedule(() => writeDigest(store, signingKey, clock.now(), true), config.digestIntervalSeconds * 1000, onError);

  const exporter = config.exportDir !== ''
    ? new TrailExporter(store, {
        dir: config.exportDir,
        retentionDays: config.retentionDays,
        digestAccount: deps.accountId,
        digestRegion: deps.region,
        onProgress: deps.progress && ((done, total) => deps.progress!(`audit export: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`)),
      })
    : undefined;
  const exportNow = async () => {
    if (exporter === undefined) return;
    try {
      await exporter.exportNew();
      exporter.prune(clock.now());
      const pruned = await pruneTrail(store, clock.now(), config.dbRetentionDays);
      if (pruned > 0) log.info({ pruned }, 'audit events past GATEHOUSE_AUDIT_DB_RETENTION_DAYS removed from the database (they are exported)');
    } catch (e) {
      onError(e);
    } finally {
      deps.progress?.(undefined);
    }
  };
  if (exporter === undefined && config.dbRetentionDays > 0) log.warn('GATEHOUSE_AUDIT_DB_RETENTION_DAYS prunes only exported events, and export is off: nothing is pruned');
  // The first run at start-up (all of an existing trail when export is new), then on a timer.
  const firstExport = exportNow();
  const exportTimer = exporter !== undefined ? setInterval(exportNow, config.exportIntervalSeconds * 1000) : undefined;
  exportTimer?.unref();

  let closing: Promise<void> | undefined;
  return {
    recorder,
    queries,
    engine,
    delivery,
    exporter,
    signingKey,
    flush: () => recorder.flush(),
    digest,
    close() {
      closing ??= (async () => {
        digests.stop();
        if (exportTimer !== undefined) clearInterval(exportTimer);
        recorder.closeAggregates();
        await writer.flush(true).catch(onError);
        await sink.close();
        unsubscribe();
        try {
          await engine.processNew();
          await engine.saveCursor();
        } catch (e) {
          onError(e);
        }
        await delivery.stop();
        await firstExport;
        // A last digest covers everything written, so removing the newest events shows; exported
        // with the last events, so removing it with them shows too.
        await digest().catch(onError);
        await exportNow();
      })();
      return closing;
    },
  };
}
