// `gatehouse serve --help`: every option with its environment variable and default. Also the
// bottom half of `gatehouse --help`, serve being the default command.

/** The options and environment variables of serve. */
export const SERVE_OPTIONS_TEXT = `Options [environment variable] (default):
  --host HOST                    listen address [GATEHOUSE_HOST] (127.0.0.1)
  --port PORT                    listen port, 0 for any free one [GATEHOUSE_PORT] (7070)
  --data-dir DIR                 data directory [GATEHOUSE_DATA_DIR] (./.gatehouse)
  --data-key-file FILE           the data key, 32 raw bytes, kept outside the data directory
                                 [GATEHOUSE_DATA_KEY_FILE] (<data dir>/data.key, made on first start)
  --account-id ID                12-digit id of the account made on first start [GATEHOUSE_ACCOUNT_ID] (random)
  --region REGION                default region; its partition (aws, aws-cn, aws-us-gov, …) is the
                                 account's, fixed on first start [GATEHOUSE_REGION] (us-east-1)
  --root-email EMAIL             the root user's sign-in email, set on first start [GATEHOUSE_ROOT_EMAIL]
  --allow-root-access-keys       let the root user create access keys [GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS]
                                 (on with --fresh-account)
  --password-hash-cost N         log2 of scrypt's N for password hashes, 14-20 [GATEHOUSE_PASSWORD_HASH_COST] (17)
  --password-hash-concurrency N  password hashes computed at once; 4x as many may wait
                                 [GATEHOUSE_PASSWORD_HASH_CONCURRENCY] (cores - 1, at least 1)
  --signin-slowdown-threshold N  failed sign-ins of one identity from one address before that address
                                 must wait [GATEHOUSE_SIGNIN_SLOWDOWN_THRESHOLD] (3)
  --signin-slowdown-seconds N    the first wait, doubling per failure [GATEHOUSE_SIGNIN_SLOWDOWN_SECONDS] (2)
  --signin-lockout-threshold N   failed sign-ins of one identity from one address that lock that address
                                 out of that identity [GATEHOUSE_SIGNIN_LOCKOUT_THRESHOLD] (10)
  --signin-source-lockout-threshold N  failed sign-ins from one address, any identity, that lock it out
                                 [GATEHOUSE_SIGNIN_SOURCE_LOCKOUT_THRESHOLD] (100)
  --trusted-proxies LIST         proxies (addresses, CIDRs) whose X-Forwarded-For names the client
                                 [GATEHOUSE_TRUSTED_PROXIES] (none)
  --signin-lockout-seconds N     how long a lockout lasts [GATEHOUSE_SIGNIN_LOCKOUT_SECONDS] (900)
  --signin-session-seconds N     console session length [GATEHOUSE_SIGNIN_SESSION_SECONDS] (43200; root: 3600)
  --log-level LEVEL              pino level [GATEHOUSE_LOG_LEVEL] (info)
  --test-mode                    add POST /_gatehouse/reset [GATEHOUSE_TEST_MODE]; it needs the reset
                                 token, GATEHOUSE_RESET_TOKEN or <data dir>/reset-token (random)
  --allow-test-mode-on-network   allow test mode on a non-loopback address [GATEHOUSE_ALLOW_TEST_MODE_ON_NETWORK]
  --fresh-account                first start and reset leave a new AWS account: no IAM users, groups or
                                 roles; the bootstrap key is the root user's [GATEHOUSE_FRESH_ACCOUNT]

Environment only:
  GATEHOUSE_DATA_KEY                       the data key, base64 (instead of a key file)
  GATEHOUSE_ROOT_PASSWORD                  the root user's password, set on first start (generated)
  GATEHOUSE_RESET_TOKEN                    test mode's reset token (random, in <data dir>/reset-token)
  GATEHOUSE_BOOTSTRAP_ACCESS_KEY_ID,
  GATEHOUSE_BOOTSTRAP_SECRET_ACCESS_KEY    the admin's first access key (random)
  GATEHOUSE_AUDIT_DIGEST_INTERVAL_SECONDS  how often the audit trail's digest is signed (60)
  GATEHOUSE_AUDIT_KEY_FILE                 the audit signing key, Ed25519 PEM (<data dir>/audit-signing-key.pem)
  GATEHOUSE_AUDIT_EXPORT_DIR               CloudTrail-layout export, '' for none (<data dir>/cloudtrail)
  GATEHOUSE_AUDIT_EXPORT_INTERVAL_SECONDS  how often new events are exported (300)
  GATEHOUSE_AUDIT_RETENTION_DAYS           days of exported files kept, 0 for all (90)
  GATEHOUSE_AUDIT_DB_RETENTION_DAYS        days of exported, digested events kept in the database, 0 for all (0)
  GATEHOUSE_AUDIT_BATCH_DELAY_MS,
  GATEHOUSE_AUDIT_BATCH_SIZE               batching of the events of reads and failures (100, 500)
  GATEHOUSE_ALERTS_FILE                    alert rules and webhooks (<data dir>/alerts.yaml)
  GATEHOUSE_ALERTS_POLL_MS                 how often failed webhook deliveries are retried (1000)

On first start Gatehouse makes an account, its root user and an IAM user "admin" with an access
key, and writes them to <data dir>/bootstrap-credentials (mode 0600); it prints that profile only
when standard output is a terminal.
`;

export const SERVE_USAGE = `Usage: gatehouse [serve] [options]

Runs Gatehouse: the IAM, STS and CloudTrail APIs on one HTTP endpoint, with its state in the data
directory (created 0700; one server at a time: a second one exits naming the first's pid).
SIGTERM or SIGINT stop it gracefully.

${SERVE_OPTIONS_TEXT}`;
