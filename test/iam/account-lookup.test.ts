// Finding an account by its id or alias (sign-in, CreateAccountAlias's uniqueness check): the
// alias index follows every committed change, local or another node's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountIdByAlias, createAccountAlias, deleteAccountAlias, findAccountId } from '../../src/iam/account.ts';
import type { Account } from '../../src/iam/entities.ts';
import { IamState } from '../../src/iam/state.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const A = '111111111111';
const B = '222222222222';
const NOW = '2024-01-01T00:00:00.000Z';

function account(accountId: string, alias?: string): { kind: 'account'; id: string; accountId: string; data: Account } {
  return { kind: 'account', id: accountId, accountId, data: alias === undefined ? { accountId, createDate: NOW } : { accountId, createDate: NOW, alias } };
}

async function withAccounts(...accounts: ReturnType<typeof account>[]): Promise<IamState> {
  const store = new MemoryStore();
  await store.commit({ puts: accounts, deletes: [] });
  return IamState.load(store);
}

describe('finding an account', () => {
  test('by its id, only when the account exists', async () => {
    const state = await withAccounts(account(A));
    assert.equal(findAccountId(state, A), A);
    assert.equal(findAccountId(state, B), undefined);
  });

  test('by an alias the account had when the state was loaded, in any case', async () => {
    const state = await withAccounts(account(A, 'example-corp'), account(B));
    assert.equal(findAccountId(state, 'example-corp'), A);
    assert.equal(findAccountId(state, 'Example-Corp'), A);
    assert.equal(findAccountId(state, 'other'), undefined);
    assert.equal(accountIdByAlias(state, 'example-corp'), A);
  });

  test('by an alias set, replaced or removed since', async () => {
    const state = await withAccounts(account(A), account(B));
    assert.equal(findAccountId(state, 'first'), undefined);
    await state.transact((tx) => createAccountAlias(tx, A, 'first', (alias) => accountIdByAlias(state, alias), NOW));
    assert.equal(findAccountId(state, 'first'), A);
    await state.transact((tx) => createAccountAlias(tx, A, 'second', (alias) => accountIdByAlias(state, alias), NOW));
    assert.equal(findAccountId(state, 'first'), undefined);
    assert.equal(findAccountId(state, 'second'), A);
    await assert.rejects(state.transact((tx) => createAccountAlias(tx, B, 'second', (alias) => accountIdByAlias(state, alias), NOW)), /The account alias second already exists\./);
    await state.transact((tx) => deleteAccountAlias(tx, A, 'second'));
    assert.equal(findAccountId(state, 'second'), undefined);
    // An alias given up is free for another account.
    await state.transact((tx) => createAccountAlias(tx, B, 'second', (alias) => accountIdByAlias(state, alias), NOW));
    assert.equal(findAccountId(state, 'second'), B);
  });

  test('by an alias another node set, or of an account deleted since', async () => {
    const state = await withAccounts(account(A, 'old'));
    assert.equal(findAccountId(state, 'old'), A);
    await state.applyRemote({ puts: [account(B, 'remote')], deletes: [] });
    assert.equal(findAccountId(state, 'remote'), B);
    await state.applyRemote({ puts: [], deletes: [{ kind: 'account', id: A }] });
    assert.equal(findAccountId(state, 'old'), undefined);
    assert.equal(findAccountId(state, A), undefined);
  });

  test('each state has its own index', async () => {
    const one = await withAccounts(account(A, 'shared-name'));
    const two = await withAccounts(account(B, 'shared-name'));
    assert.equal(findAccountId(one, 'shared-name'), A);
    assert.equal(findAccountId(two, 'shared-name'), B);
  });
});
