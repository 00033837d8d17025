// Server certificates through the real SDK against a real server: X.509 bodies and chains read with
// node:crypto, MalformedCertificate, KeyPairMismatch and expiry with AWS's messages, the private key
// sealed and never answered (nor audited), rename and move, NoSuchEntity, the account quota and
// authorization on the certificate's ARN (old and new names).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteServerCertificateCommand,
  GetAccountSummaryCommand,
  GetServerCertificateCommand,
  ListServerCertificatesCommand,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
  type IAMClient,
  type UploadServerCertificateCommandInput,
} from '@aws-sdk/client-iam';
import { X509Certificate } from 'node:crypto';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { pki } from '../../support/pki.ts';

const BODY = pki('server.pem');
const KEY = pki('server.key');
const CHAIN = pki('intermediate.pem') + pki('root-ca.pem');
const NOT_PEM = 'Unable to parse certificate. Please ensure the certificate is in PEM format.';
const chainError = (index: number) =>
  `Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`;

describe('IAM server certificates', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  let arnOf: (pathAndName: string) => string;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
    arnOf = (pathAndName) => `arn:aws:iam::${gh.accountId}:server-certificate/${pathAndName}`;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const upload = (name: string, extra: Partial<UploadServerCertificateCommandInput> = {}, client = iam) =>
    client.send(new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: BODY, PrivateKey: KEY, ...extra }));
  const get = (name: string) => iam.send(new GetServerCertificateCommand({ ServerCertificateName: name }));

  test('an upload: metadata with an ASCA id, the ARN with its path, the expiration from the certificate; the key is never answered', async () => {
    const { ServerCertificateMetadata: m, Tags } = await upload('www', { Path: '/cloudfront/', CertificateChain: CHAIN, Tags: [{ Key: 'env', Value: 'prod' }] });
    assert.match(m!.ServerCertificateId!, /^ASCA[A-Z2-7]{17}$/);
    assert.equal(m!.Arn, arnOf('cloudfront/www'));
    assert.equal(m!.Path, '/cloudfront/');
    assert.equal(m!.Expiration!.getTime(), Date.parse(new X509Certificate(BODY).validTo));
    assert.ok(Math.abs(m!.UploadDate!.getTime() - Date.now()) < 60_000);
    assert.deepEqual(Tags, [{ Key: 'env', Value: 'prod' }]);

    const { ServerCertificate: got } = await get('www');
    assert.deepEqual(got!.ServerCertificateMetadata, m);
    assert.equal(got!.CertificateBody, BODY);
    assert.equal(got!.CertificateChain, CHAIN);
    assert.deepEqual(got!.Tags, [{ Key: 'env', Value: 'prod' }]);
    assert.ok(!JSON.stringify(got).includes('PRIVATE KEY'));

    const stored = gh.server().state.byName('serverCertificate', gh.accountId, 'www')!.data;
    assert.ok(!JSON.stringify(stored).includes(KEY.split('\n')[1]!), 'the key is sealed at rest');
    const events = JSON.stringify(await gh.events());
    assert.ok(!events.includes(KEY.split('\n')[1]!), 'nor in the audit trail');
    const e = (await gh.events()).filter((x) => x.eventName === 'UploadServerCertificate').at(-1)!;
    assert.equal((e.requestParameters as Record<string, unknown>).privateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal((e.responseElements as { serverCertificateMetadata: { arn: string } }).serverCertificateMetadata.arn, arnOf('cloudfront/www'));

    await rejects(upload('WWW'), 'EntityAlreadyExists', 'The Server Certificate with name WWW already exists.');
  });

  test("what is not a certificate, a key that does not match, an expired certificate and a chain out of order are refused with AWS's messages", async () => {
    await rejects(upload('c', { CertificateBody: 'not a certificate' }), 'MalformedCertificate', NOT_PEM);
    await rejects(upload('c', { CertificateBody: BODY + pki('intermediate.pem') }), 'MalformedCertificate', NOT_PEM);
    await rejects(upload('c', { CertificateBody: BODY.replace(/^MII/m, 'XYZ') }), 'MalformedCertificate', NOT_PEM);
    await rejects(upload('c', { PrivateKey: 'not a key' }), 'MalformedCertificate', NOT_PEM);
    await rejects(upload('c', { PrivateKey: pki('other.key') }), 'KeyPairMismatch', 'The public key certificate and the private key do not match.');
    await rejects(
      upload('c', { CertificateBody: pki('expired.pem'), PrivateKey: pki('expired.key') }),
      'MalformedCertificate',
      "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.",
    );
    // The chain starts with the certificate's issuer; the body counts as index 0.
    await rejects(upload('c', { CertificateChain: pki('root-ca.pem') + pki('intermediate.pem') }), 'MalformedCertificate', chainError(1));
    await rejects(upload('c', { CertificateChain: pki('intermediate.pem') + pki('server.pem') }), 'MalformedCertificate', chainError(2));
    await rejects(upload('c', { CertificateChain: 'junk' }), 'MalformedCertificate', NOT_PEM);
    assert.deepEqual((await iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList, []);
    // The chain may stop at the intermediate.
    await upload('c', { CertificateChain: pki('intermediate.pem') });
  });

  test('rename and move keep the id; the new name must be free; path prefixes select; pages by name', async () => {
    const id = (await upload('a', { Path: '/x/' })).ServerCertificateMetadata!.ServerCertificateId;
    await upload('b');
    await upload('c', { Path: '/x/y/' });
    await iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'a', NewServerCertificateName: 'a2', NewPath: '/z/' }));
    const m = (await get('a2')).ServerCertificate!.ServerCertificateMetadata!;
    assert.equal(m.ServerCertificateId, id);
    assert.equal(m.Arn, arnOf('z/a2'));
    await rejects(get('a'), 'NoSuchEntity', 'The Server Certificate with name a cannot be found.');
    await rejects(iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'a2', NewServerCertificateName: 'B' })), 'EntityAlreadyExists', 'The Server Certificate with name B already exists.');

    const names = async (input: { PathPrefix?: string; MaxItems?: number; Marker?: string }) => {
      const out = await iam.send(new ListServerCertificatesCommand(input));
      return { names: out.ServerCertificateMetadataList!.map((c) => c.ServerCertificateName), marker: out.Marker, truncated: out.IsTruncated };
    };
    assert.deepEqual((await names({})).names, ['a2', 'b', 'c']);
    assert.deepEqual((await names({ PathPrefix: '/x/' })).names, ['c']);
    const first = await names({ MaxItems: 2 });
    assert.deepEqual([first.names, first.truncated], [['a2', 'b'], true]);
    assert.deepEqual((await names({ MaxItems: 2, Marker: first.marker })).names, ['c']);
  });

  test('what does not exist is NoSuchEntity; deletion removes it', async () => {
    const message = 'The Server Certificate with name ghost cannot be found.';
    await rejects(get('ghost'), 'NoSuchEntity', message);
    await rejects(iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'ghost', NewServerCertificateName: 'g' })), 'NoSuchEntity', message);
    await rejects(iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'ghost' })), 'NoSuchEntity', message);
    await upload('c');
    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'C' }));
    await rejects(get('c'), 'NoSuchEntity');
  });

  test('at most 20 per account, as GetAccountSummary says', async () => {
    for (let i = 0; i < 20; i++) await upload(`c${i}`);
    await rejects(upload('one-more'), 'LimitExceeded', 'Cannot exceed quota for ServerCertificatesPerAccount: 20');
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.equal(SummaryMap!.ServerCertificates, 20);
    assert.equal(SummaryMap!.ServerCertificatesQuota, 20);
  });

  test('authorized on the certificate ARN, a rename on the new one too; a refused call changes nothing', async () => {
    await upload('mine', { Path: '/team/' });
    await upload('theirs');
    const user = await gh.user('certs', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:UploadServerCertificate', 'iam:GetServerCertificate', 'iam:UpdateServerCertificate'], Resource: arnOf('team/*') },
        { Effect: 'Allow', Action: 'iam:ListServerCertificates', Resource: '*' },
      ],
    });
    await user.iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'mine' }));
    await rejects(user.iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'theirs' })), 'AccessDenied', new RegExp(`iam:GetServerCertificate on resource: ${arnOf('theirs')}`));
    await rejects(upload('elsewhere', {}, user.iam), 'AccessDenied');
    await upload('new', { Path: '/team/' }, user.iam);
    await rejects(user.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'mine', NewPath: '/other/' })), 'AccessDenied', new RegExp(`on resource: ${arnOf('other/mine')}`));
    await user.iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'mine', NewServerCertificateName: 'mine2' }));
    assert.deepEqual((await user.iam.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList!.map((c) => c.Arn), [
      arnOf('team/mine2'),
      arnOf('team/new'),
      arnOf('theirs'),
    ]);
  });
});
