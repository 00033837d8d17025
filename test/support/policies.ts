// Policy documents and STS answers as tests use them.
import assert from 'node:assert/strict';
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import type { Credentials } from './gatehouse.ts';

/** An identity policy allowing the actions on the resources, under an optional condition. */
export function allowAll(actions: string | string[] = '*', resource: string | string[] = '*', condition?: object): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource, ...(condition ? { Condition: condition } : {}) }] };
}

/** A trust policy letting the account's principals (that are allowed to) assume the role. */
export function trustAccount(accountId: string, condition?: object, actions: string | string[] = 'sts:AssumeRole'): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: actions, ...(condition ? { Condition: condition } : {}) }],
  };
}

/** The credentials of an STS answer, for a client. */
export function creds(c: StsCredentials | undefined): Credentials {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
