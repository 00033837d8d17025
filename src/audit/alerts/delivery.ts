// Webhook delivery from the outbox: each alert is POSTed to each webhook as JSON, signed with
// HMAC-SHA256 over the exact body (header X-Gatehouse-Signature: sha256=<hex>), and retried
// with exponential back-off until a 2xx answer or maxAttempts. The outbox lives in the store,
// so deliveries owed when Gatehouse stops are made after it starts again.
import { createHmac } from 'node:crypto';
import type { AlertStore, DueDelivery } from '../../store/trail.ts';
import type { DeliverySettings, WebhookTarget } from './config.ts';

export const SIGNATURE_HEADER = 'x-gatehouse-signature';

export function signatureOf(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface DeliveryDeps {
  store: AlertStore;
  targets: readonly WebhookTarget[];
  settings: DeliverySettings;
  now: () => Date;
  fetch?: typeof fetch;
  onError?: (e: unknown) => void;
  /** Each delivery attempt, for the log. */
  onAttempt?: (info: { alertId: number; target: string; ok: boolean; attempt: number; error?: string }) => void;
}

/** Deliveries read from the outbox at a time. */
const DUE_BATCH = 100;

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
    const { store, settings } = this.#deps;
    const now = this.#deps.now();
    const due = await store.dueDeliveries(now.toISOString(), DUE_BATCH);
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
        await store.updateDelivery(d.alertId, d.target, attempt, { deliveredAt: at.toISOString() });
        delivered++;
      } else if (attempt >= settings.maxAttempts || target === undefined) {
        await store.updateDelivery(d.alertId, d.target, attempt, { failedAt: at.toISOString(), error });
      } else {
        const backoff = Math.min(settings.maxBackoffSeconds, settings.initialBackoffSeconds * 2 ** (attempt - 1));
        const next = new Date(at.getTime() + backoff * 1000).toISOString();
        await store.updateDelivery(d.alertId, d.target, attempt, { nextAttempt: next, error });
      }
      this.#deps.onAttempt?.({ alertId: d.alertId, target: d.target, ok: error === undefined, attempt, error });
    }
    return delivered;
  }

  async #post(target: WebhookTarget, d: DueDelivery): Promise<string | undefined> {
    const alert = JSON.parse(d.body) as Record<string, unknown>;
    const body = JSON.stringify({ id: d.alertId, ...alert });
    try {
      const res = await (this.#deps.fetch ?? fetch)(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Gatehouse-Alerts/1',
          [SIGNATURE_HEADER]: signatureOf(target.secret, body),
          'x-gatehouse-delivery': String(d.alertId),
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
