// First start: the account, its root identity (no access key), and an IAM user `admin` in a group
// `Administrators` that has AdministratorAccess, with one access key. The ids of what bootstrap
// made are kept on the account so test mode can return the account to exactly this state.
import { iamArn } from '../model/arn.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import type { SecretBox } from '../store/data-key.ts';
import type { Account, Group, User } from './entities.ts';
import type { Draft, IamState } from './state.ts';

export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export interface BootstrapRecord {
  userId: string;
  groupId: string;
  accessKeyId: string;
}

export interface BootstrapResult extends BootstrapRecord {
  accountId: string;
  secretAccessKey: string;
}

export interface BootstrapOptions {
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

type AccountWithBootstrap = Account & { bootstrap?: BootstrapRecord };

/** The account this node serves (the first one created), if any. */
export function primaryAccount(state: IamState): (Account & { bootstrap?: BootstrapRecord }) | undefined {
  const accounts = state.listAll('account');
  return accounts[0]?.data as AccountWithBootstrap | undefined;
}

function adminUser(accountId: string, userId: string, groupId: string, now: string): User {
  return {
    userName: 'admin',
    userId,
    path: '/',
    arn: iamArn.user(accountId, '/', 'admin'),
    createDate: now,
    tags: [],
    attachedPolicyArns: [],
    inlinePolicies: {},
    groupIds: [groupId],
  };
}

function administratorsGroup(accountId: string, groupId: string, now: string): Group {
  return {
    groupName: 'Administrators',
    groupId,
    path: '/',
    arn: iamArn.group(accountId, '/', 'Administrators'),
    createDate: now,
    attachedPolicyArns: [ADMIN_POLICY_ARN],
    inlinePolicies: {},
  };
}

function putBootstrapEntities(tx: Draft, accountId: string, record: BootstrapRecord, sealedSecret: string, now: string): void {
  tx.put({ kind: 'group', id: record.groupId, accountId, name: 'Administrators', data: administratorsGroup(accountId, record.groupId, now) });
  tx.put({ kind: 'user', id: record.userId, accountId, name: 'admin', data: adminUser(accountId, record.userId, record.groupId, now) });
  tx.put({
    kind: 'accessKey',
    id: record.accessKeyId,
    accountId,
    data: { accessKeyId: record.accessKeyId, userId: record.userId, status: 'Active', createDate: now, secretEncrypted: sealedSecret },
  });
}

export async function bootstrap(state: IamState, secrets: SecretBox, clock: Clock, ids: IdSource, options: BootstrapOptions): Promise<BootstrapResult> {
  const accountId = options.accountId ?? ids.accountId();
  const now = clock.now().toISOString();
  const accessKeyId = options.accessKeyId ?? ids.accessKeyId(accountId);
  const secretAccessKey = options.secretAccessKey ?? ids.secretAccessKey();
  const record: BootstrapRecord = { userId: ids.userId(), groupId: ids.groupId(), accessKeyId };
  await state.transact((tx) => {
    const account: AccountWithBootstrap = { accountId, createDate: now, bootstrap: record };
    tx.put({ kind: 'account', id: accountId, accountId, data: account });
    putBootstrapEntities(tx, accountId, record, secrets.seal(secretAccessKey), now);
  });
  return { accountId, secretAccessKey, ...record };
}

/**
 * Test mode's reset: every entity of the account goes, then the bootstrap user, group and key
 * come back as they were made (same ids, same key), in one transaction.
 */
export async function resetToBootstrap(state: IamState, clock: Clock): Promise<void> {
  const account = primaryAccount(state);
  if (account?.bootstrap === undefined) throw new Error('this account was not bootstrapped by Gatehouse');
  const { accountId, bootstrap: record } = account;
  const key = state.accessKey(record.accessKeyId);
  if (key === undefined) throw new Error('the bootstrap access key is gone');
  await state.transact((tx) => {
    for (const kind of state.kinds()) {
      if (kind === 'account') continue;
      for (const entity of tx.list(kind, accountId)) tx.delete(kind, entity.id);
    }
    const { alias: _alias, passwordPolicy: _policy, ...pristine } = account;
    tx.put({ kind: 'account', id: accountId, accountId, data: pristine });
    putBootstrapEntities(tx, accountId, record, key.data.secretEncrypted, key.data.createDate ?? clock.now().toISOString());
  });
}

/** The `aws configure`-ready profile printed once and written to <data dir>/bootstrap-credentials. */
export function credentialsProfile(result: BootstrapResult, region: string): string {
  return [
    '# Gatehouse bootstrap credentials: the IAM user "admin" (group Administrators, AdministratorAccess).',
    `# Account ${result.accountId}. Use with: aws --endpoint-url <gatehouse url> --profile gatehouse …`,
    '[gatehouse]',
    `aws_access_key_id = ${result.accessKeyId}`,
    `aws_secret_access_key = ${result.secretAccessKey}`,
    `region = ${region}`,
    '',
  ].join('\n');
}
