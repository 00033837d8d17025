// The partition an account lives in (aws, aws-cn, aws-us-gov, the ISO ones), fixed when the
// account is made (bootstrap, from the configured region). Every ARN of its entities, its
// sessions and the AWS managed policies it sees names that partition, as on AWS, and requests
// addressed to another partition do not know its keys (authn/regions.ts, api/dispatch.ts).
import { DEFAULT_PARTITION, parseArn } from '../model/arn.ts';
import type { StateReader } from './state.ts';

export function accountPartition(state: StateReader, accountId: string): string {
  return state.get('account', accountId)?.data.partition ?? DEFAULT_PARTITION;
}

/** Does the ARN name the account's partition? An AWS managed policy of another partition is not there. */
export function inAccountPartition(state: StateReader, accountId: string, arn: string): boolean {
  return parseArn(arn)?.partition === accountPartition(state, accountId);
}
