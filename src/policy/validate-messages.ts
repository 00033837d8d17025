// The texts of MalformedPolicyDocument errors. Where AWS's own wording was seen (in API responses
// quoted in public bug reports), it is used verbatim and marked [seen]; where it could not be
// found, the text is ours, written in AWS's style, and marked [ours]. Keep them here so that a
// correction is one edit.

export const Msg = {
  /**
   * [seen] Text that is not JSON, `null`, or the wrong shape; also every structural error: an
   * invalid Version, a missing or empty Statement, a missing Effect or one that is not Allow/Deny in
   * any case, Action with NotAction (and the other pairs), a Condition that is not an object, an
   * unknown operator with values, an object as a condition value.
   */
  syntax: 'Syntax errors in policy.',
  /** [seen] CreatePolicy / CreatePolicyVersion with no Version or `2008-10-17`, before any other check. */
  versionTooOld: 'Policy document must be version 2012-10-17 or greater.',
  /** [seen] CreateRole / UpdateAssumeRolePolicy with text that is not JSON. */
  trustInvalidJson: 'This policy contains invalid Json',
  /**
   * [seen] An Effect of the wrong case (`allow`, `denY`), a value under a Date operator that is not a
   * date, and resources such as `arn:aws:s3::bucket`, `arn:aws::x` and `arn:aws::::bucket`.
   */
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
  /** [seen] e.g. `a a:ListBucket`. */
  actionVendorInvalid: (vendor: string) => `Vendor ${vendor} is not valid`,
  /** [seen] */
  resourceNotArn: (resource: string) => `Resource ${resource} must be in ARN format or "*".`,
  /** [seen] The resource is shown as an ARN: its first part becomes `arn`, missing parts `*`. */
  partitionInvalid: (partition: string, shown: string) => `Partition "${partition}" is not valid for resource "${shown}".`,
  /** [seen] `arn:aws`, or a service part with a wildcard (`arn:aws:*:*:*:x`). */
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  /** [seen] */
  iamResourceRegion: (resource: string) => `IAM resource ${resource} cannot contain region information.`,
  /** [seen] (sic: "can not", unlike IAM's text) */
  resourceRegion: (resource: string) => `Resource ${resource} can not contain region information.`,
  /** [seen] the 2026 text, which added `root`. */
  iamResourcePath:
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  /** [seen] shape `Invalid principal in policy: "AWS":"arn:…"`. */
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: ${JSON.stringify(type)}:${JSON.stringify(value)}`,
  /** [seen] in S3 and Organizations (`Missing required field Statement`); IAM answers `syntax` instead. */
  missingField: (field: string) => `Missing required field ${field}`,
  /** [ours] The docs: "NotPrincipal must be used with "Effect":"Deny"". */
  notPrincipalWithAllow: 'Policy statement with NotPrincipal must use "Effect": "Deny".',
  /** [seen] CreateRole / UpdateAssumeRolePolicy with an action that is not an sts: assume action. */
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
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
