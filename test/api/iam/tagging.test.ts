// The tagging operations of every taggable kind through the real SDK: the condition keys the
// requests set (aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*), List*Tags pages and
// NoSuchEntity for what does not exist. The kinds' own test files cover adding, replacing and
// removing tags and the quota.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  ListInstanceProfileTagsCommand,
  ListMFADeviceTagsCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListPolicyTagsCommand,
  ListRoleTagsCommand,
  ListSAMLProviderTagsCommand,
  ListServerCertificateTagsCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  TagInstanceProfileCommand,
  TagMFADeviceCommand,
  TagOpenIDConnectProviderCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagSAMLProviderCommand,
  TagServerCertificateCommand,
  TagUserCommand,
  UntagInstanceProfileCommand,
  UntagMFADeviceCommand,
  UntagOpenIDConnectProviderCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagSAMLProviderCommand,
  UntagServerCertificateCommand,
  UntagUserCommand,
  UploadServerCertificateCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { pki } from '../../support/pki.ts';
import { samlMetadata } from '../../support/saml.ts';
import { EC2_TRUST, allow, rejects } from './policy-support.ts';

interface TagPage {
  Tags?: Tag[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** One taggable kind as a client sees it: make a tagged resource, and its three tagging calls. */
interface Kind {
  noun: string;
  /** Creates a resource with these tags; answers what names it in the tagging calls. */
  create(iam: IAMClient, name: string, tags: Tag[]): Promise<string>;
  /** What names a resource that does not exist. */
  missing(accountId: string): string;
  tag(iam: IAMClient, ref: string, tags: Tag[]): Promise<unknown>;
  untag(iam: IAMClient, ref: string, keys: string[]): Promise<unknown>;
  list(iam: IAMClient, ref: string, page?: { MaxItems?: number; Marker?: string }): Promise<TagPage>;
}

const KINDS: Kind[] = [
  {
    noun: 'User',
    create: async (iam, name, Tags) => (await iam.send(new CreateUserCommand({ UserName: name, Tags }))).User!.UserName!,
    missing: () => 'ghost',
    tag: (iam, UserName, Tags) => iam.send(new TagUserCommand({ UserName, Tags })),
    untag: (iam, UserName, TagKeys) => iam.send(new UntagUserCommand({ UserName, TagKeys })),
    list: (iam, UserName, page) => iam.send(new ListUserTagsCommand({ UserName, ...page })),
  },
  {
    noun: 'Role',
    create: async (iam, name, Tags) =>
      (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST, Tags }))).Role!.RoleName!,
    missing: () => 'ghost',
    tag: (iam, RoleName, Tags) => iam.send(new TagRoleCommand({ RoleName, Tags })),
    untag: (iam, RoleName, TagKeys) => iam.send(new UntagRoleCommand({ RoleName, TagKeys })),
    list: (iam, RoleName, page) => iam.send(new ListRoleTagsCommand({ RoleName, ...page })),
  },
  {
    noun: 'InstanceProfile',
    create: async (iam, name, Tags) =>
      (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Tags }))).InstanceProfile!.InstanceProfileName!,
    missing: () => 'ghost',
    tag: (iam, InstanceProfileName, Tags) => iam.send(new TagInstanceProfileCommand({ InstanceProfileName, Tags })),
    untag: (iam, InstanceProfileName, TagKeys) => iam.send(new UntagInstanceProfileCommand({ InstanceProfileName, TagKeys })),
    list: (iam, InstanceProfileName, page) => iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName, ...page })),
  },
  {
    noun: 'Policy',
    create: async (iam, name, Tags) =>
      (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: allow('s3:GetObject'), Tags }))).Policy!.Arn!,
    missing: (accountId) => `arn:aws:iam::${accountId}:policy/ghost`,
    tag: (iam, PolicyArn, Tags) => iam.send(new TagPolicyCommand({ PolicyArn, Tags })),
    untag: (iam, PolicyArn, TagKeys) => iam.send(new UntagPolicyCommand({ PolicyArn, TagKeys })),
    list: (iam, PolicyArn, page) => iam.send(new ListPolicyTagsCommand({ PolicyArn, ...page })),
  },
  {
    noun: 'MFADevice',
    create: async (iam, name, Tags) =>
      (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name, Tags }))).VirtualMFADevice!.SerialNumber!,
    missing: (accountId) => `arn:aws:iam::${accountId}:mfa/ghost`,
    tag: (iam, SerialNumber, Tags) => iam.send(new TagMFADeviceCommand({ SerialNumber, Tags })),
    untag: (iam, SerialNumber, TagKeys) => iam.send(new UntagMFADeviceCommand({ SerialNumber, TagKeys })),
    list: (iam, SerialNumber, page) => iam.send(new ListMFADeviceTagsCommand({ SerialNumber, ...page })),
  },
  {
    noun: 'OpenIDConnectProvider',
    create: async (iam, name, Tags) =>
      (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${name.toLowerCase()}.example.com`, Tags }))).OpenIDConnectProviderArn!,
    missing: (accountId) => `arn:aws:iam::${accountId}:oidc-provider/ghost.example.com`,
    tag: (iam, OpenIDConnectProviderArn, Tags) => iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, Tags })),
    untag: (iam, OpenIDConnectProviderArn, TagKeys) => iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, TagKeys })),
    list: (iam, OpenIDConnectProviderArn, page) => iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn, ...page })),
  },
  {
    noun: 'SAMLProvider',
    create: async (iam, name, Tags) => (await iam.send(new CreateSAMLProviderCommand({ Name: name, SAMLMetadataDocument: samlMetadata(), Tags }))).SAMLProviderArn!,
    missing: (accountId) => `arn:aws:iam::${accountId}:saml-provider/ghost`,
    tag: (iam, SAMLProviderArn, Tags) => iam.send(new TagSAMLProviderCommand({ SAMLProviderArn, Tags })),
    untag: (iam, SAMLProviderArn, TagKeys) => iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn, TagKeys })),
    list: (iam, SAMLProviderArn, page) => iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn, ...page })),
  },
  {
    noun: 'ServerCertificate',
    create: async (iam, name, Tags) =>
      (await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: pki('server.pem'), PrivateKey: pki('server.key'), Tags })))
        .ServerCertificateMetadata!.ServerCertificateName!,
    missing: () => 'ghost',
    tag: (iam, ServerCertificateName, Tags) => iam.send(new TagServerCertificateCommand({ ServerCertificateName, Tags })),
    untag: (iam, ServerCertificateName, TagKeys) => iam.send(new UntagServerCertificateCommand({ ServerCertificateName, TagKeys })),
    list: (iam, ServerCertificateName, page) => iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName, ...page })),
  },
];

/**
 * May tag only resources of team blue, and only with env=dev; untag only env; list the tags of
 * team blue's resources.
 */
const LIMITED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:Tag*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue', 'aws:RequestTag/env': 'dev' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } },
    },
    {
      Effect: 'Allow',
      Action: 'iam:Untag*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } },
    },
    { Effect: 'Allow', Action: 'iam:List*Tags', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/team': 'blue' } } },
  ],
});

describe('IAM tagging operations', () => {
  let gh: TestGatehouse;
  let limited: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    await gh.iam.send(new CreateUserCommand({ UserName: 'limited' }));
    await gh.iam.send(new PutUserPolicyCommand({ UserName: 'limited', PolicyName: 'tagging', PolicyDocument: LIMITED_POLICY }));
    const { AccessKey } = await gh.iam.send(new CreateAccessKeyCommand({ UserName: 'limited' }));
    limited = gh.iamFor({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  });
  after(() => gh.close());

  for (const kind of KINDS) {
    describe(kind.noun, () => {
      test(`Tag${kind.noun}, Untag${kind.noun} and List${kind.noun}Tags are authorized with the request's and the resource's tags`, async () => {
        const blue = await kind.create(gh.iam, `blue-${kind.noun}`, [{ Key: 'team', Value: 'blue' }]);
        const red = await kind.create(gh.iam, `red-${kind.noun}`, [{ Key: 'team', Value: 'red' }]);

        await kind.tag(limited, blue, [{ Key: 'env', Value: 'dev' }]);
        // aws:RequestTag/env, aws:TagKeys and aws:ResourceTag/team each refuse one request.
        await rejects(kind.tag(limited, blue, [{ Key: 'env', Value: 'prod' }]), 'AccessDenied');
        await rejects(kind.tag(limited, blue, [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'me' }]), 'AccessDenied');
        await rejects(kind.tag(limited, red, [{ Key: 'env', Value: 'dev' }]), 'AccessDenied');

        assert.deepEqual((await kind.list(limited, blue)).Tags, [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }]);
        await rejects(kind.list(limited, red), 'AccessDenied');

        await rejects(kind.untag(limited, blue, ['team']), 'AccessDenied');
        await rejects(kind.untag(limited, red, ['env']), 'AccessDenied');
        await kind.untag(limited, blue, ['env']);
        assert.deepEqual((await kind.list(gh.iam, blue)).Tags, [{ Key: 'team', Value: 'blue' }]);
        assert.deepEqual((await kind.list(gh.iam, red)).Tags, [{ Key: 'team', Value: 'red' }]);
      });

      test(`List${kind.noun}Tags pages with MaxItems and Marker`, async () => {
        const ref = await kind.create(gh.iam, `paged-${kind.noun}`, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }]);
        const first = await kind.list(gh.iam, ref, { MaxItems: 2 });
        assert.deepEqual(first.Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
        assert.equal(first.IsTruncated, true);
        const rest = await kind.list(gh.iam, ref, { MaxItems: 2, Marker: first.Marker });
        assert.deepEqual(rest.Tags, [{ Key: 'c', Value: '3' }]);
        assert.equal(rest.IsTruncated, false);
      });

      test(`what does not exist is NoSuchEntity to all three`, async () => {
        const ghost = kind.missing(gh.accountId);
        await rejects(kind.tag(gh.iam, ghost, [{ Key: 'a', Value: '1' }]), 'NoSuchEntity');
        await rejects(kind.untag(gh.iam, ghost, ['a']), 'NoSuchEntity');
        await rejects(kind.list(gh.iam, ghost), 'NoSuchEntity');
      });
    });
  }
});
