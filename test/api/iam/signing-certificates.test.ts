// Signing certificates through the real SDK against a real server: X.509 in PEM, two per user,
// Active and Inactive, the caller's own (an IAM user's or the root user's) when UserName is left
// out, one certificate to one owner per account, deletion conflicts, the credential report's
// cert_N columns and the summary's AccountSigningCertificatesPresent.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserCommand,
  DeleteSigningCertificateCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListSigningCertificatesCommand,
  UpdateSigningCertificateCommand,
  UploadSigningCertificateCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parseCredentialReport } from '../../../src/analyzer/credential-report.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, TEST_ROOT, type TestGatehouse } from '../../support/gatehouse.ts';
import { allowAll } from '../../support/policies.ts';
import { pki } from '../../support/pki.ts';

const CERT_1 = pki('root-ca.pem');
const CERT_2 = pki('intermediate.pem');
const CERT_3 = pki('server.pem');

describe('IAM signing certificates', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse({ root: true });
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const upload = (UserName: string | undefined, CertificateBody: string, client = iam) => client.send(new UploadSigningCertificateCommand({ UserName, CertificateBody }));
  const list = (UserName?: string, client = iam) => client.send(new ListSigningCertificatesCommand({ UserName }));

  test('two per user, listed oldest first, Active until made Inactive; a third is over the quota', async () => {
    const alice = await gh.user('alice', allowAll());
    const seen = (await gh.events()).length;
    const { Certificate: first } = await upload('alice', CERT_1);
    const e = (await gh.events()).slice(seen).find((x) => x.eventName === 'UploadSigningCertificate')!;
    assert.deepEqual(e.requestParameters, { userName: 'alice', certificateBody: CERT_1 });
    assert.equal((e.responseElements as { certificate: { certificateId: string } }).certificate.certificateId, first!.CertificateId);
    assert.equal(first!.UserName, 'alice');
    assert.match(first!.CertificateId!, /^[A-Z2-7]{28}$/);
    assert.equal(first!.CertificateBody, CERT_1);
    assert.equal(first!.Status, 'Active');
    // The caller's own, without a UserName.
    const { Certificate: second } = await upload(undefined, CERT_2, alice.iam);
    assert.equal(second!.UserName, 'alice');
    await rejects(upload('alice', CERT_3), 'LimitExceeded', 'Cannot exceed quota for CertificatesPerUser: 2');

    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'alice', CertificateId: first!.CertificateId, Status: 'Inactive' }));
    const listed = (await list(undefined, alice.iam)).Certificates!;
    assert.deepEqual(listed.map((c) => [c.CertificateId, c.Status, c.CertificateBody]), [
      [first!.CertificateId, 'Inactive', CERT_1],
      [second!.CertificateId, 'Active', CERT_2],
    ]);
    const page = await iam.send(new ListSigningCertificatesCommand({ UserName: 'alice', MaxItems: 1 }));
    assert.equal(page.IsTruncated, true);
    assert.deepEqual((await iam.send(new ListSigningCertificatesCommand({ UserName: 'alice', MaxItems: 1, Marker: page.Marker }))).Certificates!.map((c) => c.CertificateId), [second!.CertificateId]);

    await iam.send(new DeleteSigningCertificateCommand({ UserName: 'alice', CertificateId: second!.CertificateId }));
    assert.deepEqual((await list('alice')).Certificates!.map((c) => c.CertificateId), [first!.CertificateId]);
    await upload('alice', CERT_3);
  });

  test('one certificate belongs to one owner: again for its owner changes nothing, for another user it is DuplicateCertificate', async () => {
    await gh.user('alice');
    await gh.user('bob');
    const { Certificate: first } = await upload('alice', CERT_1);
    const { Certificate: again } = await upload('alice', CERT_1);
    assert.equal(again!.CertificateId, first!.CertificateId);
    assert.equal((await list('alice')).Certificates!.length, 1);
    await rejects(upload('bob', CERT_1), 'DuplicateCertificate', 'The same certificate is already associated with another user in this account.');
  });

  test("what is not a certificate, or has expired, is MalformedCertificate with AWS's messages", async () => {
    await gh.user('alice');
    await rejects(upload('alice', 'not a certificate'), 'MalformedCertificate', 'Unable to parse certificate. Please ensure the certificate is in PEM format.');
    await rejects(upload('alice', CERT_1 + CERT_2), 'MalformedCertificate', 'Unable to parse certificate. Please ensure the certificate is in PEM format.');
    await rejects(upload('alice', pki('server.key')), 'MalformedCertificate', 'Unable to parse certificate. Please ensure the certificate is in PEM format.');
    await rejects(upload('alice', pki('expired.pem')), 'MalformedCertificate', "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.");
    assert.deepEqual((await list('alice')).Certificates, []);
  });

  test('NoSuchEntity for unknown users and for certificates not the owner’s', async () => {
    await gh.user('alice');
    await gh.user('bob');
    const { Certificate: cert } = await upload('alice', CERT_1);
    await rejects(upload('nobody', CERT_2), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    await rejects(list('nobody'), 'NoSuchEntity');
    const message = `The Certificate with id ${cert!.CertificateId} cannot be found.`;
    await rejects(iam.send(new UpdateSigningCertificateCommand({ UserName: 'bob', CertificateId: cert!.CertificateId, Status: 'Inactive' })), 'NoSuchEntity', message);
    await rejects(iam.send(new DeleteSigningCertificateCommand({ UserName: 'bob', CertificateId: cert!.CertificateId })), 'NoSuchEntity', message);
    await rejects(iam.send(new DeleteSigningCertificateCommand({ UserName: 'alice', CertificateId: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE' })), 'NoSuchEntity');
  });

  test('a user with signing certificates cannot be deleted until they are', async () => {
    await gh.iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const { Certificate: cert } = await upload('carol', CERT_1);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'DeleteConflict', 'Cannot delete entity, must delete signing certificates first.');
    await iam.send(new DeleteSigningCertificateCommand({ UserName: 'carol', CertificateId: cert!.CertificateId }));
    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
  });

  test("the root user's own certificates: the summary's flag and the credential report's columns", async () => {
    const res = await fetch(`${gh.endpoint}/signin`, { method: 'POST', body: JSON.stringify(TEST_ROOT) });
    assert.equal(res.status, 200);
    const { Credentials: c } = (await res.json()) as { Credentials: Record<string, string> };
    const root = gh.iamFor({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    assert.equal((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountSigningCertificatesPresent, 0);
    const { Certificate: mine } = await upload(undefined, CERT_1, root);
    assert.equal(mine!.UserName, gh.accountId);
    assert.deepEqual((await list(undefined, root)).Certificates!.map((x) => x.CertificateId), [mine!.CertificateId]);
    assert.equal((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountSigningCertificatesPresent, 1);

    await gh.user('alice');
    const { Certificate: first } = await upload('alice', CERT_2);
    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'alice', CertificateId: first!.CertificateId, Status: 'Inactive' }));
    await upload('alice', CERT_3);
    await iam.send(new GenerateCredentialReportCommand({}));
    const report = parseCredentialReport(Buffer.from((await iam.send(new GetCredentialReportCommand({}))).Content!).toString('utf8'));
    const [rootRow, alice] = [report[0]!, report.find((r) => r.user === 'alice')!];
    assert.deepEqual([rootRow.cert_1_active, rootRow.cert_2_active, rootRow.cert_2_last_rotated], ['true', 'false', 'N/A']);
    assert.deepEqual([alice.cert_1_active, alice.cert_2_active], ['false', 'true']);
    assert.match(alice.cert_1_last_rotated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.match(alice.cert_2_last_rotated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  });

  test('authorized on the owner: a user may manage their own certificates only when a policy allows it', async () => {
    const alice = await gh.user('alice', allowAll(['iam:UploadSigningCertificate', 'iam:ListSigningCertificates'], `arn:aws:iam::${gh.accountId}:user/alice`));
    await gh.user('bob');
    await upload(undefined, CERT_1, alice.iam);
    const seen = (await gh.events()).length;
    await rejects(upload('bob', CERT_2, alice.iam), 'AccessDenied', /iam:UploadSigningCertificate on resource: arn:aws:iam::\d+:user\/bob/);
    const refused = (await gh.events()).slice(seen).find((e) => e.eventName === 'UploadSigningCertificate')!;
    assert.deepEqual([refused.errorCode, refused.requestParameters], ['AccessDenied', { userName: 'bob', certificateBody: CERT_2 }]);
    await rejects(list('bob', alice.iam), 'AccessDenied');
    const id = (await list(undefined, alice.iam)).Certificates![0]!.CertificateId;
    await rejects(alice.iam.send(new UpdateSigningCertificateCommand({ CertificateId: id, Status: 'Inactive' })), 'AccessDenied');
    assert.equal((await list('alice')).Certificates![0]!.Status, 'Active');
  });
});
