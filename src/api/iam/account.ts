// Account operations on the wire: CreateAccountAlias, DeleteAccountAlias, ListAccountAliases,
// GetAccountSummary. None has a resource type in AWS's authorization reference, so all are
// authorized on "*".
import { accountAliases, accountSummary, createAccountAlias, deleteAccountAlias } from '../../iam/account.ts';
import type { IamState } from '../../iam/state.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { OperationTable } from '../operation.ts';

const anyResource = () => ({ resource: '*' });

/** The account holding an alias, anywhere on this Gatehouse (aliases are unique like in an AWS partition). */
function aliasOwnerIn(state: IamState): (alias: string) => string | undefined {
  return (alias) => state.listAll('account').find((a) => a.data.alias === alias)?.accountId;
}

export const accountOperations: OperationTable = {
  CreateAccountAlias: {
    target: anyResource,
    async run(input, call) {
      const now = call.clock.now().toISOString();
      await call.transact((tx) => createAccountAlias(tx, call.accountId, input.AccountAlias, aliasOwnerIn(call.state), now));
    },
  },

  DeleteAccountAlias: {
    target: anyResource,
    async run(input, call) {
      await call.transact((tx) => deleteAccountAlias(tx, call.accountId, input.AccountAlias));
    },
  },

  ListAccountAliases: {
    target: anyResource,
    run(input, call) {
      const { page, isTruncated, marker } = paginate(accountAliases(call.state, call.accountId), input.Marker, input.MaxItems);
      return { AccountAliases: page, IsTruncated: isTruncated, Marker: marker };
    },
  },

  GetAccountSummary: {
    target: anyResource,
    run(_input, call) {
      return { SummaryMap: accountSummary(call.state, call.accountId) };
    },
  },
};
