// Hygiene rules at their edges, on an in-memory state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hygieneFindings } from '../../src/analyzer/hygiene.ts';
import { IamState } from '../../src/iam/state.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const A = '111122223333';

async function account(setup: (put: (kind: string, id: string, data: unknown, name?: string) => void) => void) {
  const state = await IamState.load(new MemoryStore());
  await state.transact((tx) => {
    tx.put({ kind: 'account', id: A, accountId: A, data: { accountId: A, createDate: ago(400), passwordPolicy: { minimumPasswordLength: 14, passwordReusePrevention: 24, requireSymbols: false, requireNumbers: false, requireUppercaseCharacters: false, requireLowercaseCharacters: false, allowUsersToChangePassword: true } } });
    tx.put({ kind: 'mfaDevice', id: 'rootmfa', accountId: A, name: 'rootmfa', data: { serialNumber: 'rootmfa', path: '/', name: 'rootmfa', createDate: ago(1), seedEncrypted: 'x', userId: 'root', tags: [] } });
    setup((kind, id, data, name) => tx.put({ kind, id, accountId: A, name, data: data as never }));
  });
  return state;
}

const user = (id: string, name: string, created: number) => ({ userName: name, userId: id, path: '/', arn: `arn:aws:iam::${A}:user/${name}`, createDate: ago(created), tags: [], attachedPolicyArns: [], inlinePolicies: {}, groupIds: [] });
const key = (id: string, owner: string, created: number, lastUsed?: number) => ({ accessKeyId: id, userId: owner, status: 'Active', createDate: ago(created), secretEncrypted: 'x', ...(lastUsed === undefined ? {} : { lastUsed: { date: ago(lastUsed), serviceName: 'iam', region: 'us-east-1' } }) });

test('a clean account with a CIS-strength policy and root MFA has no findings', async () => {
  const state = await account(() => undefined);
  assert.deepEqual(hygieneFindings(state, A, NOW), []);
});

test('keys: 90 days is still fine, 91 is not; 44 idle days are fine, 45 are not', async () => {
  const state = await account((put) => {
    put('user', 'U1', user('U1', 'u1', 200), 'u1');
    put('accessKey', 'K1', key('K1', 'U1', 90, 44));
    put('user', 'U2', user('U2', 'u2', 200), 'u2');
    put('accessKey', 'K2', key('K2', 'U2', 91, 45));
  });
  assert.deepEqual(hygieneFindings(state, A, NOW).map((f) => `${f.identity} ${f.rule}`), ['u2 access-key-not-rotated', 'u2 unused-access-key']);
});

test('no password policy at all is weaker than CIS; root without MFA is reported', async () => {
  const state = await IamState.load(new MemoryStore());
  await state.transact((tx) => tx.put({ kind: 'account', id: A, accountId: A, data: { accountId: A, createDate: ago(1) } }));
  const findings = hygieneFindings(state, A, NOW);
  assert.deepEqual(findings.map((f) => f.rule), ['root-without-mfa', 'weak-password-policy']);
  assert.match(findings[1]!.evidence, /no password policy/);
});
