// `gatehouse aws-data-path`: for AWS CLIs that predate AWS_ENDPOINT_URL (v2 before 2.13, such as
// Debian 12's 2.9), which otherwise send role profiles' AssumeRole calls to AWS itself even when
// given --endpoint-url. botocore reads a service's endpoint rules from AWS_DATA_PATH before its
// own: rules that answer "Gatehouse" for every region send IAM, STS and CloudTrail calls there,
// those the CLI makes for role profiles (role_arn, source_profile, mfa_serial) included.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDataDir } from '../server/data-dir.ts';
import { UsageError } from './usage-error.ts';

export const AWS_DATA_PATH_USAGE = `Usage: gatehouse aws-data-path [--endpoint-url URL] [--data-dir DIR | --dir DIR]

For AWS CLIs older than 2.13 (Debian 12's is 2.9), which ignore AWS_ENDPOINT_URL: writes endpoint
rules that send the CLI's IAM, STS and CloudTrail calls to Gatehouse (role profiles' AssumeRole
calls included) and prints the directory, for AWS_DATA_PATH:

  export AWS_DATA_PATH="$(gatehouse aws-data-path --endpoint-url http://127.0.0.1:7070)"

While it is set, that CLI's IAM, STS and CloudTrail calls all go to Gatehouse: unset it to reach AWS.

Options:
  --endpoint-url URL   Gatehouse's URL (http://GATEHOUSE_HOST:GATEHOUSE_PORT, http://127.0.0.1:7070)
  --data-dir DIR       the data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --dir DIR            where to write the rules (<data dir>/aws-data)
`;

export const AWS_DATA_PATH_OPTIONS = { 'endpoint-url': { type: 'string' }, 'data-dir': { type: 'string' }, dir: { type: 'string' } } as const;

/** The services Gatehouse serves, with the API version botocore files their rules under. */
const SERVICES = [
  ['iam', '2010-05-08'],
  ['sts', '2011-06-15'],
  ['cloudtrail', '2013-11-01'],
] as const;

/** An endpoint rule set (botocore's endpoint-rule-set-1.json) whose one rule is `url`. */
export function endpointRuleSet(service: string, url: string): string {
  const param = (builtIn: string, type: string, required: boolean, dflt?: boolean) => (dflt === undefined ? { builtIn, type, required } : { builtIn, type, required, default: dflt });
  const parameters: Record<string, object> = {
    Region: param('AWS::Region', 'String', false),
    UseDualStack: param('AWS::UseDualStack', 'Boolean', true, false),
    UseFIPS: param('AWS::UseFIPS', 'Boolean', true, false),
    Endpoint: param('SDK::Endpoint', 'String', false),
  };
  if (service === 'sts') parameters.UseGlobalEndpoint = param('AWS::STS::UseGlobalEndpoint', 'Boolean', true, false);
  return `${JSON.stringify({ version: '1.0', parameters, rules: [{ conditions: [], endpoint: { url }, type: 'endpoint' }] }, null, 2)}\n`;
}

export function runAwsDataPath(argv: string[], io: { out: (text: string) => void; warn?: (text: string) => void; env?: NodeJS.ProcessEnv }): void {
  const { values } = parseArgs({ args: argv, options: AWS_DATA_PATH_OPTIONS, strict: true, allowPositionals: false });
  const env = io.env ?? process.env;
  const url = values['endpoint-url'] ?? `http://${env.GATEHOUSE_HOST ?? '127.0.0.1'}:${env.GATEHOUSE_PORT ?? '7070'}`;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new UsageError(`--endpoint-url must be http(s)://host:port, got ${url}`);
  let dir: string;
  if (values.dir !== undefined) dir = resolve(values.dir);
  else {
    const dataDir = resolve(values['data-dir'] ?? env.GATEHOUSE_DATA_DIR ?? '.gatehouse');
    prepareDataDir(dataDir, io.warn ?? ((m) => process.stderr.write(`gatehouse: ${m}\n`)));
    dir = join(dataDir, 'aws-data');
  }
  for (const [service, version] of SERVICES) {
    mkdirSync(join(dir, service, version), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, service, version, 'endpoint-rule-set-1.json'), endpointRuleSet(service, url.replace(/\/$/, '')));
  }
  io.out(`${dir}\n`);
}
