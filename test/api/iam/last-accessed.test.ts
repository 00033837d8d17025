// Service last accessed information through the real SDK against a real server: reports for
// users, roles, groups and managed policies made from the audit trail (denied attempts count,
// sessions count for their role, the 400-day tracking period), action-level details for IAM and
// STS, the entities of a service, ListPoliciesGrantingServiceAccess, jobs kept and expired,
// AWS's errors, authorization and the audit event.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  GetUserCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { JOBS_PER_ACCOUNT } from '../../../src/analyzer/last-accessed.ts';
import { ManualClock } from '../../../src/model/clock.ts';
import { rejects } from '../../support/assertions.ts';
import { startTestGatehouse, type TestGatehouse } from '../../support/gatehouse.ts';
import { allowAll, trustAccount } from '../../support/policies.ts';

const MINUTE = 60_000;
const DAY = 24 * 3600 * 1000;

describe('IAM service last accessed information', () => {
  const clock = new ManualClock('2025-03-01T10:00:00Z');
  let gh: TestGatehouse;
  let iam: IAMClient;
  let arn: (resource: string) => string;
  before(async () => {
    gh = await startTestGatehouse({ clock });
    iam = gh.iam;
    arn = (resource) => `arn:aws:iam::${gh.accountId}:${resource}`;
  });
  after(() => gh.close());
  beforeEach(async () => {
    clock.set('2025-03-01T10:00:00Z');
    await gh.reset();
  });

  const generate = async (Arn: string, Granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL', client = iam) =>
    (await client.send(new GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity }))).JobId!;
  const details = (JobId: string, client = iam) => client.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
  const byNamespace = async (JobId: string) => new Map((await details(JobId)).ServicesLastAccessed!.map((s) => [s.ServiceNamespace!, s]));
  const at = (minutesAfterStart: number) => new Date(Date.parse('2025-03-01T10:00:00Z') + minutesAfterStart * MINUTE);

  test("a user's report: the services its own and its groups' policies allow, when it last tried each (denied attempts too), answered COMPLETED at once", async () => {
    const alice = await gh.user('alice', allowAll(['iam:ListUsers', 's3:GetObject']));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'who', PolicyDocument: JSON.stringify(allowAll('sts:GetCallerIdentity')) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));

    clock.advance(MINUTE);
    await alice.iam.send(new ListUsersCommand({}));
    clock.advance(MINUTE);
    await rejects(alice.iam.send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied'); // an attempt still
    clock.advance(MINUTE);
    await alice.sts.send(new GetCallerIdentityCommand({}));

    const jobId = await generate(alice.arn);
    assert.match(jobId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const report = await details(jobId);
    assert.equal(report.JobStatus, 'COMPLETED');
    assert.equal(report.JobType, 'SERVICE_LEVEL');
    assert.deepEqual(report.JobCreationDate, at(3));
    assert.deepEqual(report.JobCompletionDate, at(3));
    assert.equal(report.IsTruncated, false);
    assert.deepEqual(report.ServicesLastAccessed, [
      { ServiceName: 'AWS Identity and Access Management', ServiceNamespace: 'iam', LastAuthenticated: at(2), LastAuthenticatedEntity: alice.arn, LastAuthenticatedRegion: 'us-east-1', TotalAuthenticatedEntities: 1 },
      { ServiceName: 'Amazon S3', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 },
      { ServiceName: 'AWS Security Token Service', ServiceNamespace: 'sts', LastAuthenticated: at(3), LastAuthenticatedEntity: alice.arn, LastAuthenticatedRegion: 'us-east-1', TotalAuthenticatedEntities: 1 },
    ]);
    // The report is what the trail said when it was made.
    await alice.iam.send(new ListUsersCommand({}));
    assert.deepEqual((await byNamespace(jobId)).get('iam')!.LastAuthenticated, at(2));
  });

  test('ACTION_LEVEL adds the IAM and STS actions tried, each with when, by whom and where; a wildcard policy lists every known service', async () => {
    const admin = await gh.user('ops', allowAll('*'));
    clock.advance(MINUTE);
    await admin.iam.send(new ListUsersCommand({}));
    clock.advance(MINUTE);
    await admin.iam.send(new GetUserCommand({}));
    clock.advance(MINUTE);
    await admin.iam.send(new ListUsersCommand({}));
    const services = await byNamespace(await generate(admin.arn, 'ACTION_LEVEL'));
    assert.ok(services.size > 40 && services.has('ec2') && services.has('lambda') && services.has('cloudtrail'));
    assert.deepEqual(services.get('iam')!.TrackedActionsLastAccessed, [
      { ActionName: 'GetUser', LastAccessedEntity: admin.arn, LastAccessedTime: at(2), LastAccessedRegion: 'us-east-1' },
      { ActionName: 'ListUsers', LastAccessedEntity: admin.arn, LastAccessedTime: at(3), LastAccessedRegion: 'us-east-1' },
    ]);
    assert.equal(services.get('sts')!.TrackedActionsLastAccessed, undefined); // none tried
    assert.equal(services.get('ec2')!.TrackedActionsLastAccessed, undefined);
    assert.equal((await details(await generate(admin.arn))).ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'iam')!.TrackedActionsLastAccessed, undefined);
  });

  test("a role's report counts its sessions; a managed policy's counts the users (directly or through a group) and roles it is attached to", async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'Who', PolicyDocument: JSON.stringify(allowAll(['sts:GetCallerIdentity', 'iam:GetUser'])) }));
    const roleArn = await gh.role('worker', trustAccount(gh.accountId));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: Policy!.Arn }));
    const carol = await gh.user('carol');
    await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ops', PolicyArn: Policy!.Arn }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'carol' }));
    const dave = await gh.user('dave');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: Policy!.Arn }));
    await gh.user('erin'); // no access to the policy: not counted

    clock.advance(MINUTE);
    const session = await gh.session(roleArn, 'job-1');
    await session.sts.send(new GetCallerIdentityCommand({}));
    clock.advance(MINUTE);
    await carol.sts.send(new GetCallerIdentityCommand({}));
    clock.advance(MINUTE);
    await dave.iam.send(new GetUserCommand({}));

    const role = await byNamespace(await generate(roleArn));
    assert.deepEqual([...role.keys()], ['iam', 'sts']);
    assert.deepEqual(role.get('sts'), {
      ServiceName: 'AWS Security Token Service', ServiceNamespace: 'sts', LastAuthenticated: at(1), LastAuthenticatedEntity: roleArn, LastAuthenticatedRegion: 'us-east-1', TotalAuthenticatedEntities: 1,
    });

    const jobId = await generate(Policy!.Arn!);
    const policy = await byNamespace(jobId);
    assert.equal(policy.get('sts')!.TotalAuthenticatedEntities, 2);
    assert.equal(policy.get('sts')!.LastAuthenticatedEntity, carol.arn);
    assert.equal(policy.get('iam')!.LastAuthenticatedEntity, dave.arn);
    const { EntityDetailsList, JobStatus } = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: jobId, ServiceNamespace: 'sts' }));
    assert.equal(JobStatus, 'COMPLETED');
    assert.deepEqual(EntityDetailsList!.map((e) => [e.EntityInfo!.Type, e.EntityInfo!.Name, e.LastAuthenticated]), [
      ['USER', 'carol', at(2)],
      ['ROLE', 'worker', at(1)],
      ['USER', 'dave', undefined],
    ]);
    assert.deepEqual(EntityDetailsList![1]!.EntityInfo, { Arn: roleArn, Name: 'worker', Type: 'ROLE', Id: EntityDetailsList![1]!.EntityInfo!.Id, Path: '/' });
    assert.match(EntityDetailsList![1]!.EntityInfo!.Id!, /^AROA/);
    const page = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: jobId, ServiceNamespace: 'sts', MaxItems: 2 }));
    assert.equal(page.IsTruncated, true);
    const rest = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: jobId, ServiceNamespace: 'sts', Marker: page.Marker }));
    assert.deepEqual(rest.EntityDetailsList!.map((e) => e.EntityInfo!.Name), ['dave']);
  });

  test("a group's report names the member who last tried; attempts older than the 400-day tracking period do not count; a restarted server reads them again from the trail", async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'p', PolicyDocument: JSON.stringify(allowAll('iam:Get*')) }));
    const alice = await gh.user('alice');
    const bob = await gh.user('bob');
    for (const UserName of ['alice', 'bob']) await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName }));
    clock.advance(MINUTE);
    await alice.iam.send(new GetUserCommand({}));
    clock.advance(DAY);
    await bob.iam.send(new GetUserCommand({}));
    const group = arn('group/devs');
    const iamRow = async () => (await byNamespace(await generate(group))).get('iam')!;
    assert.equal((await iamRow()).LastAuthenticatedEntity, bob.arn);
    assert.equal((await iamRow()).TotalAuthenticatedEntities, 2);

    await gh.restart();
    assert.deepEqual((await iamRow()).LastAuthenticated, new Date(at(1).getTime() + DAY));

    clock.advance(400 * DAY - 2 * MINUTE); // alice's attempt is now older than 400 days, bob's is not
    assert.equal((await iamRow()).TotalAuthenticatedEntities, 1);
    clock.advance(DAY);
    const stale = await iamRow();
    assert.deepEqual(stale, { ServiceName: 'AWS Identity and Access Management', ServiceNamespace: 'iam', TotalAuthenticatedEntities: 0 });
  });

  test('ListPoliciesGrantingServiceAccess: per namespace asked, the policies of the identity and its groups that allow some action of it', async () => {
    await gh.user('alice', allowAll(['iam:Get*', 'ec2:Describe*']));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'S3Read', PolicyDocument: JSON.stringify(allowAll('s3:Get*')) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'everything-but-iam', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));

    const { PoliciesGrantingServiceAccess, IsTruncated } = await iam.send(
      new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/alice'), ServiceNamespaces: ['iam', 's3', 'kinesis', 'ec2'] }),
    );
    assert.equal(IsTruncated, false);
    assert.deepEqual(PoliciesGrantingServiceAccess, [
      { ServiceNamespace: 'iam', Policies: [{ PolicyName: 'p', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'alice' }] },
      {
        ServiceNamespace: 's3',
        Policies: [
          { PolicyName: 'S3Read', PolicyType: 'MANAGED', PolicyArn: Policy!.Arn },
          { PolicyName: 'everything-but-iam', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' },
        ],
      },
      { ServiceNamespace: 'kinesis', Policies: [{ PolicyName: 'everything-but-iam', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' }] },
      {
        ServiceNamespace: 'ec2',
        Policies: [
          { PolicyName: 'p', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'alice' },
          { PolicyName: 'everything-but-iam', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' },
        ],
      },
    ]);
    const group = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('group/devs'), ServiceNamespaces: ['iam'] }));
    assert.deepEqual(group.PoliciesGrantingServiceAccess, [{ ServiceNamespace: 'iam', Policies: [] }]);
  });

  test("AWS's errors: unknown entities and jobs, ARNs that name no user, role, group or policy, and the model's constraints", async () => {
    await rejects(generate(arn('user/nobody')), 'NoSuchEntity', 'The user with name nobody cannot be found.');
    await rejects(generate(arn('role/nobody')), 'NoSuchEntity', 'The role with name nobody cannot be found.');
    await rejects(generate(arn('policy/Nope')), 'NoSuchEntity', `Policy ${arn('policy/Nope')} was not found.`);
    await rejects(generate(arn('instance-profile/web')), 'InvalidInput', `ARN ${arn('instance-profile/web')} is not valid.`);
    await rejects(generate('arn:aws:s3:::my-bucket-name'), 'InvalidInput', 'ARN arn:aws:s3:::my-bucket-name is not valid.');
    await rejects(
      iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', ServiceNamespaces: ['iam'] })),
      'InvalidInput',
    );
    const unknown = '11111111-2222-4333-8444-555555555555';
    await rejects(details(unknown), 'NoSuchEntity', `The job with id ${unknown} cannot be found.`);
    await rejects(iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: unknown, ServiceNamespace: 'iam' })), 'NoSuchEntity');
    await rejects(details('short'), 'ValidationError');
    await rejects(iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/x'), Granularity: 'RESOURCE_LEVEL' as 'ACTION_LEVEL' })), 'ValidationError');
    await rejects(iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/x'), ServiceNamespaces: [] })), 'ValidationError');
  });

  test(`jobs: the newest ${JOBS_PER_ACCOUNT} per account are kept, each for seven days; another account's job is unknown`, async () => {
    await gh.user('alice');
    const first = await generate(arn('user/alice'));
    const second = await generate(arn('user/alice'));
    for (let i = 2; i < JOBS_PER_ACCOUNT; i++) await generate(arn('user/alice'));
    await details(first);
    await generate(arn('user/alice'));
    await rejects(details(first), 'NoSuchEntity');
    await details(second);
    clock.advance(7 * DAY);
    await rejects(details(second), 'NoSuchEntity');
  });

  test('authorized on the ARN it names (Generate, ListPolicies…) or on "*" (the Gets); audited as read-only calls', async () => {
    await gh.user('alice');
    const carol = await gh.user('carol', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:GenerateServiceLastAccessedDetails', 'iam:ListPoliciesGrantingServiceAccess'], Resource: arn('user/alice') },
        { Effect: 'Allow', Action: 'iam:GetServiceLastAccessedDetails', Resource: '*' },
      ],
    });
    await rejects(generate(arn('user/carol'), undefined, carol.iam), 'AccessDenied', /iam:GenerateServiceLastAccessedDetails on resource: arn:aws:iam::\d+:user\/carol/);
    await rejects(carol.iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/carol'), ServiceNamespaces: ['iam'] })), 'AccessDenied');
    const seen = (await gh.events()).length;
    const jobId = await generate(arn('user/alice'), 'ACTION_LEVEL', carol.iam);
    await details(jobId, carol.iam);
    await rejects(carol.iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: jobId, ServiceNamespace: 'iam' })), 'AccessDenied');
    await carol.iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/alice'), ServiceNamespaces: ['iam'] }));

    const events = (await gh.events()).slice(seen);
    const made = events.find((e) => e.eventName === 'GenerateServiceLastAccessedDetails')!;
    assert.deepEqual(made.requestParameters, { arn: arn('user/alice'), granularity: 'ACTION_LEVEL' });
    assert.equal(made.responseElements, null); // read-only calls record no response
    assert.equal(made.readOnly, true);
    assert.equal(events.find((e) => e.eventName === 'GetServiceLastAccessedDetailsWithEntities')!.errorCode, 'AccessDenied');
  });
});
