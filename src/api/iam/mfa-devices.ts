// IAM MFA device operations on the wire: CreateVirtualMFADevice, EnableMFADevice,
// ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
// ListVirtualMFADevices, GetMFADevice, TagMFADevice, UntagMFADevice, ListMFADeviceTags.
import { ROOT_OWNER_ID } from '../../iam/access-keys.ts';
import QRCode from 'qrcode';
import { newTotpSeed, otpauthUri } from '../../model/totp.ts';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  mfaDevicesOf,
  requireMfaDevice,
  requireOwnMfaDevice,
  resyncMfaDevice,
  type MfaDeviceEntity,
} from '../../iam/mfa-devices.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type CallContext, type Input, type Operations } from '../operation.ts';
import { pageByName } from './listings.ts';
import { credentialChange, ownerOf, ownerTarget } from './owners.ts';
import { tagOutput, userOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { anyResource, creationTarget, mfaDeviceTarget, theMfaDevice } from './targets.ts';

/** The two consecutive codes EnableMFADevice and ResyncMFADevice present, and what checks them. */
function presentedCodes(input: Input, call: CallContext) {
  return {
    code1: input.AuthenticationCode1 as string,
    code2: input.AuthenticationCode2 as string,
    now: call.clock.now(),
    openSeed: (sealed: string) => call.secrets.open(sealed),
  };
}

/** The user name a device is enabled for ('root' devices belong to the account's root user). */
function assignedUserName(call: CallContext, device: MfaDeviceEntity): string | undefined {
  const userId = device.data.userId;
  if (userId === undefined) return undefined;
  return call.state.get('user', userId)?.data.userName ?? (userId === ROOT_OWNER_ID ? call.accountId : undefined);
}

function virtualDeviceOutput(call: CallContext, device: MfaDeviceEntity): Record<string, unknown> {
  const out: Record<string, unknown> = { SerialNumber: device.data.serialNumber };
  const userId = device.data.userId;
  if (userId !== undefined) {
    const user = call.state.get('user', userId);
    if (user !== undefined) out.User = userOutput(user);
    else if (userId === ROOT_OWNER_ID) out.User = { UserId: call.accountId, Arn: iamArn.root(call.accountId, call.partition), CreateDate: device.data.createDate };
    out.EnableDate = device.data.enableDate;
  }
  if (device.data.tags.length > 0) out.Tags = device.data.tags.map(tagOutput);
  return out;
}

const ASSIGNMENT: Record<string, (d: MfaDeviceEntity) => boolean> = {
  Assigned: (d) => d.data.userId !== undefined,
  Unassigned: (d) => d.data.userId === undefined,
  Any: () => true,
};

export const mfaDeviceOperations: Operations = {
  CreateVirtualMFADevice: {
    target: (input, call) => creationTarget(iamArn.mfa(call.accountId, input.Path ?? '/', input.VirtualMFADeviceName, call.partition), input),
    async run(input, call) {
      const seed = newTotpSeed((n) => call.ids.bytes(n));
      const made = await call.transact((tx) => {
        const device = createVirtualMfaDevice(tx, {
          accountId: call.accountId,
          name: input.VirtualMFADeviceName,
          path: input.Path,
          seedEncrypted: call.secrets.seal(seed),
          tags: input.Tags,
          now: call.clock.now().toISOString(),
        });
        // The answer less the seed: what the event records.
        return { VirtualMFADevice: virtualDeviceOutput(call, device) };
      });
      // "AccountName is the user name if set (otherwise, the account ID)": the caller's user name.
      const uri = otpauthUri(input.VirtualMFADeviceName, call.caller.userName ?? call.accountId, seed);
      const png = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
      return { VirtualMFADevice: { ...made.VirtualMFADevice, Base32StringSeed: seed, QRCodePNG: new Uint8Array(png) } };
    },
  },

  EnableMFADevice: credentialChange((tx, ownerId, input, call) => enableMfaDevice(tx, call.accountId, ownerId, input.SerialNumber, presentedCodes(input, call))),

  ResyncMFADevice: credentialChange((tx, ownerId, input, call) => resyncMfaDevice(tx, call.accountId, ownerId, input.SerialNumber, presentedCodes(input, call))),

  DeactivateMFADevice: credentialChange((tx, ownerId, input, call) => deactivateMfaDevice(tx, call.accountId, ownerId, input.SerialNumber)),

  DeleteVirtualMFADevice: changeOperation(theMfaDevice, (tx, input, call) => deleteVirtualMfaDevice(tx, call.accountId, input.SerialNumber)),

  ListMFADevices: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const userName = owner.user?.data.userName ?? call.accountId;
      const { page, isTruncated, marker } = pageByName(mfaDevicesOf(call.state, call.accountId, owner.ownerId), input);
      return {
        MFADevices: page.map((d) => ({ UserName: userName, SerialNumber: d.data.serialNumber, EnableDate: d.data.enableDate })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  },

  ListVirtualMFADevices: {
    target: anyResource,
    run(input, call) {
      const keep = ASSIGNMENT[(input.AssignmentStatus as string | undefined) ?? 'Any'] ?? ASSIGNMENT.Any!;
      const devices = (call.state.list('mfaDevice', call.accountId) as readonly MfaDeviceEntity[]).filter(keep);
      const { page, isTruncated, marker } = pageByName(devices, input);
      return { VirtualMFADevices: page.map((d) => virtualDeviceOutput(call, d)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  GetMFADevice: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const device = requireOwnMfaDevice(call.state, call.accountId, owner.ownerId, input.SerialNumber);
      return { UserName: assignedUserName(call, device), SerialNumber: device.data.serialNumber, EnableDate: device.data.enableDate };
    },
  },

  ...tagOperations({ noun: 'MFADevice', member: 'SerialNumber', target: mfaDeviceTarget, require: requireMfaDevice }),
};
