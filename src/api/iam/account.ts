// Account operations on the wire: CreateAccountAlias, DeleteAccountAlias, ListAccountAliases,
// GetAccountSummary, SetSecurityTokenServicePreferences. None has a resource type in AWS's authorization reference, so all are
// authorized on "*".
import { accountAliases, accountIdByAlias, accountSummary, createAccountAlias, deleteAccountAlias, setGlobalEndpointTokenVersion } from '../../iam/account.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { anyResource } from './targets.ts';

export const accountOperations: Operations = {
  CreateAccountAlias: {
    target: anyResource,
    async run(input, call) {
      const now = call.clock.now().toISOString();
      await call.transact((tx) => createAccountAlias(tx, call.accountId, input.AccountAlias, (alias) => accountIdByAlias(call.state, alias), now));
    },
  },

  DeleteAccountAlias: changeOperation(anyResource, (tx, input, call) => deleteAccountAlias(tx, call.accountId, input.AccountAlias)),

  ListAccountAliases: {
    target: anyResource,
    run(input, call) {
      const { page, isTruncated, marker } = paginate(accountAliases(call.state, call.accountId), input.Marker, input.MaxItems);
      return { AccountAliases: page, IsTruncated: isTruncated, Marker: marker };
    },
  },

  SetSecurityTokenServicePreferences: {
    target: anyResource,
    async run(input, call) {
      const now = call.clock.now().toISOString();
      await call.transact((tx) => setGlobalEndpointTokenVersion(tx, call.accountId, input.GlobalEndpointTokenVersion, now));
    },
  },

  GetAccountSummary: {
    target: anyResource,
    run(_input, call) {
      return { SummaryMap: accountSummary(call.state, call.accountId) };
    },
  },
};
