// How AWS writes a time: ISO 8601 in UTC, to the second (2024-01-02T03:04:05Z). IAM and STS
// answers, CloudTrail event times, aws:CurrentTime and aws:TokenIssueTime all use this form.

/** `d` as AWS writes times: ISO 8601 UTC without milliseconds. */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
