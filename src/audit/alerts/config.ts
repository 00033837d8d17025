// The alerts file (YAML; JSON is YAML too):
//
//   webhooks:
//     - url: https://siem.example.com/hooks/gatehouse
//       secret: a-shared-secret            # or secretEnv: NAME_OF_AN_ENVIRONMENT_VARIABLE
//   delivery: { maxAttempts: 10, initialBackoffSeconds: 1, maxBackoffSeconds: 3600 }
//   rules:                                  # built-in rules: turn off, re-rate, tune
//     policy-change: { enabled: false }
//     failed-signins: { threshold: 5, windowSeconds: 300 }
//     signin-brute-force: { threshold: 5, windowSeconds: 900 }   # distinct addresses failing for one identity
//     access-denied-burst: { threshold: 10, windowSeconds: 300, severity: high }
//   custom:
//     - id: user-deleted
//       severity: medium
//       description: A user was deleted
//       match: { eventName: [DeleteUser], errorCode: { exists: false } }
//       threshold: 1                        # optional: N matches within windowSeconds, per groupBy
//       windowSeconds: 60
//       groupBy: userIdentity.arn
import { readFileSync } from 'node:fs';
import type { Severity } from './types.ts';

export interface RuleSettings {
  enabled?: boolean;
  severity?: Severity;
  threshold?: number;
  windowSeconds?: number;
}

export type MatchValue = string | number | boolean | (string | number | boolean)[] | { exists: boolean };

export interface CustomRuleSpec {
  id: string;
  severity: Severity;
  description: string;
  /** Dotted paths into the record (eventName, userIdentity.type, requestParameters.userName, …). */
  match: Record<string, MatchValue>;
  threshold?: number;
  windowSeconds?: number;
  groupBy?: string;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliverySettings {
  maxAttempts: number;
  initialBackoffSeconds: number;
  maxBackoffSeconds: number;
}

export interface AlertsConfig {
  rules: Record<string, RuleSettings>;
  custom: CustomRuleSpec[];
  webhooks: WebhookTarget[];
  delivery: DeliverySettings;
}

export const DEFAULT_DELIVERY: DeliverySettings = { maxAttempts: 10, initialBackoffSeconds: 1, maxBackoffSeconds: 3600 };

export function emptyAlertsConfig(): AlertsConfig {
  return { rules: {}, custom: [], webhooks: [], delivery: { ...DEFAULT_DELIVERY } };
}

const SEVERITIES = new Set(['low', 'medium', 'high', 'critical']);

interface YamlModule {
  parse(text: string): unknown;
}

/** The `yaml` package (ISC), loaded when an alerts file is read. */
async function yamlParser(): Promise<YamlModule | undefined> {
  const name = 'yaml';
  try {
    return (await import(name)) as YamlModule;
  } catch {
    return undefined;
  }
}

export async function parseAlertsText(text: string, env: NodeJS.ProcessEnv = process.env): Promise<AlertsConfig> {
  const yaml = await yamlParser();
  let raw: unknown;
  if (yaml !== undefined) raw = yaml.parse(text);
  else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('the alerts file needs the `yaml` package to be read (or write it as JSON)');
    }
  }
  return validate(raw ?? {}, env);
}

export async function loadAlertsConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AlertsConfig> {
  try {
    return await parseAlertsText(readFileSync(file, 'utf8'), env);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function positive(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${what} must be a positive number`);
  return v;
}

function severity(v: unknown, what: string): Severity | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !SEVERITIES.has(v)) fail(`${what} must be one of low, medium, high, critical`);
  return v as Severity;
}

function validate(raw: unknown, env: NodeJS.ProcessEnv): AlertsConfig {
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('the alerts file must be a mapping');
  const o = raw as Record<string, unknown>;
  const config = emptyAlertsConfig();
  for (const [id, v] of Object.entries((o.rules ?? {}) as Record<string, unknown>)) {
    const s = (v ?? {}) as Record<string, unknown>;
    config.rules[id] = {
      enabled: s.enabled === undefined ? undefined : s.enabled !== false,
      severity: severity(s.severity, `rules.${id}.severity`),
      threshold: positive(s.threshold, `rules.${id}.threshold`),
      windowSeconds: positive(s.windowSeconds, `rules.${id}.windowSeconds`),
    };
  }
  for (const [i, v] of ((o.custom ?? []) as unknown[]).entries()) {
    const s = v as Record<string, unknown>;
    if (typeof s?.id !== 'string' || s.id === '') fail(`custom[${i}].id is required`);
    if (typeof s.match !== 'object' || s.match === null || Object.keys(s.match).length === 0) fail(`custom[${i}].match needs at least one field`);
    config.custom.push({
      id: s.id,
      severity: severity(s.severity, `custom[${i}].severity`) ?? 'medium',
      description: typeof s.description === 'string' ? s.description : s.id,
      match: s.match as Record<string, MatchValue>,
      threshold: positive(s.threshold, `custom[${i}].threshold`),
      windowSeconds: positive(s.windowSeconds, `custom[${i}].windowSeconds`),
      groupBy: typeof s.groupBy === 'string' ? s.groupBy : undefined,
    });
  }
  for (const [i, v] of ((o.webhooks ?? []) as unknown[]).entries()) {
    const s = v as Record<string, unknown>;
    if (typeof s?.url !== 'string' || !/^https?:\/\//.test(s.url)) fail(`webhooks[${i}].url must be an http(s) URL`);
    const secret = typeof s.secret === 'string' ? s.secret : typeof s.secretEnv === 'string' ? env[s.secretEnv] : undefined;
    if (secret === undefined || secret === '') fail(`webhooks[${i}] needs a secret (secret or secretEnv)`);
    config.webhooks.push({ url: s.url, secret });
  }
  const d = (o.delivery ?? {}) as Record<string, unknown>;
  config.delivery = {
    maxAttempts: positive(d.maxAttempts, 'delivery.maxAttempts') ?? DEFAULT_DELIVERY.maxAttempts,
    initialBackoffSeconds: positive(d.initialBackoffSeconds, 'delivery.initialBackoffSeconds') ?? DEFAULT_DELIVERY.initialBackoffSeconds,
    maxBackoffSeconds: positive(d.maxBackoffSeconds, 'delivery.maxBackoffSeconds') ?? DEFAULT_DELIVERY.maxBackoffSeconds,
  };
  return config;
}
