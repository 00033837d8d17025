// AWS service namespaces (the prefix of an action, `s3` in s3:GetObject) and the names last
// accessed reports show for them ("Amazon Simple Storage Service"), for the services a policy is
// most likely to name. A report lists the services a policy allows among these: `*` or `s3:*`
// allows services, `foo:Bar` names none AWS has. Gatehouse serves iam, sts and cloudtrail; the
// others can only ever show as never accessed.

export const SERVICE_NAMES: ReadonlyMap<string, string> = new Map([
  ['access-analyzer', 'IAM Access Analyzer'],
  ['acm', 'AWS Certificate Manager'],
  ['apigateway', 'Amazon API Gateway'],
  ['athena', 'Amazon Athena'],
  ['autoscaling', 'Amazon EC2 Auto Scaling'],
  ['bedrock', 'Amazon Bedrock'],
  ['cassandra', 'Amazon Keyspaces (for Apache Cassandra)'],
  ['cloudformation', 'AWS CloudFormation'],
  ['cloudfront', 'Amazon CloudFront'],
  ['cloudtrail', 'AWS CloudTrail'],
  ['cloudwatch', 'Amazon CloudWatch'],
  ['codebuild', 'AWS CodeBuild'],
  ['codecommit', 'AWS CodeCommit'],
  ['codepipeline', 'AWS CodePipeline'],
  ['cognito-idp', 'Amazon Cognito User Pools'],
  ['config', 'AWS Config'],
  ['dynamodb', 'Amazon DynamoDB'],
  ['ec2', 'Amazon EC2'],
  ['ecr', 'Amazon Elastic Container Registry'],
  ['ecs', 'Amazon Elastic Container Service'],
  ['eks', 'Amazon Elastic Kubernetes Service'],
  ['elasticache', 'Amazon ElastiCache'],
  ['elasticloadbalancing', 'Elastic Load Balancing'],
  ['es', 'Amazon OpenSearch Service'],
  ['events', 'Amazon EventBridge'],
  ['firehose', 'Amazon Data Firehose'],
  ['glue', 'AWS Glue'],
  ['guardduty', 'Amazon GuardDuty'],
  ['iam', 'AWS Identity and Access Management'],
  ['kinesis', 'Amazon Kinesis Data Streams'],
  ['kms', 'AWS Key Management Service'],
  ['lambda', 'AWS Lambda'],
  ['logs', 'Amazon CloudWatch Logs'],
  ['organizations', 'AWS Organizations'],
  ['rds', 'Amazon RDS'],
  ['redshift', 'Amazon Redshift'],
  ['route53', 'Amazon Route 53'],
  ['s3', 'Amazon S3'],
  ['sagemaker', 'Amazon SageMaker'],
  ['secretsmanager', 'AWS Secrets Manager'],
  ['securityhub', 'AWS Security Hub'],
  ['ses', 'Amazon SES'],
  ['sns', 'Amazon SNS'],
  ['sqs', 'Amazon SQS'],
  ['ssm', 'AWS Systems Manager'],
  ['states', 'AWS Step Functions'],
  ['sts', 'AWS Security Token Service'],
  ['tag', 'Amazon Resource Group Tagging API'],
]);

/** The namespaces whose actions a report tracks one by one (ACTION_LEVEL): the IAM and STS actions Gatehouse serves. */
export const ACTION_TRACKED_NAMESPACES: ReadonlySet<string> = new Set(['iam', 'sts']);
