// Quotas on how many entities of a kind one account may have ("IAM and AWS STS quotas").
import { limitExceeded } from '../model/errors.ts';
import type { StateReader } from './state.ts';

/** AWS's LimitExceeded when the account already has `max` entities of `kind` (`quota`: AWS's name for it). */
export function checkAccountQuota(state: StateReader, kind: string, accountId: string, quota: string, max: number): void {
  if (state.list(kind, accountId).length >= max) throw limitExceeded(`Cannot exceed quota for ${quota}: ${max}`);
}
