import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IAM, STS } from '../../src/protocol/model.ts';
import { IAM_CONSTRAINTS } from '../../src/protocol/constraints/iam.ts';
import { STS_CONSTRAINTS } from '../../src/protocol/constraints/sts.ts';
import type { Constraint, ConstraintTable } from '../../src/protocol/constraints/types.ts';
import type { ServiceModel } from '../../src/protocol/model.ts';

function inputMembers(service: ServiceModel): Set<string> {
  const names = new Set<string>();
  for (const op of service.operations.values()) for (const m of op.input?.members ?? []) names.add(m.name);
  return names;
}

for (const [service, table] of [[IAM, IAM_CONSTRAINTS], [STS, STS_CONSTRAINTS]] as Array<[ServiceModel, ConstraintTable]>) {
  test(`${service.id}: every input member of the model has a constraint entry`, () => {
    const missing = [...inputMembers(service)].filter((n) => !(n in table.members));
    assert.deepEqual(missing, []);
  });

  test(`${service.id}: overrides name real operation members`, () => {
    for (const key of Object.keys(table.overrides)) {
      const [op, member] = key.split('.') as [string, string];
      assert.ok(service.operations.get(op)?.input?.byName.has(member), key);
    }
  });

  test(`${service.id}: every pattern compiles as a Unicode regular expression`, () => {
    const check = (c: Constraint): void => {
      if (c.pattern !== undefined) assert.doesNotThrow(() => new RegExp(`^(?:${c.jsPattern ?? c.pattern})$`, 'u'), c.pattern);
      if (c.member) check(c.member);
      for (const m of Object.values(c.members ?? {})) check(m);
    };
    for (const c of [...Object.values(table.members), ...Object.values(table.overrides)]) check(c);
  });
}

test('operation-specific constraints are resolved per operation', () => {
  assert.equal(IAM.operations.get('CreateUser')!.constraints.get('UserName')!.max, 64);
  assert.equal(IAM.operations.get('GetUser')!.constraints.get('UserName')!.max, 128);
  assert.equal(IAM.operations.get('CreatePolicy')!.constraints.get('Path')!.pattern, '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/');
  assert.equal(STS.operations.get('GetSessionToken')!.constraints.get('DurationSeconds')!.max, 129600);
  assert.equal(STS.operations.get('AssumeRole')!.constraints.get('DurationSeconds')!.max, 43200);
});
