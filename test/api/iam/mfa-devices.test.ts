// IAM virtual MFA device operations through the real SDK against a real server, with TOTP codes
// computed in the test from the seed the server hands out.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteUserCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetMFADeviceCommand,
  ListMFADevicesCommand,
  ListMFADeviceTagsCommand,
  ListVirtualMFADevicesCommand,
  ResyncMFADeviceCommand,
  TagMFADeviceCommand,
  UntagMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { totpCodeAt, totpStep } from '../../../src/model/totp.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { totpClock } from '../../support/mfa.ts';

/** The pixels of an 8-bit greyscale, RGB or RGBA PNG, as rows of luminance (enough to read a QR code). */
function decodePng(png: Buffer): { width: number; height: number; dark: (x: number, y: number) => boolean } {
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth');
      channels = { 0: 1, 2: 3, 6: 4 }[data[9]!] ?? 0;
      assert.ok(channels > 0, `colour type ${data[9]}`);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, dark: (x, y) => pixels[y * stride + x * channels]! < 128 };
}

describe('IAM virtual MFA devices', () => {
  let gh: TestGatehouse;
  const clock = totpClock();
  let iam: IAMClient;
  let account: string;
  before(async () => {
    gh = await startTestGatehouse({ clock });
    iam = gh.iamFor(gh.credentials);
    account = gh.accountId;
  });
  after(() => gh.close());
  beforeEach(() => gh.reset());

  const create = async (name: string, extra: { Path?: string } = {}) => {
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name, ...extra }));
    return { serial: VirtualMFADevice!.SerialNumber!, seed: Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8'), device: VirtualMFADevice! };
  };
  const codesAt = (seed: string, step: number) => ({ AuthenticationCode1: totpCodeAt(seed, step), AuthenticationCode2: totpCodeAt(seed, step + 1) });
  const enable = (user: string, serial: string, seed: string) =>
    iam.send(new EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, ...codesAt(seed, totpStep(clock.now()) - 1) }));

  test('CreateVirtualMFADevice: a base32 seed, a real QR code of the otpauth URI, and a sealed seed at rest', async () => {
    const { serial, seed, device } = await create('phone', { Path: '/team/' });
    assert.equal(serial, `arn:aws:iam::${account}:mfa/team/phone`);
    assert.match(seed, /^[A-Z2-7]{64}$/);
    const png = decodePng(Buffer.from(device.QRCodePNG!));
    const qr = QRCode.create(`otpauth://totp/phone@admin?secret=${seed}`, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const scale = png.width / (size + 8);
    assert.equal(png.width, png.height);
    assert.ok(Number.isInteger(scale), `scale ${scale}`);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const x = Math.floor((c + 4 + 0.5) * scale);
        const y = Math.floor((r + 4 + 0.5) * scale);
        assert.equal(png.dark(x, y), qr.modules.get(r, c) === 1, `module ${r},${c}`);
      }
    }
    const stored = gh.server().state.get('mfaDevice', serial)?.data as { seedEncrypted: string };
    assert.ok(!JSON.stringify(stored).includes(seed), 'the seed is not kept in the clear');
    await rejects(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'phone' })), 'EntityAlreadyExists', 'MFADevice entity at the same path and name already exists.');
  });

  test('EnableMFADevice: two consecutive codes; wrong codes change nothing; a device in use cannot be enabled twice', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const { serial, seed } = await create('alice-phone');
    const step = totpStep(clock.now());
    await rejects(
      iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totpCodeAt(seed, step), AuthenticationCode2: totpCodeAt(seed, step - 1) })),
      'InvalidAuthenticationCode',
      'Authentication code for device is not valid.',
    );
    await rejects(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step + 3) })), 'InvalidAuthenticationCode');
    assert.deepEqual((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices, []);
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step - 1) }));
    const listed = (await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices!;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.SerialNumber, serial);
    assert.equal(listed[0]!.UserName, 'alice');
    assert.equal(listed[0]!.EnableDate?.getTime(), Math.floor(clock.now().getTime() / 1000) * 1000);
    await rejects(iam.send(new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber: serial, ...codesAt(seed, step) })), 'EntityAlreadyExists', 'MFA Device is already in use.');
    await rejects(
      iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: `arn:aws:iam::${account}:mfa/none`, ...codesAt(seed, step) })),
      'NoSuchEntity',
      `VirtualMFADevice with serial number arn:aws:iam::${account}:mfa/none doesn't exist.`,
    );
    await rejects(iam.send(new EnableMFADeviceCommand({ UserName: 'nobody', SerialNumber: serial, ...codesAt(seed, step) })), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    // A user with a device cannot be deleted.
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflict', 'Cannot delete entity, must delete MFA device first.');
  });

  test('codes already used to enable are not accepted again (a re-enable after deactivation needs fresh ones)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { serial, seed } = await create('p');
    const step = totpStep(clock.now());
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step - 1) }));
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }));
    await rejects(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step - 1) })), 'InvalidAuthenticationCode');
    clock.advance(60_000);
    await enable('alice', serial, seed);
  });

  test('up to 8 devices per user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    for (let i = 0; i < 8; i++) {
      const { serial, seed } = await create(`d${i}`);
      await enable('alice', serial, seed);
    }
    const { serial, seed } = await create('d8');
    await rejects(enable('alice', serial, seed), 'LimitExceeded', 'Cannot exceed quota for MFADevicesPerUser: 8.');
    assert.equal((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices!.length, 8);
    const page = await iam.send(new ListMFADevicesCommand({ UserName: 'alice', MaxItems: 3 }));
    assert.equal(page.MFADevices!.length, 3);
    assert.equal(page.IsTruncated, true);
    const rest = await iam.send(new ListMFADevicesCommand({ UserName: 'alice', Marker: page.Marker }));
    assert.equal(rest.MFADevices!.length, 5);
  });

  test('ListVirtualMFADevices with AssignmentStatus; GetMFADevice', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const a = await create('assigned');
    const u = await create('unassigned');
    await enable('alice', a.serial, a.seed);
    const serials = async (status?: 'Assigned' | 'Unassigned' | 'Any') =>
      (await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: status }))).VirtualMFADevices!.map((d) => d.SerialNumber);
    assert.deepEqual(await serials(), [a.serial, u.serial]);
    assert.deepEqual(await serials('Any'), [a.serial, u.serial]);
    assert.deepEqual(await serials('Assigned'), [a.serial]);
    assert.deepEqual(await serials('Unassigned'), [u.serial]);
    const [assigned] = (await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }))).VirtualMFADevices!;
    assert.equal(assigned!.User?.UserName, 'alice');
    assert.ok(assigned!.EnableDate instanceof Date);
    assert.equal(assigned!.Base32StringSeed, undefined);
    const got = await iam.send(new GetMFADeviceCommand({ SerialNumber: a.serial, UserName: 'alice' }));
    assert.equal(got.UserName, 'alice');
    assert.equal(got.SerialNumber, a.serial);
    await rejects(iam.send(new GetMFADeviceCommand({ SerialNumber: u.serial, UserName: 'alice' })), 'NoSuchEntity');
  });

  test('ResyncMFADevice learns a drifted clock; DeactivateMFADevice and DeleteVirtualMFADevice', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { serial, seed } = await create('p');
    await enable('alice', serial, seed);
    // The device runs 4 steps (2 minutes) fast.
    const step = totpStep(clock.now());
    await rejects(iam.send(new ResyncMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step + 30) })), 'InvalidAuthenticationCode');
    await iam.send(new ResyncMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, ...codesAt(seed, step + 3) }));
    const data = gh.server().state.get('mfaDevice', serial)?.data as unknown as { driftSteps: number; lastUsedStep: number };
    assert.equal(data.driftSteps, 4);
    assert.equal(data.lastUsedStep, step + 4);
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'DeleteConflict', 'MFA Device is still in use.');
    await rejects(iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: `arn:aws:iam::${account}:mfa/x` })), 'NoSuchEntity');
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }));
    assert.deepEqual((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices, []);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'NoSuchEntity');
  });

  test('TagMFADevice, UntagMFADevice, ListMFADeviceTags', async () => {
    const { serial } = await create('p');
    await iam.send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: 'owner', Value: 'alice' }, { Key: 'kind', Value: 'phone' }] }));
    assert.deepEqual((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags, [
      { Key: 'owner', Value: 'alice' },
      { Key: 'kind', Value: 'phone' },
    ]);
    await iam.send(new UntagMFADeviceCommand({ SerialNumber: serial, TagKeys: ['owner'] }));
    assert.deepEqual((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags, [{ Key: 'kind', Value: 'phone' }]);
    await rejects(iam.send(new ListMFADeviceTagsCommand({ SerialNumber: `arn:aws:iam::${account}:mfa/none` })), 'NoSuchEntity');
  });
});
