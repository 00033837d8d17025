// IAM MFA device operations on the wire: CreateVirtualMFADevice, EnableMFADevice,
// ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
// ListVirtualMFADevices, GetMFADevice, TagMFADevice, UntagMFADevice, ListMFADeviceTags.
import { ROOT_OWNER_ID } from '../../iam/access-keys.ts';
import QRCode from 'qrcode';
import { newTotpSeed, otpauthUri } from '../../model/totp.ts';
import type { Tag } from '../../iam/entities.ts';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  mfaDevicesOf,
  requireMfaDevice,
  requireOwnMfaDevice,
  resyncMfaDevice,
  tagMfaDevice,
  untagMfaDevice,
  type MfaDeviceEntity,
} from '../../iam/mfa-devices.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { nameOrderKey } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationTable } from '../operation.ts';
import { ownerOf, ownerTarget, userOutput } from './users.ts';

/** A device's ARN and tags when it exists, else the ARN AWS would check. */
function deviceTarget(call: CallContext, serialNumber: string, extra?: AuthorizationTarget['context']): AuthorizationTarget {
  const device = call.state.get('mfaDevice', serialNumber);
  if (device === undefined || device.accountId !== call.accountId) return { resource: serialNumber, context: extra };
  return { resource: device.data.serialNumber, context: { ...resourceTagContext(device.data.tags), ...extra } };
}

function tagsOf(input: Input): Tag[] | undefined {
  return input.Tags as Tag[] | undefined;
}

function codes(input: Input, call: CallContext) {
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
    else if (userId === ROOT_OWNER_ID) out.User = { UserId: call.accountId, Arn: iamArn.root(call.accountId), CreateDate: device.data.createDate };
    out.EnableDate = device.data.enableDate;
  }
  if (device.data.tags.length > 0) out.Tags = device.data.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  return out;
}

const ASSIGNMENT: Record<string, (d: MfaDeviceEntity) => boolean> = {
  Assigned: (d) => d.data.userId !== undefined,
  Unassigned: (d) => d.data.userId === undefined,
  Any: () => true,
};

export const mfaDeviceOperations: OperationTable = {
  CreateVirtualMFADevice: {
    target: (input, call) => ({
      resource: iamArn.mfa(call.accountId, input.Path ?? '/', input.VirtualMFADeviceName),
      context: requestTagContext(tagsOf(input)),
    }),
    async run(input, call) {
      const seed = newTotpSeed((n) => call.ids.bytes(n));
      const made = await call.transact((tx) => {
        const device = createVirtualMfaDevice(tx, {
          accountId: call.accountId,
          name: input.VirtualMFADeviceName,
          path: input.Path,
          seedEncrypted: call.secrets.seal(seed),
          tags: tagsOf(input),
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

  EnableMFADevice: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      await call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        enableMfaDevice(tx, call.accountId, owner.ownerId, input.SerialNumber, codes(input, call));
      });
    },
  },

  ResyncMFADevice: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      await call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        resyncMfaDevice(tx, call.accountId, owner.ownerId, input.SerialNumber, codes(input, call));
      });
    },
  },

  DeactivateMFADevice: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      await call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        deactivateMfaDevice(tx, call.accountId, owner.ownerId, input.SerialNumber);
      });
    },
  },

  DeleteVirtualMFADevice: {
    target: (input, call) => deviceTarget(call, input.SerialNumber),
    async run(input, call) {
      await call.transact((tx) => deleteVirtualMfaDevice(tx, call.accountId, input.SerialNumber));
    },
  },

  ListMFADevices: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const userName = owner.user?.data.userName ?? call.accountId;
      const devices = mfaDevicesOf(call.state, call.accountId, owner.ownerId);
      const { page, isTruncated, marker } = paginate(devices, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return {
        MFADevices: page.map((d) => ({ UserName: userName, SerialNumber: d.data.serialNumber, EnableDate: d.data.enableDate })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  },

  ListVirtualMFADevices: {
    target: () => ({ resource: '*' }),
    run(input, call) {
      const keep = ASSIGNMENT[(input.AssignmentStatus as string | undefined) ?? 'Any'] ?? ASSIGNMENT.Any!;
      const devices = (call.state.list('mfaDevice', call.accountId) as readonly MfaDeviceEntity[]).filter(keep);
      const { page, isTruncated, marker } = paginate(devices, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
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

  TagMFADevice: {
    target: (input, call) => deviceTarget(call, input.SerialNumber, requestTagContext(tagsOf(input))),
    async run(input, call) {
      await call.transact((tx) => tagMfaDevice(tx, call.accountId, input.SerialNumber, tagsOf(input) ?? []));
    },
  },

  UntagMFADevice: {
    target: (input, call) => deviceTarget(call, input.SerialNumber, requestTagContext(undefined, input.TagKeys as string[])),
    async run(input, call) {
      await call.transact((tx) => untagMfaDevice(tx, call.accountId, input.SerialNumber, (input.TagKeys as string[]) ?? []));
    },
  },

  ListMFADeviceTags: {
    target: (input, call) => deviceTarget(call, input.SerialNumber),
    run(input, call) {
      const device = requireMfaDevice(call.state, call.accountId, input.SerialNumber);
      const { page, isTruncated, marker } = paginate(device.data.tags, input.Marker, input.MaxItems);
      return { Tags: page.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: isTruncated, Marker: marker };
    },
  },
};
