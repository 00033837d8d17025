// SAML provider operations on the wire: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
// UpdateSAMLProvider, DeleteSAMLProvider, TagSAMLProvider, UntagSAMLProvider, ListSAMLProviderTags.
// A private key (AddPrivateKey) is checked, then sealed before the transaction; no answer and no
// audit record carries it (audit/elements.ts hides AddPrivateKey).
import type { AssertionEncryptionMode } from '../../iam/entities.ts';
import {
  checkSamlPrivateKey,
  createSamlProvider,
  deleteSamlProvider,
  requireSamlProvider,
  updateSamlProvider,
  type NewSamlPrivateKey,
} from '../../iam/saml-providers.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type CallContext, type Operations } from '../operation.ts';
import { tagOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { anyResource, creationTarget, samlProviderTarget, theSamlProvider } from './targets.ts';

/** AddPrivateKey, checked and sealed, with a new KeyId; undefined when the input has none. */
function newPrivateKey(call: CallContext, pem: string | undefined): NewSamlPrivateKey | undefined {
  if (pem === undefined) return undefined;
  checkSamlPrivateKey(pem);
  return { keyId: call.ids.samlPrivateKeyId(), privateKeyEncrypted: call.secrets.seal(pem) };
}

export const samlProviderOperations: Operations = {
  CreateSAMLProvider: {
    target: (input, call) => creationTarget(iamArn.samlProvider(call.accountId, input.Name, call.partition), input),
    async run(input, call) {
      const privateKey = newPrivateKey(call, input.AddPrivateKey);
      return call.transact((tx) => {
        const provider = createSamlProvider(tx, {
          accountId: call.accountId,
          name: input.Name,
          uuid: call.ids.samlProviderUuid(),
          metadataDocument: input.SAMLMetadataDocument,
          assertionEncryptionMode: input.AssertionEncryptionMode as AssertionEncryptionMode | undefined,
          privateKey,
          tags: input.Tags,
          now: call.clock.now().toISOString(),
        });
        const d = provider.data;
        return { SAMLProviderArn: d.arn, Tags: d.tags.length > 0 ? d.tags.map(tagOutput) : undefined };
      });
    },
  },

  GetSAMLProvider: {
    target: theSamlProvider,
    run(input, call) {
      const d = requireSamlProvider(call.state, call.accountId, input.SAMLProviderArn).data;
      return {
        SAMLProviderUUID: d.uuid,
        SAMLMetadataDocument: d.metadataDocument,
        CreateDate: d.createDate,
        ValidUntil: d.validUntil,
        Tags: d.tags.length > 0 ? d.tags.map(tagOutput) : undefined,
        AssertionEncryptionMode: d.assertionEncryptionMode,
        // The keys' ids and dates: never the keys.
        PrivateKeyList: d.privateKeys.map((k) => ({ KeyId: k.keyId, Timestamp: k.timestamp })),
      };
    },
  },

  // No resource type in the authorization reference; AWS lists every provider, unpaged and untagged.
  ListSAMLProviders: {
    target: anyResource,
    run(_input, call) {
      return {
        SAMLProviderList: call.state.list('samlProvider', call.accountId).map((p) => ({ Arn: p.data.arn, ValidUntil: p.data.validUntil, CreateDate: p.data.createDate })),
      };
    },
  },

  UpdateSAMLProvider: {
    target: theSamlProvider,
    async run(input, call) {
      const addPrivateKey = newPrivateKey(call, input.AddPrivateKey);
      return call.transact((tx) => {
        const provider = updateSamlProvider(tx, call.accountId, input.SAMLProviderArn, {
          metadataDocument: input.SAMLMetadataDocument,
          assertionEncryptionMode: input.AssertionEncryptionMode as AssertionEncryptionMode | undefined,
          addPrivateKey,
          removePrivateKey: input.RemovePrivateKey,
          now: call.clock.now().toISOString(),
        });
        return { SAMLProviderArn: provider.data.arn };
      });
    },
  },

  DeleteSAMLProvider: changeOperation(theSamlProvider, (tx, input, call) => deleteSamlProvider(tx, call.accountId, input.SAMLProviderArn)),

  ...tagOperations({ noun: 'SAMLProvider', member: 'SAMLProviderArn', target: samlProviderTarget, require: requireSamlProvider }),
};
