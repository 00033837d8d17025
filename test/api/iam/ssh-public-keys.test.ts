// SSH public keys through the real SDK against a real server: OpenSSH `ssh-rsa` and PEM bodies,
// AWS's 2048-bit minimum, the MD5 fingerprint as ssh-keygen computes it, either encoding on the way
// out, duplicates per user, five per user, status, NoSuchEntity, deletion conflicts, authorization
// on the user and the audit trail.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  CreateUserCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  GetSSHPublicKeyCommand,
  ListSSHPublicKeysCommand,
  UpdateSSHPublicKeyCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { allowAll } from '../../support/policies.ts';
import { pki } from '../../support/pki.ts';

const OPENSSH = pki('ssh.key.pub').trim();
const PEM = pki('ssh.pub.pem');
/** What `ssh-keygen -l -E md5` printed for the key (make.sh). */
const MD5 = pki('ssh.md5').trim();

const rsaPem = (bits: number, type: 'spki' | 'pkcs1' = 'spki') => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type, format: 'pem' }) as string;

describe('IAM SSH public keys', () => {
  let gh: TestGatehouse;
  let iam: IAMClient;
  before(async () => {
    gh = await startTestGatehouse();
    iam = gh.iam;
  });
  after(() => gh.close());
  beforeEach(async () => {
    await gh.reset();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  });

  const upload = (UserName: string, SSHPublicKeyBody: string, client = iam) => client.send(new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody }));
  const get = (UserName: string, SSHPublicKeyId: string, Encoding: 'SSH' | 'PEM') => iam.send(new GetSSHPublicKeyCommand({ UserName, SSHPublicKeyId, Encoding }));
  const spki = (pem: string) => (createPublicKey(pem) as KeyObject).export({ type: 'spki', format: 'der' }).toString('base64');

  test('an OpenSSH key: an APKA id, the MD5 fingerprint ssh-keygen shows, Active; read back in either encoding', async () => {
    const { SSHPublicKey: key } = await upload('alice', OPENSSH);
    assert.match(key!.SSHPublicKeyId!, /^APKA[A-Z2-7]{16}$/);
    assert.equal(key!.UserName, 'alice');
    assert.equal(key!.Fingerprint, MD5);
    assert.equal(key!.Status, 'Active');
    // The body without ssh-keygen's comment.
    assert.equal(key!.SSHPublicKeyBody, OPENSSH.split(' ').slice(0, 2).join(' '));
    assert.ok(Math.abs(key!.UploadDate!.getTime() - Date.now()) < 60_000);

    const asSsh = (await get('alice', key!.SSHPublicKeyId!, 'SSH')).SSHPublicKey!;
    assert.deepEqual(asSsh, key);
    const asPem = (await get('alice', key!.SSHPublicKeyId!, 'PEM')).SSHPublicKey!;
    assert.match(asPem.SSHPublicKeyBody!, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(spki(asPem.SSHPublicKeyBody!), spki(PEM));
    assert.equal(asPem.Fingerprint, MD5);
  });

  test('a PEM key (SPKI or PKCS#1) is the same key as its OpenSSH form: a duplicate for its user, not for another', async () => {
    const { SSHPublicKey: fromPem } = await upload('alice', PEM);
    assert.equal(fromPem!.Fingerprint, MD5);
    assert.equal(fromPem!.SSHPublicKeyBody, OPENSSH.split(' ').slice(0, 2).join(' '));
    await rejects(upload('alice', OPENSSH), 'DuplicateSSHPublicKey', 'The SSH public key is already associated with the specified IAM user.');
    await upload('bob', OPENSSH);
    const pkcs1 = rsaPem(2048, 'pkcs1');
    assert.match(pkcs1, /BEGIN RSA PUBLIC KEY/);
    const { SSHPublicKey: other } = await upload('alice', pkcs1);
    assert.equal(spki((await get('alice', other!.SSHPublicKeyId!, 'PEM')).SSHPublicKey!.SSHPublicKeyBody!), spki(pkcs1));
  });

  test("what is not an RSA key of 2048 bits or more is refused with AWS's codes", async () => {
    await rejects(upload('alice', rsaPem(1024)), 'InvalidPublicKey', 'The minimum bit-length of the public key is 2048 bits.');
    await rejects(upload('alice', 'this is not a key'), 'UnrecognizedPublicKeyEncoding', 'The public key encoding format is unsupported or unrecognized.');
    await rejects(upload('alice', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE7 me@host'), 'UnrecognizedPublicKeyEncoding');
    const malformed = 'The public key is malformed or otherwise invalid.';
    await rejects(upload('alice', 'ssh-rsa not-base64!'), 'InvalidPublicKey', malformed);
    await rejects(upload('alice', `ssh-rsa ${OPENSSH.split(' ')[1]!.slice(0, 100)}`), 'InvalidPublicKey', malformed);
    // An RSA blob that calls itself another type of key.
    const blob = Buffer.from(OPENSSH.split(' ')[1]!, 'base64');
    const relabelled = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-dss'), blob.subarray(11)]).toString('base64');
    await rejects(upload('alice', `ssh-rsa ${relabelled}`), 'InvalidPublicKey', malformed);
    await rejects(upload('alice', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n'), 'InvalidPublicKey', malformed);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await rejects(upload('alice', ec), 'InvalidPublicKey', malformed);
    assert.deepEqual((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'alice' }))).SSHPublicKeys, []);
  });

  test('five per user; the list has no bodies or fingerprints; status and deletion', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await upload('alice', rsaPem(2048))).SSHPublicKey!.SSHPublicKeyId!);
    await rejects(upload('alice', OPENSSH), 'LimitExceeded', 'Cannot exceed quota for SSHPublicKeysPerUser: 5');
    await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'alice', SSHPublicKeyId: ids[1], Status: 'Inactive' }));
    const listed = (await iam.send(new ListSSHPublicKeysCommand({ UserName: 'alice' }))).SSHPublicKeys!;
    assert.deepEqual(listed.map((k) => k.SSHPublicKeyId), ids);
    assert.deepEqual(listed.map((k) => k.Status), ['Active', 'Inactive', 'Active', 'Active', 'Active']);
    assert.deepEqual(Object.keys(listed[0]!).sort(), ['SSHPublicKeyId', 'Status', 'UploadDate', 'UserName']);
    const first = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'alice', MaxItems: 3 }));
    assert.equal(first.IsTruncated, true);
    assert.deepEqual((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'alice', Marker: first.Marker }))).SSHPublicKeys!.map((k) => k.SSHPublicKeyId), ids.slice(3));

    await rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflict', 'Cannot delete entity, must delete SSH public keys first.');
    for (const SSHPublicKeyId of ids) await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'alice', SSHPublicKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
  });

  test("NoSuchEntity for another user's key, an unknown key and an unknown user", async () => {
    const id = (await upload('alice', OPENSSH)).SSHPublicKey!.SSHPublicKeyId!;
    const message = `The Public Key with id ${id} cannot be found.`;
    await rejects(get('bob', id, 'SSH'), 'NoSuchEntity', message);
    await rejects(iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'bob', SSHPublicKeyId: id, Status: 'Inactive' })), 'NoSuchEntity', message);
    await rejects(iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'bob', SSHPublicKeyId: id })), 'NoSuchEntity', message);
    await rejects(get('alice', 'APKAEIBAERJR2EXAMPLE', 'SSH'), 'NoSuchEntity', 'The Public Key with id APKAEIBAERJR2EXAMPLE cannot be found.');
    await rejects(upload('nobody', OPENSSH), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    assert.equal((await get('alice', id, 'SSH')).SSHPublicKey!.Status, 'Active');
  });

  test('authorized on the user; ListSSHPublicKeys without a UserName lists the caller’s own; uploads are audited', async () => {
    const carol = await gh.user('carol', allowAll(['iam:UploadSSHPublicKey', 'iam:ListSSHPublicKeys'], `arn:aws:iam::${gh.accountId}:user/carol`));
    await rejects(upload('alice', OPENSSH, carol.iam), 'AccessDenied', /iam:UploadSSHPublicKey on resource: arn:aws:iam::\d+:user\/alice/);
    const seen = (await gh.events()).length;
    const { SSHPublicKey: key } = await upload('carol', OPENSSH, carol.iam);
    const own = (await carol.iam.send(new ListSSHPublicKeysCommand({}))).SSHPublicKeys!;
    assert.deepEqual(own.map((k) => [k.UserName, k.SSHPublicKeyId]), [['carol', key!.SSHPublicKeyId]]);
    await rejects(carol.iam.send(new ListSSHPublicKeysCommand({ UserName: 'alice' })), 'AccessDenied');
    await rejects(carol.iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'carol', SSHPublicKeyId: key!.SSHPublicKeyId })), 'AccessDenied');

    const e = (await gh.events()).slice(seen).find((x) => x.eventName === 'UploadSSHPublicKey')!;
    assert.deepEqual(e.requestParameters, { userName: 'carol', sSHPublicKeyBody: OPENSSH });
    assert.equal((e.responseElements as { sSHPublicKey: { fingerprint: string } }).sSHPublicKey.fingerprint, MD5);
  });
});
