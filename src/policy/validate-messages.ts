// The texts of MalformedPolicyDocument errors. Where AWS's own wording was seen (in API responses
// quoted in public bug reports), it is used verbatim and marked [seen]; where it could not be
// found, the text is ours, written in AWS's style, and marked [ours]. Keep them here so that a
// correction is one edit.

export const Msg = {
  /** [seen] CreatePolicy / PutRolePolicy with text that is not JSON, `null`, or the wrong shape. */
  syntax: 'Syntax errors in policy.',
  /** [seen] CreateRole / UpdateAssumeRolePolicy with text that is not JSON. */
  trustInvalidJson: 'This policy contains invalid Json',
  /** [seen] An Effect other than the case-sensitive `Allow` / `Deny` (e.g. `allow`). */
  legacyParsing: 'The policy failed legacy parsing',
  /** [seen] */
  noActions: 'Policy statement must contain actions.',
  /** [seen] */
  noResources: 'Policy statement must contain resources.',
  /** [seen] IAM identity policies (PutUserPolicy, CreatePolicy, …) with Principal. */
  principalForbidden: 'Policy document should not specify a principal.',
  /** [seen] S3 PutBucketPolicy without Principal. */
  principalMissing: 'Missing required field Principal',
  /** [seen] CreateRole with a statement that has no principal. */
  trustPrincipalMissing:
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  /** [seen] CreateRole with `"Principal": "*"`. */
  trustStarPrincipal: 'AssumeRolepolicy contained an invalid principal: "STAR":"*".',
  /** [seen] for Resource; [ours] by analogy for NotResource and NotPrincipal. */
  prohibitedField: (field: string) => `Has prohibited field ${field}`,
  /** [seen] */
  sidNotUnique: 'Statement IDs (SID) in a single policy must be unique.',
  /** [seen] */
  sidNotAlphanumeric:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  /** [seen] */
  actionNoVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  /** [seen] */
  actionOneColon: 'Actions/Condition can contain only one colon.',
  /** [seen] e.g. `*:Untag*`. */
  actionVendorWildcard: 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards',
  /** [seen] */
  resourceNotArn: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
  /** [seen] */
  iamResourceRegion: (resource: string) => `IAM resource ${resource} cannot contain region information.`,
  /** [seen] in S3 (MalformedPolicy); [ours] that IAM uses the same text. */
  invalidConditionType: (operator: string) => `Invalid Condition type : ${operator}`,
  /** [seen] shape `Invalid principal in policy: "AWS":"arn:…"`. */
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: ${JSON.stringify(type)}:${JSON.stringify(value)}`,
  /** [seen] in S3 (`Missing required field Statement`); [ours] for IAM. */
  missingField: (field: string) => `Missing required field ${field}`,
  /** [ours] */
  emptyStatement: 'Policy document must contain at least one statement.',
  /** [ours] */
  bothElements: (a: string, b: string) => `Policy statement must not contain both ${a} and ${b}.`,
  /** [ours] The docs: "NotPrincipal must be used with "Effect":"Deny"". */
  notPrincipalWithAllow: 'Policy statement with NotPrincipal must use "Effect": "Deny".',
  /** [ours] Which actions a trust policy may hold: the docs list these; the text is ours. */
  trustActions:
    'Trust policy actions must be sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity or sts:SetContext.',
  /** [ours] AWS rejects these earlier, with ValidationError from the API's pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`. */
  badCharacters:
    'Policy document may contain only tab, line feed, carriage return and the characters U+0020 to U+00FF.',
  /**
   * [seen] AWS Organizations answers MalformedPolicyDocumentException with this one text for an
   * SCP or RCP that breaks its policy type's rules; Gatehouse uses it for every SCP/RCP error and
   * keeps the specific reason in `cause`.
   */
  organizations: 'The provided policy document does not meet the requirements of the specified policy type.',
} as const;
