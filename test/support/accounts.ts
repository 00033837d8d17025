// A second account on a test server, made with the domain's own functions (the IAM API has no
// call that creates an account): a user with an access key and, if given, an inline policy.
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { createUser } from '../../src/iam/users.ts';
import { IdSource } from '../../src/model/ids.ts';
import { loadDataKey, secretBox } from '../../src/store/data-key.ts';
import type { Credentials, TestGatehouse } from './gatehouse.ts';

let made = 0;

export async function secondAccount(gh: TestGatehouse, userName: string, policy?: object): Promise<Credentials & { accountId: string; arn: string }> {
  made++;
  const accountId = String(210987654321 + made);
  const ids = new IdSource();
  const secrets = secretBox(loadDataKey(gh.dataDir));
  const secret = ids.secretAccessKey();
  const now = (gh.clock?.now() ?? new Date()).toISOString();
  const { user, key } = await gh.server().state.transact((tx) => {
    tx.put({ kind: 'account', id: accountId, accountId, data: { accountId, createDate: now } });
    let user = createUser(tx, { accountId, userName, userId: ids.userId(), now });
    if (policy) {
      user = { ...user, data: { ...user.data, inlinePolicies: { p: JSON.stringify(policy) } } };
      tx.put(user);
    }
    const key = createAccessKey(tx, { accountId, ownerId: user.id, newAccessKeyId: () => ids.accessKeyId(accountId), secretEncrypted: secrets.seal(secret), now });
    return { user, key };
  });
  return { accountId, accessKeyId: key.id, secretAccessKey: secret, arn: user.data.arn };
}
