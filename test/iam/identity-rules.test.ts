// Domain rules of users, groups, access keys and the account that the wire tests reach only
// indirectly: transaction atomicity, id clashes, deletion order, alias bookkeeping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountAliases, accountSummary, createAccountAlias, deleteAccountAlias } from '../../src/iam/account.ts';
import { accessKeysOf, createAccessKey, deleteAccessKey, updateAccessKey } from '../../src/iam/access-keys.ts';
import { addUserToGroup, createGroup, deleteGroup, groupsOfUser, removeUserFromGroup, updateGroup } from '../../src/iam/groups.ts';
import { createOidcProvider } from '../../src/iam/oidc-providers.ts';
import { createSamlProvider } from '../../src/iam/saml-providers.ts';
import { IamState } from '../../src/iam/state.ts';
import { checkUserDeletable, createUser, deleteUser, updateUser, usersUnderPath } from '../../src/iam/users.ts';
import { AwsError } from '../../src/model/errors.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { samlMetadata } from '../support/saml.ts';

const A = '111111111111';
const NOW = '2024-01-01T00:00:00.000Z';

async function fresh(): Promise<IamState> {
  return IamState.load(new MemoryStore());
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AwsError ? `${e.code}: ${e.message}` : String(e);
  }
  return undefined;
}

describe('users', () => {
  test('a failed create in a transaction leaves nothing behind', async () => {
    const state = await fresh();
    await state.transact((tx) => createUser(tx, { accountId: A, userName: 'alice', userId: 'AIDA1', now: NOW }));
    await assert.rejects(
      state.transact((tx) => {
        createUser(tx, { accountId: A, userName: 'bob', userId: 'AIDA2', now: NOW });
        createUser(tx, { accountId: A, userName: 'ALICE', userId: 'AIDA3', now: NOW });
      }),
      /User with name ALICE already exists\./,
    );
    assert.deepEqual(state.list('user', A).map((u) => u.name), ['alice']);
  });

  test('deletion conflicts are reported in the order DeleteUser documents them', async () => {
    const state = await fresh();
    const user = await state.transact((tx) => {
      const g = createGroup(tx, { accountId: A, groupName: 'g', groupId: 'AGPA1', now: NOW });
      const u = createUser(tx, { accountId: A, userName: 'alice', userId: 'AIDA1', now: NOW });
      tx.put({ ...u, data: { ...u.data, groupIds: [g.id], attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], inlinePolicies: { p: '{}' } } });
      createAccessKey(tx, { accountId: A, ownerId: u.id, newAccessKeyId: () => 'AKIAKEY1', secretEncrypted: 's', now: NOW });
      return tx.get('user', u.id)!;
    });
    const conflict = () => code(() => checkUserDeletable(state, state.get('user', user.id)!));
    assert.equal(conflict(), 'DeleteConflict: Cannot delete entity, must delete access keys first.');
    await state.transact((tx) => deleteAccessKey(tx, A, user.id, 'AKIAKEY1'));
    assert.equal(conflict(), 'DeleteConflict: Cannot delete entity, must delete policies first.');
    await state.transact((tx) => tx.put({ ...user, data: { ...user.data, inlinePolicies: {} } }));
    assert.equal(conflict(), 'DeleteConflict: Cannot delete entity, must detach all policies first.');
    const u2 = state.get('user', user.id)!;
    await state.transact((tx) => tx.put({ ...u2, data: { ...u2.data, attachedPolicyArns: [] } }));
    assert.equal(conflict(), 'DeleteConflict: Cannot delete entity, must remove users from group first.');
    const u3 = state.get('user', user.id)!;
    await state.transact((tx) => tx.put({ ...u3, data: { ...u3.data, groupIds: [] } }));
    assert.equal(conflict(), undefined);
    await state.transact((tx) => deleteUser(tx, A, 'alice'));
    assert.equal(state.get('user', user.id), undefined);
  });

  test('rename keeps the id and moves the ARN; path prefixes select by path', async () => {
    const state = await fresh();
    await state.transact((tx) => createUser(tx, { accountId: A, userName: 'alice', userId: 'AIDA1', path: '/a/', now: NOW }));
    await state.transact((tx) => updateUser(tx, A, 'alice', { newUserName: 'alicia', newPath: '/a/b/' }));
    const u = state.get('user', 'AIDA1')!;
    assert.equal(u.name, 'alicia');
    assert.equal(u.data.arn, `arn:aws:iam::${A}:user/a/b/alicia`);
    assert.deepEqual(usersUnderPath(state, A, '/a/').map((x) => x.id), ['AIDA1']);
    assert.deepEqual(usersUnderPath(state, A, '/a/c/'), []);
  });
});

describe('groups', () => {
  test('membership survives a group rename; a group with members cannot be deleted', async () => {
    const state = await fresh();
    await state.transact((tx) => {
      createGroup(tx, { accountId: A, groupName: 'g', groupId: 'AGPA1', now: NOW });
      createUser(tx, { accountId: A, userName: 'alice', userId: 'AIDA1', now: NOW });
      addUserToGroup(tx, A, 'g', 'alice');
    });
    await assert.rejects(state.transact((tx) => deleteGroup(tx, A, 'g')), /must remove users from group first\./);
    await state.transact((tx) => updateGroup(tx, A, 'g', { newGroupName: 'renamed' }));
    assert.deepEqual(groupsOfUser(state, state.get('user', 'AIDA1')!).map((g) => g.name), ['renamed']);
    await state.transact((tx) => removeUserFromGroup(tx, A, 'renamed', 'alice'));
    await state.transact((tx) => deleteGroup(tx, A, 'renamed'));
    assert.deepEqual(groupsOfUser(state, state.get('user', 'AIDA1')!), []);
  });
});

describe('access keys', () => {
  test('an id already in use is not reused', async () => {
    const state = await fresh();
    const ids = ['AKIADUP', 'AKIADUP', 'AKIANEW'];
    await state.transact((tx) => createAccessKey(tx, { accountId: A, ownerId: 'root', newAccessKeyId: () => 'AKIADUP', secretEncrypted: 's', now: NOW }));
    const key = await state.transact((tx) => createAccessKey(tx, { accountId: A, ownerId: 'root', newAccessKeyId: () => ids.shift()!, secretEncrypted: 's', now: NOW }));
    assert.equal(key.id, 'AKIANEW');
    assert.equal(accessKeysOf(state, A, 'root').length, 2);
  });

  test("a key of another account or owner is not found", async () => {
    const state = await fresh();
    await state.transact((tx) => createAccessKey(tx, { accountId: A, ownerId: 'AIDA1', newAccessKeyId: () => 'AKIAK1', secretEncrypted: 's', now: NOW }));
    await assert.rejects(state.transact((tx) => updateAccessKey(tx, A, 'AIDA2', 'AKIAK1', 'Inactive')), /The Access Key with id AKIAK1 cannot be found\./);
    await assert.rejects(state.transact((tx) => deleteAccessKey(tx, '222222222222', 'AIDA1', 'AKIAK1')), /cannot be found/);
    assert.equal(state.accessKey('AKIAK1')?.data.status, 'Active');
  });
});

describe('account', () => {
  test('the alias is set on the account record, replaced, and removed, keeping the rest', async () => {
    const state = await fresh();
    await state.transact((tx) => tx.put({ kind: 'account', id: A, accountId: A, data: { accountId: A, createDate: NOW } }));
    const nobody = () => undefined;
    await state.transact((tx) => createAccountAlias(tx, A, 'one', nobody, NOW));
    await state.transact((tx) => createAccountAlias(tx, A, 'two', nobody, NOW));
    assert.deepEqual(accountAliases(state, A), ['two']);
    await assert.rejects(state.transact((tx) => createAccountAlias(tx, A, 'three', () => '222222222222', NOW)), /The account alias three already exists\./);
    await state.transact((tx) => deleteAccountAlias(tx, A, 'two'));
    assert.deepEqual(accountAliases(state, A), []);
    assert.deepEqual(state.get('account', A)?.data, { accountId: A, createDate: NOW });
  });

  test('an account without a record gets one when its alias is set', async () => {
    const state = await fresh();
    await state.transact((tx) => createAccountAlias(tx, A, 'fresh', () => undefined, NOW));
    assert.deepEqual(state.get('account', A)?.data, { accountId: A, createDate: NOW, alias: 'fresh' });
  });

  test('the summary counts customer policy versions and providers of other kinds', async () => {
    const state = await fresh();
    await state.transact((tx) => {
      tx.put({
        kind: 'policy', id: 'ANPA1', accountId: A, name: 'p',
        data: {
          policyName: 'p', policyId: 'ANPA1', arn: `arn:aws:iam::${A}:policy/p`, path: '/', defaultVersionId: 'v2', nextVersionNumber: 3, tags: [],
          versions: [{ versionId: 'v1', document: '{}', createDate: NOW }, { versionId: 'v2', document: '{}', createDate: NOW }],
          createDate: NOW, updateDate: NOW,
        },
      });
      createOidcProvider(tx, { accountId: A, url: 'https://idp.example.com', now: NOW });
      createSamlProvider(tx, { accountId: A, name: 'idp', uuid: '0f8fad5b-d9cb-469f-a165-70867728950e', metadataDocument: samlMetadata(), now: NOW });
    });
    const s = accountSummary(state, A);
    assert.equal(s.Policies, 1);
    assert.equal(s.PolicyVersionsInUse, 2);
    assert.equal(s.Providers, 2);
    assert.equal(s.Users, 0);
  });
});
