// The one error the policy library throws. It carries its AWS error code and HTTP status the same
// way the rest of Gatehouse's errors do, so the protocol layer encodes it like any other.
export class MalformedPolicyDocumentError extends Error {
  readonly code = 'MalformedPolicyDocument';
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPolicyDocumentError';
  }
}
