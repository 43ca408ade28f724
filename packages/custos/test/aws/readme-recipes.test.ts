// The README's AWS CLI and boto3 recipes (aws-cli.sh, kms-boto3.py), run as written with the clients people have:
// Debian 12's AWS CLI 2.9 (/usr/bin/aws, apt `awscli`) and boto3 1.26 (/usr/bin/python3, apt `python3-boto3`), and
// the AWS CLI v1 (pyenv's, `pip install awscli`). And the README's claims about them: which environment variables
// each reads, and the operations the old ones lack. Skipped loudly without the Debian packages; an error instead under
// CUSTOS_REQUIRE_AWS_CLIS=1 (.ci/run installs them and sets it). No request ever leaves the machine: HTTPS_PROXY
// points at a closed port, so a client that would go to real AWS only shows where it was going.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from '../cli/helpers.js';
import { readmeSnippet, readmeSnippets } from '../helpers/readme-snippets.js';
import { type AwsCredentials, type AwsTestServer, startAwsServer } from './helpers.js';

const run = promisify(execFile);
const DEBIAN_AWS = '/usr/bin/aws';
const DEBIAN_PYTHON = '/usr/bin/python3';
const MISSING = !existsSync(DEBIAN_AWS) || !existsSync('/usr/lib/python3/dist-packages/boto3');

/** The AWS CLI v1: pyenv's real script (its shim needs pyenv's environment), or `AWS_CLI_V1`. */
async function awsCliV1(): Promise<string | undefined> {
  if (process.env.AWS_CLI_V1) return process.env.AWS_CLI_V1;
  const found = await run('pyenv', ['which', 'aws']).then(
    (r) => r.stdout.trim(),
    () => '',
  );
  if (!found) return undefined;
  const { stdout } = await run(found, ['--version']);
  return stdout.startsWith('aws-cli/1.') ? found : undefined;
}

if (MISSING) {
  const message = 'Debian awscli or python3-boto3 missing (apt-get install awscli python3-boto3)';
  if (process.env.CUSTOS_REQUIRE_AWS_CLIS === '1') throw new Error(message);
  console.warn(`${message}: skipping the README's AWS CLI and boto3 recipes`);
}

describe.skipIf(MISSING)("the README's AWS CLI and boto3 recipes", { timeout: 120_000 }, () => {
  let server: AwsTestServer;
  let credentials: AwsCredentials;
  let dir: string;
  let v1: string | undefined;

  beforeAll(async () => {
    server = await startAwsServer();
    credentials = await server.accessKey(['admin'], 'readme');
    dir = await mkdtemp(join(tmpdir(), 'custos-aws-recipes-'));
    const snippets = readmeSnippets(server.url);
    await writeFile(join(dir, 'aws-cli.sh'), readmeSnippet(snippets, 'aws-cli.sh'));
    await writeFile(join(dir, 'kms-boto3.py'), readmeSnippet(snippets, 'kms-boto3.py'));
    v1 = await awsCliV1();
    if (!v1) console.warn('no AWS CLI v1 (pyenv which aws, or AWS_CLI_V1): skipping its recipe');
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A shell as the README sets it up: its exports, `aws` on PATH as `cli`, no ~/.aws, nothing leaving the machine. */
  async function shell(script: string, cli: string, extra: Record<string, string | undefined> = {}) {
    const bin = await mkdtemp(join(dir, 'bin-'));
    await symlink(cli, join(bin, 'aws'));
    return run('bash', ['-c', script], {
      cwd: dir,
      timeout: 90_000,
      env: cleanEnv({
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: dir,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: undefined,
        AWS_ENDPOINT_URL_KMS: undefined,
        AWS_PROFILE: undefined,
        AWS_MAX_ATTEMPTS: '1',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        NO_PROXY: '127.0.0.1',
        ...extra,
      }),
    });
  }

  /** The exit code and stderr of a command that must fail. */
  function failure(command: Promise<unknown>): Promise<{ code: number; stderr: string }> {
    return command.then(
      () => {
        throw new Error('the command succeeded');
      },
      (e: unknown) => e as { code: number; stderr: string },
    );
  }

  async function recipe(cli: string): Promise<void> {
    const { stdout } = await shell('bash aws-cli.sh', cli);
    expect(stdout).toBe('card 4111…\n');
    const { stdout: boto } = await shell(`${DEBIAN_PYTHON} kms-boto3.py`, cli);
    expect(boto).toBe('card 4111\n');
    await server.admin.deleteAlias({ aliasName: 'alias/aws-orders' }); // the next client's run makes its own
  }

  it('aws-cli.sh and kms-boto3.py work with Debian 12 AWS CLI 2.9 and boto3 1.26', async () => {
    expect((await run(DEBIAN_AWS, ['--version'])).stdout).toMatch(/^aws-cli\/2\.9\./);
    await recipe(DEBIAN_AWS);
  });

  it('aws-cli.sh works with the AWS CLI v1', async ({ skip }) => {
    if (!v1) skip();
    await recipe(v1!);
  });

  it('AWS CLI 2.9 and boto3 1.26 ignore AWS_ENDPOINT_URL_KMS (they would go to real AWS); boto3 ignores AWS_REGION', async () => {
    const onlyEnv = { AWS_ENDPOINT_URL_KMS: server.url, AWS_DEFAULT_REGION: undefined, AWS_REGION: 'eu-west-3' };
    const cli = await failure(shell('aws kms list-keys --cli-connect-timeout 1 --debug', DEBIAN_AWS, onlyEnv));
    expect(cli.stderr).toContain('https://kms.eu-west-3.amazonaws.com');
    const boto = await shell(
      `${DEBIAN_PYTHON} -c "import boto3; print(boto3.client('kms', region_name='eu-west-3').meta.endpoint_url)"`,
      DEBIAN_AWS,
      onlyEnv,
    );
    expect(boto.stdout.trim()).toBe('https://kms.eu-west-3.amazonaws.com');
    const noRegion = await failure(
      shell(`${DEBIAN_PYTHON} -c "import boto3; boto3.client('kms')"`, DEBIAN_AWS, onlyEnv),
    );
    expect(noRegion.stderr).toContain('You must specify a region');
  });

  it('the AWS CLI v1 reads AWS_ENDPOINT_URL_KMS and AWS_DEFAULT_REGION, not AWS_REGION', async ({ skip }) => {
    if (!v1) skip();
    const env = { AWS_ENDPOINT_URL_KMS: server.url, AWS_DEFAULT_REGION: 'us-east-1', AWS_REGION: undefined };
    expect(JSON.parse((await shell('aws kms list-keys', v1!, env)).stdout)).toHaveProperty('Keys');
    const regionOnly = { ...env, AWS_DEFAULT_REGION: undefined, AWS_REGION: 'us-east-1' };
    const refused = await failure(shell('aws kms list-keys', v1!, regionOnly));
    expect(refused.stderr).toContain('You must specify a region');
  });

  it('AWS CLI 2.9 and boto3 1.26 lack RotateKeyOnDemand, ListKeyRotations and DeriveSharedSecret', async () => {
    for (const op of ['rotate-key-on-demand', 'list-key-rotations', 'derive-shared-secret']) {
      const refused = await failure(shell(`aws kms ${op} --key-id alias/none`, DEBIAN_AWS));
      expect(refused).toMatchObject({ code: 252 });
      expect(refused.stderr).toContain('Invalid choice');
    }
    const ops = await shell(
      `${DEBIAN_PYTHON} -c "import boto3; print(sorted(set(boto3.client('kms').meta.service_model.operation_names) & {'RotateKeyOnDemand', 'ListKeyRotations', 'DeriveSharedSecret'}))"`,
      DEBIAN_AWS,
    );
    expect(ops.stdout.trim()).toBe('[]');
  });
});
