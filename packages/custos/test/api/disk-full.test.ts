// A full disk under a running `custos server` (the built binary, its audit worker thread and all, on a small tmpfs):
// state-changing calls answer 503 UNAVAILABLE on REST and a retryable DependencyTimeoutException on the AWS protocol,
// /readyz is 503 while writes fail, the log names SQLITE_FULL; once space is freed, calls and /readyz recover and
// nothing acknowledged is lost. Mounting needs root: without it the file is skipped, loudly.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, DependencyTimeoutException, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { freePort, spawnCli } from '../cli/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'custos-disk-full-'));
const mountPoint = join(root, 'mnt');
mkdirSync(mountPoint);

/** Mounts a 16 MiB tmpfs, or says why it cannot. */
function mountTmpfs(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
  }
}

const cannotMount = mountTmpfs();
if (cannotMount !== undefined) {
  console.warn(`SKIPPED disk-full tests: cannot mount a tmpfs at ${mountPoint} (${cannotMount}); run them as root`);
  rmSync(root, { recursive: true, force: true });
}
const describeMounted = cannotMount === undefined ? describe : describe.skip;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeMounted('disk full under a running server (tmpfs)', { timeout: 120_000 }, () => {
  const dataDir = join(mountPoint, 'data');
  let child: ChildProcess;
  let log = '';
  let url: string;
  let token: string;
  let admin: RemoteKms;
  let aws: KMSClient;
  const fillers: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawnCli(['server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'info']);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${log}`);
      const up = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 200) throw new Error(`server did not become ready: ${log}`);
      await wait(100);
    }
    token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
    admin = new RemoteKms({ endpoint: url, token });
    const { accessKeyId, secretAccessKey } = await admin.createAccessKey({ roles: ['admin'] });
    aws = new KMSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
  });

  afterAll(async () => {
    aws?.destroy();
    await admin?.close();
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    }
    rmSync(root, { recursive: true, force: true });
  });

  const rest = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  /** Fills the tmpfs: big files first, then ever smaller ones, until not even 512 bytes fit. */
  function fillDisk(): void {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      for (;;) {
        const file = join(mountPoint, `filler-${fillers.length}`);
        try {
          writeFileSync(file, Buffer.alloc(size, 1));
          fillers.push(file);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
          rmSync(file, { force: true });
          break;
        }
      }
    }
  }

  it('answers 503 UNAVAILABLE (REST) and a retried DependencyTimeoutException (AWS) while full, then recovers with nothing lost', async () => {
    // Acknowledged before the disk fills: keys, an alias, ciphertexts.
    const acknowledged: { keyId: string; blob: Uint8Array }[] = [];
    for (let i = 0; i < 5; i++) {
      const { keyMetadata } = await admin.createKey({ description: `before ${i}` });
      const { ciphertextBlob } = await admin.encrypt({
        keyId: keyMetadata.keyId,
        plaintext: new TextEncoder().encode(`secret ${i}`),
      });
      acknowledged.push({ keyId: keyMetadata.keyId, blob: ciphertextBlob });
    }
    await admin.createAlias({ aliasName: 'alias/before-full', targetKeyId: acknowledged[0]!.keyId });

    fillDisk();

    // State-changing calls: 503 UNAVAILABLE, never 500 INTERNAL. A call the WAL still had room for is acknowledged
    // (and kept, checked below); at least one must fail, and every failure must be UNAVAILABLE.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await rest('POST', '/v1/keys', { description: `during ${i} ${'x'.repeat(4000)}` });
      const body = (await res.json()) as { error?: { code: string }; keyMetadata?: { keyId: string } };
      statuses.push(res.status);
      if (res.ok) acknowledged.push({ keyId: body.keyMetadata!.keyId, blob: new Uint8Array() });
      else expect(body.error?.code).toBe('UNAVAILABLE');
    }
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);

    // The AWS protocol: DependencyTimeoutException, which the SDK retries (a server fault).
    const awsError = await aws.send(new CreateKeyCommand({ Description: `during aws ${'y'.repeat(4000)}` })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(awsError).toBeInstanceOf(DependencyTimeoutException);
    expect((awsError as DependencyTimeoutException).$fault).toBe('server');
    expect((awsError as DependencyTimeoutException).$metadata.attempts).toBeGreaterThan(1);

    // Not ready while writes fail, and the log names the real cause (not "cannot rollback").
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect(log).toMatch(/SQLITE_FULL/);
    expect(log).not.toMatch(/cannot rollback/);

    // Space comes back: /readyz turns ready by itself (a probe write), and calls work again.
    for (const file of fillers.splice(0)) rmSync(file);
    for (let i = 0; ; i++) {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
      if (i > 150) throw new Error('/readyz did not recover');
      await wait(100);
    }
    const after = await rest('POST', '/v1/keys', { description: 'after' });
    expect(after.status).toBe(201);
    await aws.send(new CreateKeyCommand({ Description: 'after, over AWS' }));

    // Nothing acknowledged was lost: every key is there, the ciphertexts decrypt, the alias stands, the chain holds.
    for (const [i, { keyId, blob }] of acknowledged.entries()) {
      expect((await admin.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
      if (blob.length > 0)
        expect(new TextDecoder().decode((await admin.decrypt({ ciphertextBlob: blob })).plaintext)).toBe(`secret ${i}`);
    }
    expect((await admin.describeKey({ keyId: 'alias/before-full' })).keyMetadata.keyId).toBe(acknowledged[0]!.keyId);
    expect((await admin.verifyAuditChain({})).ok).toBe(true);
  });
});
