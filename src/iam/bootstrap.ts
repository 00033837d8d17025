// First start: the account in its partition, its root identity (an email and a password for
// console sign-in, no access key), and an IAM user `admin` in a group `Administrators` that has
// AdministratorAccess, with one access key. A fresh account (--fresh-account, for suites that
// expect a new AWS account) has no user or group: the access key is the root user's. The ids of
// what bootstrap made are kept on the account so test mode can return it to exactly this state.
import { randomInt } from 'node:crypto';
import { DEFAULT_PARTITION, iamArn } from '../model/arn.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import type { SecretBox } from '../store/data-key.ts';
import { ROOT_OWNER_ID } from './access-keys.ts';
import type { Account, Group, User } from './entities.ts';
import { loginProfileId, type StoredLoginProfile } from './login-profiles.ts';
import { checkPassword, PASSWORD_SYMBOLS } from './password-policy.ts';
import type { PasswordHasher } from './passwords.ts';
import { accountPartition } from './partition.ts';
import type { Draft, IamState } from './state.ts';

/** AdministratorAccess, in the account's partition. */
export const adminPolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/AdministratorAccess`;

export interface BootstrapRecord {
  userId: string;
  groupId: string;
  accessKeyId: string;
  /** The root user's sign-in profile as bootstrap made it (absent for accounts made before it was). */
  rootLoginProfile?: StoredLoginProfile;
}

export interface BootstrapResult extends BootstrapRecord {
  accountId: string;
  secretAccessKey: string;
  /** The access key is the root user's (no admin user). */
  freshAccount: boolean;
  rootEmail?: string;
  /** Set only when Gatehouse generated the root password: it goes into the bootstrap credentials file. */
  generatedRootPassword?: string;
}

export interface BootstrapOptions {
  accountId?: string;
  /** The partition the account lives in: aws, aws-cn, aws-us-gov, … (default aws). */
  partition?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** A fresh account: no IAM user or group, the access key is the root user's. */
  freshAccount?: boolean;
  /** Gives the root user a console password: its email (a placeholder when unset) and password (generated when unset). */
  rootSignIn?: { hasher: PasswordHasher; email?: string; password?: string };
}

/** 24 characters with every character type, so it meets any rules AWS applies to root passwords. */
export function generateRootPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', PASSWORD_SYMBOLS];
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  const all = sets.join('');
  while (chars.length < 24) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

async function rootLoginProfile(accountId: string, now: string, options: NonNullable<BootstrapOptions['rootSignIn']>) {
  const email = options.email ?? `root@${accountId}.gatehouse.invalid`;
  const password = options.password ?? generateRootPassword();
  // The root user's password follows AWS's default rules, whatever the account's policy.
  checkPassword(password, undefined, { accountId, email });
  const profile: StoredLoginProfile = {
    userId: ROOT_OWNER_ID,
    passwordHash: await options.hasher.hash(password),
    createDate: now,
    passwordResetRequired: false,
    previousPasswordHashes: [],
    passwordLastChanged: now,
    email,
  };
  return { profile, email, generated: options.password === undefined ? password : undefined };
}

type AccountWithBootstrap = Account & { bootstrap?: BootstrapRecord };

/** The account this node serves (the first one created), if any. */
export function primaryAccount(state: IamState): (Account & { bootstrap?: BootstrapRecord }) | undefined {
  const accounts = state.listAll('account');
  return accounts[0]?.data as AccountWithBootstrap | undefined;
}

function adminUser(accountId: string, partition: string, userId: string, groupId: string, now: string): User {
  return {
    userName: 'admin',
    userId,
    path: '/',
    arn: iamArn.user(accountId, '/', 'admin', partition),
    createDate: now,
    tags: [],
    attachedPolicyArns: [],
    inlinePolicies: {},
    groupIds: [groupId],
  };
}

function administratorsGroup(accountId: string, partition: string, groupId: string, now: string): Group {
  return {
    groupName: 'Administrators',
    groupId,
    path: '/',
    arn: iamArn.group(accountId, '/', 'Administrators', partition),
    createDate: now,
    attachedPolicyArns: [adminPolicyArn(partition)],
    inlinePolicies: {},
  };
}

function putBootstrapEntities(tx: Draft, account: Account, record: BootstrapRecord, sealedSecret: string, now: string, fresh: boolean): void {
  const { accountId } = account;
  const partition = accountPartition(tx, accountId);
  if (record.rootLoginProfile !== undefined) {
    tx.put({ kind: 'loginProfile', id: loginProfileId(accountId, ROOT_OWNER_ID), accountId, data: record.rootLoginProfile });
  }
  if (!fresh) {
    tx.put({ kind: 'group', id: record.groupId, accountId, name: 'Administrators', data: administratorsGroup(accountId, partition, record.groupId, now) });
    tx.put({ kind: 'user', id: record.userId, accountId, name: 'admin', data: adminUser(accountId, partition, record.userId, record.groupId, now) });
  }
  const userId = fresh ? ROOT_OWNER_ID : record.userId;
  tx.put({
    kind: 'accessKey',
    id: record.accessKeyId,
    accountId,
    data: { accessKeyId: record.accessKeyId, userId, status: 'Active', createDate: now, secretEncrypted: sealedSecret },
  });
}

export async function bootstrap(state: IamState, secrets: SecretBox, clock: Clock, ids: IdSource, options: BootstrapOptions): Promise<BootstrapResult> {
  const accountId = options.accountId ?? ids.accountId();
  const now = clock.now().toISOString();
  const accessKeyId = options.accessKeyId ?? ids.accessKeyId(accountId);
  const secretAccessKey = options.secretAccessKey ?? ids.secretAccessKey();
  const record: BootstrapRecord = { userId: ids.userId(), groupId: ids.groupId(), accessKeyId };
  const root = options.rootSignIn ? await rootLoginProfile(accountId, now, options.rootSignIn) : undefined;
  if (root !== undefined) record.rootLoginProfile = root.profile;
  const fresh = options.freshAccount === true;
  await state.transact((tx) => {
    const account: AccountWithBootstrap = { accountId, partition: options.partition ?? DEFAULT_PARTITION, createDate: now, bootstrap: record };
    tx.put({ kind: 'account', id: accountId, accountId, data: account });
    putBootstrapEntities(tx, account, record, secrets.seal(secretAccessKey), now, fresh);
  });
  return { accountId, secretAccessKey, ...record, freshAccount: fresh, rootEmail: root?.email, generatedRootPassword: root?.generated };
}

/**
 * Test mode's reset: every entity of the account goes, then the bootstrap user, group and key
 * come back as they were made (same ids, same key), in one transaction. A fresh account
 * (`freshAccount`) comes back with no user or group, the key being the root user's.
 */
export async function resetToBootstrap(state: IamState, clock: Clock, freshAccount = false): Promise<void> {
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
    putBootstrapEntities(tx, pristine, record, key.data.secretEncrypted, key.data.createDate ?? clock.now().toISOString(), freshAccount);
  });
}

/** Written once, on first start, into the data directory; Gatehouse never reads it. */
export const BOOTSTRAP_CREDENTIALS_FILE = 'bootstrap-credentials';

/**
 * The `aws configure`-ready profile written to `file` (<data dir>/bootstrap-credentials), and
 * printed on first start when a person is reading. It says plainly that it holds secrets.
 */
export function credentialsProfile(result: BootstrapResult, region: string, file: string): string {
  const generated = result.generatedRootPassword !== undefined;
  const keyOwner = result.freshAccount ? 'the root user (a fresh account: no IAM users,' : 'the IAM user "admin" (group Administrators,';
  const keyOwnerRest = result.freshAccount ? 'groups or roles)' : 'AdministratorAccess)';
  return [
    `# Gatehouse bootstrap credentials, written once when account ${result.accountId} was created.`,
    `# This file holds secrets: the secret access key of ${keyOwner}`,
    `# ${keyOwnerRest}${generated ? " and the root user's password" : ''}. Gatehouse never reads it again:`,
    `# save them somewhere safe (a password manager, your own ~/.aws/credentials), then delete it:`,
    `#   rm ${file}`,
    '# Use with: aws --endpoint-url <gatehouse url> --profile gatehouse …',
    '[gatehouse]',
    `aws_access_key_id = ${result.accessKeyId}`,
    `aws_secret_access_key = ${result.secretAccessKey}`,
    `region = ${region}`,
    '',
    ...(result.rootEmail === undefined
      ? []
      : [
          '# The root user signs in (POST /signin) with its email and password. Keep it for emergencies:',
          '# give it MFA and use IAM users and roles day to day.',
          `# root email: ${result.rootEmail}`,
          generated ? `# root password: ${result.generatedRootPassword}` : '# root password: as set by GATEHOUSE_ROOT_PASSWORD',
          '',
        ]),
  ].join('\n');
}

/**
 * What `gatehouse serve` says on first start: the profile itself when `profile` is given (stdout
 * is a terminal), else only where the secrets are, so that they never land in a log file.
 */
export function bootstrapNotice(result: BootstrapResult, file: string, profile?: string): string {
  const key = result.freshAccount ? "The root user's access key" : "The admin's access key";
  const what = result.generatedRootPassword !== undefined ? `${key} and the root user's password` : key;
  if (profile !== undefined) {
    return (
      `Gatehouse created account ${result.accountId}. Its ${result.freshAccount ? 'root' : 'admin'} credentials:\n\n${profile}\n` +
      `${what} are also in ${file} (mode 0600) until you delete it: save them somewhere safe, then rm ${file}\n`
    );
  }
  return (
    `Gatehouse created account ${result.accountId}. ${what} are in ${file} (mode 0600), not printed here ` +
    `because standard output is not a terminal. Save them somewhere safe, then delete the file.\n`
  );
}
