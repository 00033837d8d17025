// OpenID Connect provider operations on the wire: CreateOpenIDConnectProvider,
// GetOpenIDConnectProvider, ListOpenIDConnectProviders, DeleteOpenIDConnectProvider,
// AddClientIDToOpenIDConnectProvider, RemoveClientIDFromOpenIDConnectProvider,
// UpdateOpenIDConnectProviderThumbprint, TagOpenIDConnectProvider, UntagOpenIDConnectProvider,
// ListOpenIDConnectProviderTags.
import {
  addClientId,
  createOidcProvider,
  deleteOidcProvider,
  removeClientId,
  requireOidcProvider,
  updateThumbprints,
} from '../../iam/oidc-providers.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { tagOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { anyResource, creationTarget, oidcProviderTarget, theOidcProvider } from './targets.ts';

export const oidcProviderOperations: Operations = {
  CreateOpenIDConnectProvider: {
    // The ARN the provider will have; a URL AWS refuses is answered by `run` once authorized.
    target: (input, call) => creationTarget(iamArn.oidcProvider(call.accountId, String(input.Url).replace(/^https:\/\//i, ''), call.partition), input),
    async run(input, call) {
      return call.transact((tx) => {
        const provider = createOidcProvider(tx, {
          accountId: call.accountId,
          url: input.Url,
          clientIds: input.ClientIDList,
          thumbprints: input.ThumbprintList,
          tags: input.Tags,
          now: call.clock.now().toISOString(),
        });
        const d = provider.data;
        return { OpenIDConnectProviderArn: d.arn, Tags: d.tags.length > 0 ? d.tags.map(tagOutput) : undefined };
      });
    },
  },

  GetOpenIDConnectProvider: {
    target: theOidcProvider,
    run(input, call) {
      const d = requireOidcProvider(call.state, call.accountId, input.OpenIDConnectProviderArn).data;
      return {
        // AWS answers the URL without its scheme.
        Url: d.url.replace(/^https:\/\//i, ''),
        ClientIDList: d.clientIds,
        ThumbprintList: d.thumbprints,
        CreateDate: d.createDate,
        Tags: d.tags.length > 0 ? d.tags.map(tagOutput) : undefined,
      };
    },
  },

  // No resource type in the authorization reference; AWS lists every provider, unpaged.
  ListOpenIDConnectProviders: {
    target: anyResource,
    run(_input, call) {
      return { OpenIDConnectProviderList: call.state.list('oidcProvider', call.accountId).map((p) => ({ Arn: p.data.arn })) };
    },
  },

  DeleteOpenIDConnectProvider: changeOperation(theOidcProvider, (tx, input, call) => deleteOidcProvider(tx, call.accountId, input.OpenIDConnectProviderArn)),

  AddClientIDToOpenIDConnectProvider: changeOperation(theOidcProvider, (tx, input, call) =>
    addClientId(tx, call.accountId, input.OpenIDConnectProviderArn, input.ClientID),
  ),

  RemoveClientIDFromOpenIDConnectProvider: changeOperation(theOidcProvider, (tx, input, call) =>
    removeClientId(tx, call.accountId, input.OpenIDConnectProviderArn, input.ClientID),
  ),

  UpdateOpenIDConnectProviderThumbprint: changeOperation(theOidcProvider, (tx, input, call) =>
    updateThumbprints(tx, call.accountId, input.OpenIDConnectProviderArn, input.ThumbprintList ?? []),
  ),

  ...tagOperations({ noun: 'OpenIDConnectProvider', member: 'OpenIDConnectProviderArn', target: oidcProviderTarget, require: requireOidcProvider }),
};
