// Finding a managed policy by ARN, AWS managed or customer managed, with its default version.
import { parseIamArn } from '../model/arn.ts';
import { awsManagedPolicy, isAwsManagedPolicyArn } from './managed-policies.ts';
import type { EntityOf, StateReader } from './state.ts';

export interface ManagedPolicyRef {
  arn: string;
  /** The default version's document text. */
  document: string;
  defaultVersionId: string;
  /** The customer managed policy entity; absent for AWS managed policies. */
  entity?: EntityOf<'policy'>;
}

export function customerPolicyByArn(state: StateReader, arn: string): EntityOf<'policy'> | undefined {
  const parsed = parseIamArn(arn);
  if (parsed === undefined || parsed.type !== 'policy') return undefined;
  const entity = state.byName('policy', parsed.account, parsed.name);
  return entity !== undefined && entity.data.arn === arn ? entity : undefined;
}

export function managedPolicyByArn(state: StateReader, arn: string): ManagedPolicyRef | undefined {
  if (isAwsManagedPolicyArn(arn)) {
    const p = awsManagedPolicy(arn);
    return p && { arn, document: p.document, defaultVersionId: p.defaultVersionId };
  }
  const entity = customerPolicyByArn(state, arn);
  if (entity === undefined) return undefined;
  const version = entity.data.versions.find((v) => v.versionId === entity.data.defaultVersionId);
  return version && { arn, document: version.document, defaultVersionId: version.versionId, entity };
}
