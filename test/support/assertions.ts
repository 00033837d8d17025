// Assertions shared by the integration tests.
import assert from 'node:assert/strict';

/** Asserts AWS's error code as it came on the wire (the SDK names modeled errors `…Exception`) and its message. */
export async function rejects(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { Code?: string }) => {
    assert.equal(e.Code ?? e.name, code, `expected ${code}, got ${e.Code ?? e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}
