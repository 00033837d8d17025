// Shared by the STS tests: a Gatehouse on a manual clock, clients whose signing clock follows it,
// users with keys and policies made through the IAM API, MFA devices enrolled with computed codes,
// and a second account made with the domain's own functions.
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient, type Credentials as StsCredentials } from '@aws-sdk/client-sts';
import { totpCodeAt, totpStep } from '../../../src/model/totp.ts';
import { createAccessKey } from '../../../src/iam/access-keys.ts';
import { createUser } from '../../../src/iam/users.ts';
import { ManualClock } from '../../../src/model/clock.ts';
import { IdSource } from '../../../src/model/ids.ts';
import { loadDataKey, secretBox } from '../../../src/store/data-key.ts';
import { startTestGatehouse, type Credentials, type TestGatehouse } from '../../support/gatehouse.ts';

export { rejects } from '../iam/policy-support.ts';

export interface StsHarness {
  gh: TestGatehouse;
  clock: ManualClock;
  iamFor(c: Credentials): IAMClient;
  stsFor(c: Credentials): STSClient;
  /** A user with an access key and (optionally) an inline policy. */
  user(name: string, policy?: object, account?: string): Promise<Credentials & { arn: string }>;
  /** A role with the given trust policy and inline policies. */
  role(name: string, trust: object, options?: { policy?: object; maxSessionDuration?: number }): Promise<string>;
  /** Creates and enables a virtual MFA device for the user; returns its serial and seed. */
  enrolMfa(admin: IAMClient, userName: string, deviceName?: string): Promise<{ serial: string; seed: string }>;
  /** The code of the current step plus `ahead` steps, moving the clock past the last used step. */
  nextCode(seed: string): string;
  /** A second account with a user and key, made with the domain functions. */
  secondAccount(userName: string, policy?: object): Promise<Credentials & { accountId: string; arn: string }>;
  close(): Promise<void>;
}

export function creds(c: StsCredentials | undefined): Credentials {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

export function allowAll(actions: string | string[] = '*', resource: string | string[] = '*', condition?: object): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource, ...(condition ? { Condition: condition } : {}) }] };
}

export function trustAccount(accountId: string, condition?: object, actions: string | string[] = 'sts:AssumeRole'): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: actions, ...(condition ? { Condition: condition } : {}) }],
  };
}

export async function startStsHarness(): Promise<StsHarness> {
  // Start on a step boundary so that tests can step the clock one TOTP period at a time.
  const clock = new ManualClock(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);
  const gh = await startTestGatehouse({ clock });
  const config = (c: Credentials) => ({
    endpoint: gh.endpoint,
    region: 'us-east-1',
    credentials: c,
    maxAttempts: 1,
  });
  // Sign with the server's (manual) time, so that moving the clock does not make requests stale;
  // the SDK would otherwise reset its offset from each answer's (real-time) Date header.
  const pinned = <T extends { config: object }>(client: T): T => {
    Object.defineProperty(client.config, 'systemClockOffset', {
      get: () => clock.now().getTime() - Date.now(),
      set: () => undefined,
      configurable: true,
    });
    return client;
  };
  const iamFor = (c: Credentials) => pinned(new IAMClient(config(c)));
  const stsFor = (c: Credentials) => pinned(new STSClient(config(c)));
  const lastStep = new Map<string, number>();
  let extraAccounts = 0;

  const h: StsHarness = {
    gh,
    clock,
    iamFor,
    stsFor,
    async user(name, policy) {
      const admin = iamFor(gh.credentials);
      const { User } = await admin.send(new CreateUserCommand({ UserName: name }));
      if (policy) await admin.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(policy) }));
      const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: name }));
      return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey!, arn: User!.Arn! };
    },
    async role(name, trust, options = {}) {
      const admin = iamFor(gh.credentials);
      const { Role } = await admin.send(
        new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: options.maxSessionDuration }),
      );
      if (options.policy) {
        const { PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
        await admin.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'p', PolicyDocument: JSON.stringify(options.policy) }));
      }
      return Role!.Arn!;
    },
    async enrolMfa(admin, userName, deviceName = userName) {
      const { VirtualMFADevice } = await admin.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
      const serial = VirtualMFADevice!.SerialNumber!;
      const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
      const step = totpStep(clock.now());
      await admin.send(
        new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: totpCodeAt(seed, step - 1), AuthenticationCode2: totpCodeAt(seed, step) }),
      );
      lastStep.set(seed, step);
      return { serial, seed };
    },
    nextCode(seed) {
      // Each code is of a later step than the last one used: move the clock a period when needed.
      let step = totpStep(clock.now());
      if ((lastStep.get(seed) ?? -Infinity) >= step) {
        clock.advance(30_000);
        step = totpStep(clock.now());
      }
      lastStep.set(seed, step);
      return totpCodeAt(seed, step);
    },
    async secondAccount(userName, policy) {
      extraAccounts++;
      const accountId = String(210987654321 + extraAccounts);
      const ids = new IdSource();
      const secrets = secretBox(loadDataKey(gh.dataDir));
      const secret = ids.secretAccessKey();
      const now = clock.now().toISOString();
      const made = await gh.server().state.transact((tx) => {
        tx.put({ kind: 'account', id: accountId, accountId, data: { accountId, createDate: now } });
        let user = createUser(tx, { accountId, userName, userId: ids.userId(), now });
        if (policy) {
          user = { ...user, data: { ...user.data, inlinePolicies: { p: JSON.stringify(policy) } } };
          tx.put(user);
        }
        const key = createAccessKey(tx, {
          accountId,
          ownerId: user.id,
          newAccessKeyId: () => ids.accessKeyId(accountId),
          secretEncrypted: secrets.seal(secret),
          now,
        });
        return { user, key };
      });
      return { accountId, accessKeyId: made.key.id, secretAccessKey: secret, arn: made.user.data.arn };
    },
    close: () => gh.close(),
  };
  return h;
}
