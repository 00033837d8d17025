// Policy-document validation as data: test/policy/validation/cases.json holds documents and what
// IAM answers for them. Each row runs through the real SDK (CreatePolicy, PutUserPolicy, CreateRole)
// against a real server, and through parsePolicy, so a failure shows both what the client sees and
// which rule gave it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { parsePolicy } from '../../src/policy/parse.ts';
import { MalformedPolicyDocumentError } from '../../src/policy/errors.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.ts';
import { rejects } from '../support/assertions.ts';

type Answer = string; // 'accepted', or the exact MalformedPolicyDocument text

interface ValidationCase {
  name: string;
  note?: string;
  document: object | string;
  managed: Answer;
  inline?: Answer;
  trust?: { document: object | string; expect: Answer };
}

const file = JSON.parse(readFileSync(new URL('./validation/cases.json', import.meta.url), 'utf8')) as { suite: string; cases: ValidationCase[] };
const FIELDS = ['name', 'note', 'document', 'managed', 'inline', 'trust'];
const text = (d: object | string) => (typeof d === 'string' ? d : JSON.stringify(d));

/** What parsePolicy answers: 'accepted' or the error's text. */
function parseAnswer(document: string, kind: 'identity' | 'trust', managed: boolean): Answer {
  try {
    parsePolicy(document, kind, { managed, partition: 'aws' }); // the table is of an account in aws
    return 'accepted';
  } catch (e) {
    assert.ok(e instanceof MalformedPolicyDocumentError, String(e));
    return e.message;
  }
}

async function sdkAnswer(p: Promise<unknown>, expected: Answer): Promise<void> {
  if (expected === 'accepted') await p;
  else await rejects(p, 'MalformedPolicyDocument', expected);
}

describe(file.suite, () => {
  test('every row has only known fields and a unique name', () => {
    const names = new Set<string>();
    for (const c of file.cases) {
      assert.deepEqual(Object.keys(c).filter((k) => !FIELDS.includes(k)), [], c.name);
      assert.ok(!names.has(c.name), `duplicate name ${c.name}`);
      names.add(c.name);
    }
  });

  describe('parsePolicy', () => {
    for (const c of file.cases) {
      test(c.name, () => {
        assert.equal(parseAnswer(text(c.document), 'identity', true), c.managed, 'managed');
        assert.equal(parseAnswer(text(c.document), 'identity', false), c.inline ?? c.managed, 'inline');
        if (c.trust) assert.equal(parseAnswer(text(c.trust.document), 'trust', false), c.trust.expect, 'trust');
      });
    }
  });

  describe('through the SDK', () => {
    let gh: TestGatehouse;
    let iam: IAMClient;
    before(async () => {
      gh = await startTestGatehouse();
      iam = gh.iam;
    });
    after(() => gh.close());

    file.cases.forEach((c, i) => {
      test(c.name, async () => {
        const PolicyDocument = text(c.document);
        await sdkAnswer(iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument })), c.managed);
        // A user of its own: a user's inline policies share one size quota.
        await iam.send(new CreateUserCommand({ UserName: `u${i}` }));
        await sdkAnswer(iam.send(new PutUserPolicyCommand({ UserName: `u${i}`, PolicyName: 'p', PolicyDocument })), c.inline ?? c.managed);
        if (c.trust) {
          const AssumeRolePolicyDocument = text(c.trust.document);
          await sdkAnswer(iam.send(new CreateRoleCommand({ RoleName: `r${i}`, AssumeRolePolicyDocument })), c.trust.expect);
        }
      });
    });
  });
});
