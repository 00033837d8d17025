// What LookupEvents can search an event by (its LookupAttributes) and the Resources it answers
// with. The store indexes these keys when it writes the event (store/trail.ts), so a search by any
// one of them is an index range however many events there are.
import type { EventKey } from '../store/trail.ts';
import type { CloudTrailEvent } from './event.ts';
import { usernameOf } from './identity.ts';

export interface EventResource {
  ResourceType: string;
  ResourceName: string;
}

/** Request parameters that name a resource, and the resource type each names. */
const NAMED: readonly (readonly [string, string])[] = [
  ['userName', 'AWS::IAM::User'],
  ['newUserName', 'AWS::IAM::User'],
  ['groupName', 'AWS::IAM::Group'],
  ['newGroupName', 'AWS::IAM::Group'],
  ['roleName', 'AWS::IAM::Role'],
  ['roleArn', 'AWS::IAM::Role'],
  ['policyArn', 'AWS::IAM::Policy'],
  ['instanceProfileName', 'AWS::IAM::InstanceProfile'],
  ['accessKeyId', 'AWS::IAM::AccessKey'],
  ['serialNumber', 'AWS::IAM::MFADevice'],
  ['roleSessionName', 'AWS::STS::AssumedRole'],
  ['name', 'AWS::STS::FederatedUser'],
];

/** Responses that name what a call created (the name is not in the request). */
const CREATED: readonly (readonly [string, string, string])[] = [
  ['accessKey', 'accessKeyId', 'AWS::IAM::AccessKey'],
  ['policy', 'arn', 'AWS::IAM::Policy'],
  ['virtualMFADevice', 'serialNumber', 'AWS::IAM::MFADevice'],
  ['credentials', 'accessKeyId', 'AWS::IAM::AccessKey'],
  ['role', 'roleName', 'AWS::IAM::Role'],
];

export function resourcesOf(event: CloudTrailEvent): EventResource[] {
  const out: EventResource[] = [];
  const req = event.requestParameters;
  if (req !== null) for (const [member, type] of NAMED) addResource(out, type, req[member]);
  const res = event.responseElements;
  if (res !== null) {
    for (const [outer, member, type] of CREATED) {
      const v = res[outer];
      if (typeof v === 'object' && v !== null) addResource(out, type, (v as Record<string, unknown>)[member]);
    }
  }
  return out;
}

/** Adds a resource once. (A function, not a closure per event: the writer thread runs this for every event.) */
function addResource(out: EventResource[], type: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') return;
  if (out.some((r) => r.ResourceType === type && r.ResourceName === name)) return;
  out.push({ ResourceType: type, ResourceName: name });
}

/** The (attribute, value) pairs of an event that LookupEvents can search by. */
export function lookupKeysOf(value: unknown): EventKey[] {
  const event = value as CloudTrailEvent;
  if (typeof event !== 'object' || event === null || typeof event.eventName !== 'string') return [];
  // No EventId: one row per event would cost the writer more than all the others together (runs
  // share rows); query.ts finds an event by its id's time instead.
  const keys: EventKey[] = [
    ['EventName', event.eventName],
    ['ReadOnly', String(event.readOnly)],
    ['EventSource', event.eventSource],
  ];
  const username = event.userIdentity !== undefined ? usernameOf(event.userIdentity) : undefined;
  if (username !== undefined && username !== '') keys.push(['Username', username]);
  const accessKeyId = event.userIdentity?.accessKeyId;
  if (accessKeyId !== undefined && accessKeyId !== '') keys.push(['AccessKeyId', accessKeyId]);
  const types = new Set<string>();
  for (const r of resourcesOf(event)) {
    keys.push(['ResourceName', r.ResourceName]);
    if (!types.has(r.ResourceType)) {
      types.add(r.ResourceType);
      keys.push(['ResourceType', r.ResourceType]);
    }
  }
  return keys;
}

// The store's event writer thread imports the function from here (store/trail.ts EventKeysFunction).
lookupKeysOf.module = import.meta.url;
