// Virtual MFA devices for tests on a manual clock: a device enrolled with computed codes, and the
// next valid code for it (each code of a later step than the last one used, as the server requires).
import { CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ManualClock } from '../../src/model/clock.ts';
import { totpCodeAt, totpStep } from '../../src/model/totp.ts';

/** A manual clock set to now, on a step boundary, so that tests can step it one TOTP period at a time. */
export function totpClock(): ManualClock {
  return new ManualClock(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);
}

export interface MfaCodes {
  /** Creates and enables a virtual MFA device for the user; answers its serial and seed. */
  enrol(admin: IAMClient, userName: string, deviceName?: string): Promise<{ serial: string; seed: string }>;
  /** The code of the current step, moving the clock a period on when that step was already used. */
  next(seed: string): string;
}

export function mfaCodes(clock: ManualClock): MfaCodes {
  const lastStep = new Map<string, number>();
  return {
    async enrol(admin, userName, deviceName = userName) {
      const { VirtualMFADevice } = await admin.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
      const serial = VirtualMFADevice!.SerialNumber!;
      const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
      const step = totpStep(clock.now());
      await admin.send(
        new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: totpCodeAt(seed, step - 1), AuthenticationCode2: totpCodeAt(seed, step) }),
      );
      lastStep.set(seed, step);
      return { serial, seed };
    },
    next(seed) {
      let step = totpStep(clock.now());
      if ((lastStep.get(seed) ?? -Infinity) >= step) {
        clock.advance(30_000);
        step = totpStep(clock.now());
      }
      lastStep.set(seed, step);
      return totpCodeAt(seed, step);
    },
  };
}
