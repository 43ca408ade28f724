// Key detail and Create key in Chromium against a real server (console-helpers.ts): the allowed-algorithms
// constraint offering only the spec and usage's algorithms; the key policy editor (invalid JSON refused before save,
// a valid one saved and read back); rotation (a new version listed); aliases and tags added and removed; the
// certificate chain (a self-signed certificate made, shown, copied, checked against the trust store); attestation
// verified in the browser for a key pair (X.509) and a secret key (JWS); and what a key-user token does not see.
import { RemoteKms } from '@custos/client';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPresent, count, eventually, hasText, startRig, type ConsoleRig } from './console-helpers.js';

/** Waits until the checkboxes in `boxes` are exactly `names`, in order. */
const checkboxes = (boxes: Locator, names: string[]) =>
  eventually(async () => {
    expect(await boxes.evaluateAll((list) => list.map((b) => (b as HTMLInputElement).value))).toEqual(names);
  });

describe.skipIf(!chromiumPresent())('key detail in Chromium', () => {
  let rig: ConsoleRig;
  let aesKey: string;
  let eccKey: string;
  const page = () => rig.page;
  const section = (name: string) => rig.page.getByRole('region', { name });

  beforeAll(async () => {
    rig = await startRig();
    aesKey = (await rig.kms.createKey({ keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT' })).keyMetadata.keyId;
    eccKey = (await rig.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    await rig.signIn(rig.admin);
    await hasText(rig.page.getByTestId('whoami'), 'admin');
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('offers for allowed algorithms only those of the chosen spec and usage, and creates the constrained key', async () => {
    await rig.go('create', 'Create key');
    const boxes = page()
      .getByRole('group', { name: /^Allowed algorithms/ })
      .getByRole('checkbox');
    await page().getByLabel('Key usage').selectOption('ENCRYPT_DECRYPT');
    await page().getByLabel('Key spec').selectOption('RSA_2048');
    await checkboxes(boxes, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    await page().getByLabel('Key usage').selectOption('SIGN_VERIFY');
    await page().getByLabel('Key spec').selectOption('RSA_2048');
    await checkboxes(boxes, [
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
    ]);
    await page().getByRole('checkbox', { name: 'RSASSA_PSS_SHA_256' }).check();
    await page().getByRole('checkbox', { name: 'RSASSA_PSS_SHA_512' }).check();
    await rig.shoot('create-key-constraints');
    await page().getByRole('button', { name: 'Create key' }).click();
    await page().getByRole('heading', { level: 1, name: /^Key / }).waitFor();
    await hasText(page().locator('dl.meta'), /Allowed algorithms\s*RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_512/);
    // A spec with one algorithm for the usage has nothing to choose: no constraint offered.
    await rig.go('create', 'Create key');
    await page().getByLabel('Key usage').selectOption('GENERATE_VERIFY_MAC');
    await count(page().getByRole('group', { name: /^Allowed algorithms/ }), 0);
  });

  it('refuses invalid policy JSON before saving, and saves and reads back a valid one', async () => {
    await rig.go(`keys/${aesKey}`, /^Key /);
    const editor = page().getByLabel('Key policy (JSON)');
    const save = page().getByRole('button', { name: 'Save policy' });
    await eventually(async () => {
      expect(await editor.inputValue()).toContain('Statement');
    });
    const policy = JSON.parse(await editor.inputValue()) as { Statement: { Sid?: string }[] };
    await editor.fill('{"Version": "2012-10-17", "Statement": [');
    await hasText(page().getByText(/^Not valid JSON/), 'Not valid JSON');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await save.isDisabled()).toBe(true);
    (policy.Statement[0] as { Sid?: string }).Sid = 'ConsoleEdited';
    await editor.fill(JSON.stringify(policy));
    await save.click();
    await hasText(page().getByRole('status').filter({ hasText: 'Policy saved' }), 'Policy saved.');
    expect((await rig.kms.getKeyPolicy({ keyId: aesKey })).policy).toContain('"Sid":"ConsoleEdited"');
    await page().reload();
    await eventually(async () => {
      expect(await page().getByLabel('Key policy (JSON)').inputValue()).toContain('"Sid": "ConsoleEdited"');
    });
  });

  it('rotates the key: a new version is listed', async () => {
    await rig.go(`keys/${aesKey}`, /^Key /);
    await hasText(section('Versions'), 'Never rotated');
    await page().getByRole('button', { name: 'Rotate now' }).click();
    await hasText(page().getByRole('status').filter({ hasText: 'Rotate' }), 'Rotate: done');
    const rows = section('Versions').locator('tbody tr');
    await count(rows, 1);
    await hasText(rows, /ON_DEMAND/);
  });

  it('adds and removes an alias and a tag', async () => {
    await rig.go(`keys/${aesKey}`, /^Key /);
    const aliases = page().getByRole('list', { name: 'Aliases' });
    const tags = page().getByRole('list', { name: 'Tags' });
    await page().getByLabel('New alias').fill('alias/console-detail');
    await page().getByRole('button', { name: 'Add alias' }).click();
    await hasText(aliases, 'alias/console-detail');
    await page().getByLabel('Tag key').fill('owner');
    await page().getByLabel('Tag value').fill('console');
    await page().getByRole('button', { name: 'Add tag' }).click();
    await hasText(tags, 'owner=console');
    await rig.shoot('key-detail-edited');
    await page().getByRole('button', { name: 'Delete alias alias/console-detail' }).click();
    await count(aliases.getByRole('listitem'), 0);
    await page().getByRole('button', { name: 'Remove tag owner' }).click();
    await count(tags.getByRole('listitem'), 0);
    expect((await rig.kms.listAliases({ keyId: aesKey })).aliases).toEqual([]);
  });

  it('makes a self-signed certificate and shows the chain with its PEM', async () => {
    await rig.go(`keys/${eccKey}`, /^Key /);
    const certs = section('Certificate chain');
    await hasText(certs, 'No certificate is stored');
    await page().getByLabel('Certificate subject').fill('CN=console-signer, O=Custos test');
    await page().getByRole('button', { name: 'Create self-signed certificate' }).click();
    const first = certs.getByRole('article', { name: 'Key certificate 1' });
    await hasText(first.getByTestId('cert-subject'), /CN=console-signer, O=Custos test/);
    await hasText(first.getByTestId('cert-issuer'), /CN=console-signer, O=Custos test/);
    await hasText(first, '✓ valid now');
    const stored = await rig.kms.getKeyCertificate({ keyId: eccKey });
    expect(await first.getByLabel('Key certificate 1 PEM', { exact: true }).textContent()).toBe(
      stored.certificateChain[0],
    );
    await first.getByRole('button', { name: 'Copy key certificate 1 PEM' }).click();
    await hasText(first.getByRole('button', { name: 'Copy key certificate 1 PEM' }), 'Copied');
    expect(await page().evaluate(() => navigator.clipboard.readText())).toBe(stored.certificateChain[0]);
    // Self-signed and not pinned in the trust store: the server says so, in words.
    await page().getByRole('button', { name: 'Check against the trust store' }).click();
    await hasText(page().getByTestId('chain-check'), /✕ The chain does not verify to the trust store: UNTRUSTED/);
  });

  it('attests a key pair: the X.509 chain verified in the browser, its fields shown', async () => {
    await rig.go(`keys/${eccKey}`, /^Key /);
    await page().getByRole('button', { name: 'Attest', exact: true }).click();
    await hasText(page().getByTestId('attestation-verdict'), '✓ Attestation verified (X509)');
    const fields = page().getByRole('definition');
    const props = page().locator('[aria-label="Attested properties"]');
    await hasText(props, `keyId${eccKey}`);
    await hasText(props, 'keySpecECC_NIST_P256');
    await hasText(props, 'originGENERATED');
    await hasText(props, 'keyStateEnabled');
    expect(await fields.count()).toBeGreaterThan(0);
    await rig.shoot('key-detail-attestation');
  });

  it('attests a secret key: the JWS verified in the browser', async () => {
    await rig.go(`keys/${aesKey}`, /^Key /);
    await page().getByRole('button', { name: 'Attest', exact: true }).click();
    await hasText(page().getByTestId('attestation-verdict'), '✓ Attestation verified (JWS)');
    await hasText(page().locator('[aria-label="Attested properties"]'), 'keySpecAES_256');
    await count(section('Certificate chain'), 0); // a secret key has no certificate
  });

  it('shows a key-user token no certificate or policy control it may not use', async () => {
    const { token } = await rig.kms.createToken({ roles: ['key-user'], description: 'console key user' });
    const me = await new RemoteKms({ endpoint: rig.base, token, retries: 0 }).whoAmI({});
    await rig.signOut();
    await rig.signIn(token);
    await hasText(page().getByTestId('whoami'), 'key-user');
    await rig.go(`keys/${eccKey}`, /^Key /);
    await page().getByRole('heading', { name: 'Actions' }).waitFor();
    await count(page().getByRole('button', { name: 'Create self-signed certificate' }), 0);
    await count(
      page().getByRole('button', { name: 'Attest', exact: true }),
      me.operations.includes('AttestKey') && me.operations.includes('GetAttestationRoots') ? 1 : 0,
    );
    await count(page().getByRole('button', { name: 'Save policy' }), 0);
    await count(page().getByRole('button', { name: 'Rotate now' }), 0);
    await rig.signOut();
    await rig.signIn(rig.admin);
  });
});
