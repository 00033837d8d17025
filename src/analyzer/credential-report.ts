// The credential report (IAM user guide, "Generate credential reports for your AWS account"):
// AWS's 22-column CSV, the root user's row (`<root_account>`) first, then every IAM user;
// lowercase true/false, `N/A` where a credential is absent, `no_information` for a password never
// used, `not_supported` for what the root user does not have, dates as 2024-01-01T00:00:00+00:00.
// A report is reused for four hours: GenerateCredentialReport within that window changes nothing.
import { accessKeysOf, ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { loginProfileOf, passwordLastChanged } from '../iam/login-profiles.ts';
import { passwordExpiresAt, passwordPolicyOf } from '../iam/password-policy.ts';
import { signingCertificatesOf } from '../iam/signing-certificates.ts';
import type { Draft, StateReader } from '../iam/state.ts';
import { iamArn } from '../model/arn.ts';
import { reportExpired, reportInProgress, reportNotPresent } from '../model/errors.ts';
import { accountPartition } from '../iam/partition.ts';

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];
export type CredentialReportRow = Record<CredentialReportColumn, string>;

/** A report is served, and GenerateCredentialReport reuses it, for four hours. */
export const REPORT_REUSE_MS = 4 * 60 * 60 * 1000;
export const CREDENTIAL_REPORT_KIND = 'credentialReport';

const NA = 'N/A';

/** ISO 8601 as the report writes it: seconds, and +00:00 rather than Z. */
export function reportDate(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

const bool = (b: boolean) => (b ? 'true' : 'false');

function keyColumns(state: StateReader, accountId: string, ownerId: string): Record<string, string> {
  const keys = accessKeysOf(state, accountId, ownerId);
  const out: Record<string, string> = {};
  for (const n of [1, 2] as const) {
    const key = keys[n - 1]?.data;
    const last = key?.lastUsed;
    out[`access_key_${n}_active`] = bool(key?.status === 'Active');
    out[`access_key_${n}_last_rotated`] = key ? reportDate(key.createDate) : NA;
    out[`access_key_${n}_last_used_date`] = last ? reportDate(last.date) : NA;
    out[`access_key_${n}_last_used_region`] = last?.region ?? NA;
    out[`access_key_${n}_last_used_service`] = last?.serviceName ?? NA;
  }
  const certs = signingCertificatesOf(state, accountId, ownerId);
  for (const n of [1, 2] as const) {
    const cert = certs[n - 1]?.data;
    out[`cert_${n}_active`] = bool(cert?.status === 'Active');
    out[`cert_${n}_last_rotated`] = cert ? reportDate(cert.uploadDate) : NA;
  }
  return out;
}

function mfaActive(state: StateReader, accountId: string, ownerId: string): boolean {
  return state.list('mfaDevice', accountId).some((d) => d.data.userId === ownerId);
}

/** The report's rows, root first, as column → value. */
export function credentialReportRows(state: StateReader, accountId: string): CredentialReportRow[] {
  const rows: CredentialReportRow[] = [];
  const account = state.get('account', accountId)?.data;
  const root = loginProfileOf(state, accountId, ROOT_OWNER_ID)?.data;
  rows.push({
    user: '<root_account>',
    arn: iamArn.root(accountId, accountPartition(state, accountId)),
    user_creation_time: account ? reportDate(account.createDate) : NA,
    password_enabled: 'not_supported',
    password_last_used: root?.passwordLastUsed ? reportDate(root.passwordLastUsed) : 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: bool(mfaActive(state, accountId, ROOT_OWNER_ID)),
    ...keyColumns(state, accountId, ROOT_OWNER_ID),
  } as CredentialReportRow);

  const policy = passwordPolicyOf(state, accountId);
  for (const user of state.list('user', accountId)) {
    const d = user.data;
    const profile = loginProfileOf(state, accountId, user.id)?.data;
    const changed = profile ? passwordLastChanged(profile) : undefined;
    const rotation = changed ? passwordExpiresAt(policy, changed) : undefined;
    rows.push({
      user: d.userName,
      arn: d.arn,
      user_creation_time: reportDate(d.createDate),
      password_enabled: bool(profile !== undefined),
      password_last_used: d.passwordLastUsed ? reportDate(d.passwordLastUsed) : profile ? 'no_information' : NA,
      password_last_changed: changed ? reportDate(changed) : NA,
      password_next_rotation: rotation ? reportDate(rotation) : NA,
      mfa_active: bool(mfaActive(state, accountId, user.id)),
      ...keyColumns(state, accountId, user.id),
    } as CredentialReportRow);
  }
  return rows;
}

export function credentialReportCsv(state: StateReader, accountId: string): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(',')];
  // No value can hold a comma or quote: names, ARNs, dates, regions and service names cannot.
  for (const row of credentialReportRows(state, accountId)) lines.push(CREDENTIAL_REPORT_COLUMNS.map((c) => row[c]).join(','));
  return lines.join('\n');
}

/** Parses a report back into rows (for tests and tools that read one). */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const [header, ...lines] = csv.split('\n').filter((l) => l !== '');
  const columns = (header ?? '').split(',');
  return lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])) as CredentialReportRow;
  });
}

/** The stored report of an account (entity kind `credentialReport`, id = the account id). */
export interface StoredCredentialReport {
  state: 'INPROGRESS' | 'COMPLETE';
  generatedTime: string;
  content?: string;
}

function storedReport(state: StateReader, accountId: string): StoredCredentialReport | undefined {
  return state.get(CREDENTIAL_REPORT_KIND, accountId)?.data as StoredCredentialReport | undefined;
}

export interface GenerateResult {
  State: 'STARTED' | 'INPROGRESS' | 'COMPLETE';
  Description?: string;
}

/**
 * GenerateCredentialReport: a report younger than four hours is kept (COMPLETE); otherwise a
 * new one is made from the state as it is now (STARTED). Generation is synchronous here, so the
 * new report can be fetched at once.
 */
export function generateCredentialReport(tx: Draft, accountId: string, now: Date): GenerateResult {
  const current = storedReport(tx, accountId);
  if (current !== undefined && now.getTime() - Date.parse(current.generatedTime) < REPORT_REUSE_MS) {
    return { State: current.state === 'COMPLETE' ? 'COMPLETE' : 'INPROGRESS' };
  }
  const report: StoredCredentialReport = { state: 'COMPLETE', generatedTime: now.toISOString(), content: credentialReportCsv(tx, accountId) };
  tx.put({ kind: CREDENTIAL_REPORT_KIND, id: accountId, accountId, data: report });
  return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
}

/** GetCredentialReport: the report, or AWS's ReportNotPresent / ReportExpired (410) / ReportInProgress (404). */
export function getCredentialReport(state: StateReader, accountId: string, now: Date): { content: string; generatedTime: string } {
  const report = storedReport(state, accountId);
  if (report === undefined) {
    throw reportNotPresent('Credential report does not exist. Use GenerateCredentialReport to generate a report.');
  }
  if (report.state !== 'COMPLETE' || report.content === undefined) throw reportInProgress('Credential report is still being generated.');
  if (now.getTime() - Date.parse(report.generatedTime) >= REPORT_REUSE_MS) {
    throw reportExpired('The most recent credential report has expired. Use GenerateCredentialReport to generate a new report.');
  }
  return { content: report.content, generatedTime: report.generatedTime };
}
