// Webhook delivery from the outbox: each alert is POSTed to each webhook as JSON, signed with
// HMAC-SHA256 over the exact body (header X-Gatehouse-Signature: sha256=<hex>), and retried
// with exponential back-off until a 2xx answer or maxAttempts. The outbox lives in the store,
// so deliveries owed when Gatehouse stops are made after it starts again.
import { createHmac } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { DeliverySettings, WebhookTarget } from './config.ts';

export const SIGNATURE_HEADER = 'x-gatehouse-signature';

export function signatureOf(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface DeliveryDeps {
  db: Database;
  targets: readonly WebhookTarget[];
  settings: DeliverySettings;
  now: () => Date;
  fetch?: typeof fetch;
  onError?: (e: unknown) => void;
  /** Each delivery attempt, for the log. */
  onAttempt?: (info: { alertId: number; target: string; ok: boolean; attempt: number; error?: string }) => void;
}

interface Due {
  alert_id: number;
  target: string;
  attempts: number;
  body: string;
}

export class AlertDelivery {
  readonly #deps: DeliveryDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: DeliveryDeps) {
    this.#deps = deps;
  }

  /** Polls the outbox every `pollMs` (deliveries waiting for their back-off). */
  start(pollMs = 1000): void {
    this.#timer = setInterval(() => this.kick(), pollMs);
    this.#timer.unref();
    this.kick();
  }

  /** Delivers what is due now (coalesced with a run in progress). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.deliverDue()
      .catch((e) => {
        this.#deps.onError?.(e);
        return 0;
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over the deliveries due; returns how many succeeded. */
  async deliverDue(): Promise<number> {
    const { db, settings } = this.#deps;
    const now = this.#deps.now();
    const due = db
      .prepare(
        `SELECT o.alert_id, o.target, o.attempts, a.body FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
         WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt <= ? ORDER BY o.next_attempt, o.alert_id LIMIT 100`,
      )
      .all(now.toISOString()) as Due[];
    let delivered = 0;
    for (const d of due) {
      if (this.#stopped) break;
      const target = this.#deps.targets.find((t) => t.url === d.target);
      const attempt = d.attempts + 1;
      let error: string | undefined;
      if (target === undefined) error = 'the webhook is no longer configured';
      else error = await this.#post(target, d);
      const at = this.#deps.now();
      if (error === undefined) {
        db.prepare('UPDATE alert_outbox SET attempts = ?, delivered_at = ?, last_error = NULL WHERE alert_id = ? AND target = ?').run(attempt, at.toISOString(), d.alert_id, d.target);
        delivered++;
      } else if (attempt >= settings.maxAttempts || target === undefined) {
        db.prepare('UPDATE alert_outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE alert_id = ? AND target = ?').run(attempt, at.toISOString(), error, d.alert_id, d.target);
      } else {
        const backoff = Math.min(settings.maxBackoffSeconds, settings.initialBackoffSeconds * 2 ** (attempt - 1));
        const next = new Date(at.getTime() + backoff * 1000).toISOString();
        db.prepare('UPDATE alert_outbox SET attempts = ?, next_attempt = ?, last_error = ? WHERE alert_id = ? AND target = ?').run(attempt, next, error, d.alert_id, d.target);
      }
      this.#deps.onAttempt?.({ alertId: d.alert_id, target: d.target, ok: error === undefined, attempt, error });
    }
    return delivered;
  }

  async #post(target: WebhookTarget, d: Due): Promise<string | undefined> {
    const alert = JSON.parse(d.body) as Record<string, unknown>;
    const body = JSON.stringify({ id: d.alert_id, ...alert });
    try {
      const res = await (this.#deps.fetch ?? fetch)(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Gatehouse-Alerts/1',
          [SIGNATURE_HEADER]: signatureOf(target.secret, body),
          'x-gatehouse-delivery': String(d.alert_id),
          'x-gatehouse-rule': String(alert.rule),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}
