// Virtual MFA devices: created unassigned with a fresh TOTP seed (kept sealed, DESIGN rule 6),
// enabled for a user with two consecutive codes, resynchronized, deactivated, deleted, tagged.
// Every accepted code moves the device's last used step forward, so no code is accepted twice.
// Checks happen inside the transaction's draft so that two calls racing with one code have one winner.
import { matchConsecutiveTotp, matchTotp, totpStep } from '../model/totp.ts';
import { iamArn } from '../model/arn.ts';
import { deleteConflict, entityAlreadyExists, invalidAuthenticationCode, limitExceeded, noSuchEntity } from '../model/errors.ts';
import type { MfaDevice, Tag } from './entities.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';
import { checkRequestTags } from './tags.ts';
import { accountPartition } from './partition.ts';

/** MFA devices in use per user: AWS allows up to 8 since November 2022. */
export const MFA_DEVICES_PER_USER = 8;
/** Steps either side of now that ResyncMFADevice searches for a device's clock (±5 minutes). */
export const RESYNC_WINDOW = 10;

/** What Gatehouse keeps beyond the entity's documented fields: replay protection and clock drift. */
export interface MfaDeviceData extends MfaDevice {
  /** The last TOTP step accepted from the device. */
  lastUsedStep?: number;
  /** The device's clock offset in steps, learnt by EnableMFADevice and ResyncMFADevice. */
  driftSteps?: number;
}

export type MfaDeviceEntity = EntityOf<'mfaDevice'> & { data: MfaDeviceData };

/** Opens a sealed seed (call.secrets.open). */
export type SeedOpener = (sealed: string) => string;

const invalidCode = () => invalidAuthenticationCode('Authentication code for device is not valid.');

export function noSuchMfaDevice(serialNumber: string): Error {
  return noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
}

/** The device, when it exists in the account; else AWS's NoSuchEntity. */
export function requireMfaDevice(state: StateReader, accountId: string, serialNumber: string): MfaDeviceEntity {
  const device = state.get('mfaDevice', serialNumber);
  if (device === undefined || device.accountId !== accountId) throw noSuchMfaDevice(serialNumber);
  return device as MfaDeviceEntity;
}

/** The devices enabled for a user (or 'root'), in list order. */
export function mfaDevicesOf(state: StateReader, accountId: string, ownerId: string): MfaDeviceEntity[] {
  return state.list('mfaDevice', accountId).filter((d) => d.data.userId === ownerId) as MfaDeviceEntity[];
}

export interface NewVirtualMfaDevice {
  accountId: string;
  name: string;
  path?: string;
  /** The base32 seed, already sealed. */
  seedEncrypted: string;
  tags?: readonly Tag[];
  now: string;
}

export function createVirtualMfaDevice(tx: Draft, args: NewVirtualMfaDevice): MfaDeviceEntity {
  const path = args.path ?? '/';
  const serialNumber = iamArn.mfa(args.accountId, path, args.name, accountPartition(tx, args.accountId));
  if (tx.byName('mfaDevice', args.accountId, args.name) !== undefined || tx.get('mfaDevice', serialNumber) !== undefined) {
    throw entityAlreadyExists('MFADevice entity at the same path and name already exists.');
  }
  if (args.tags) checkRequestTags(args.tags);
  const data: MfaDeviceData = {
    serialNumber,
    path,
    name: args.name,
    createDate: args.now,
    seedEncrypted: args.seedEncrypted,
    tags: (args.tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
  };
  const entity = { kind: 'mfaDevice' as const, id: serialNumber, accountId: args.accountId, name: args.name, data };
  tx.put(entity);
  return entity;
}

export interface CodePair {
  code1: string;
  code2: string;
  now: Date;
  openSeed: SeedOpener;
}

/** EnableMFADevice: the device must be unassigned and the two codes consecutive and fresh. */
export function enableMfaDevice(tx: Draft, accountId: string, ownerId: string, serialNumber: string, codes: CodePair): MfaDeviceEntity {
  const device = requireMfaDevice(tx, accountId, serialNumber);
  if (device.data.userId !== undefined) throw entityAlreadyExists('MFA Device is already in use.');
  if (mfaDevicesOf(tx, accountId, ownerId).length >= MFA_DEVICES_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_USER}.`);
  }
  const seed = codes.openSeed(device.data.seedEncrypted);
  const step = matchConsecutiveTotp(seed, codes.code1, codes.code2, codes.now, { lastUsedStep: device.data.lastUsedStep });
  if (step === undefined) throw invalidCode();
  const data: MfaDeviceData = {
    ...device.data,
    userId: ownerId,
    enableDate: codes.now.toISOString(),
    lastUsedStep: step + 1,
    driftSteps: 0,
  };
  const updated = { ...device, data };
  tx.put(updated);
  return updated;
}

/** The device, when it is enabled for the owner; else NoSuchEntity. */
export function requireOwnMfaDevice(state: StateReader, accountId: string, ownerId: string, serialNumber: string): MfaDeviceEntity {
  const device = state.get('mfaDevice', serialNumber) as MfaDeviceEntity | undefined;
  if (device === undefined || device.accountId !== accountId || device.data.userId !== ownerId) {
    throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
  }
  return device;
}

/** ResyncMFADevice: two consecutive codes anywhere within RESYNC_WINDOW steps; the drift is learnt. */
export function resyncMfaDevice(tx: Draft, accountId: string, ownerId: string, serialNumber: string, codes: CodePair): void {
  const device = requireOwnMfaDevice(tx, accountId, ownerId, serialNumber);
  const seed = codes.openSeed(device.data.seedEncrypted);
  const step = matchConsecutiveTotp(seed, codes.code1, codes.code2, codes.now, {
    lastUsedStep: device.data.lastUsedStep,
    window: RESYNC_WINDOW,
  });
  if (step === undefined) throw invalidCode();
  const driftSteps = step + 1 - totpStep(codes.now);
  tx.put({ ...device, data: { ...device.data, lastUsedStep: step + 1, driftSteps } });
}

/** DeactivateMFADevice: the device goes back to unassigned (its used steps stay used). */
export function deactivateMfaDevice(tx: Draft, accountId: string, ownerId: string, serialNumber: string): void {
  const device = requireOwnMfaDevice(tx, accountId, ownerId, serialNumber);
  const { userId: _user, enableDate: _date, ...rest } = device.data;
  tx.put({ ...device, data: rest });
}

export function deleteVirtualMfaDevice(tx: Draft, accountId: string, serialNumber: string): void {
  const device = requireMfaDevice(tx, accountId, serialNumber);
  if (device.data.userId !== undefined) throw deleteConflict('MFA Device is still in use.');
  tx.delete('mfaDevice', device.id);
}

/**
 * Checks a code presented with SerialNumber/TokenCode (AssumeRole, GetSessionToken): true and the
 * step recorded when the device is enabled for the owner and the code is fresh, else false
 * (nothing written). Run it inside the transaction that issues the credentials.
 */
export function verifyMfaCode(
  tx: Draft,
  args: { accountId: string; ownerId: string; serialNumber: string; code: string; now: Date; openSeed: SeedOpener },
): boolean {
  const device = tx.get('mfaDevice', args.serialNumber) as MfaDeviceEntity | undefined;
  if (device === undefined || device.accountId !== args.accountId || device.data.userId !== args.ownerId) return false;
  const seed = args.openSeed(device.data.seedEncrypted);
  const step = matchTotp(seed, args.code, args.now, { lastUsedStep: device.data.lastUsedStep, driftSteps: device.data.driftSteps });
  if (step === undefined) return false;
  tx.put({ ...device, data: { ...device.data, lastUsedStep: step } });
  return true;
}
