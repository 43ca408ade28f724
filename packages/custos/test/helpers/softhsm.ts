// SoftHSM2 for tests: one token directory per test process (SOFTHSM2_CONF is read at C_Initialize), tokens made with
// softhsm2-util. Skipped loudly when softhsm2 is not installed, unless CUSTOS_REQUIRE_SOFTHSM=1 (CI), which fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';

const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

/** The SoftHSM2 module library, when installed. */
const SOFTHSM_MODULE = MODULE_CANDIDATES.find((p) => existsSync(p));

function hasUtil(): boolean {
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hasPkcs11js(): boolean {
  try {
    execFileSync(process.execPath, ['-e', "require('pkcs11js')"], { stdio: 'ignore', cwd: process.cwd() });
    return true;
  } catch {
    return false;
  }
}

const MISSING =
  SOFTHSM_MODULE === undefined || !hasUtil()
    ? 'softhsm2 is not installed (apt-get install softhsm2)'
    : !hasPkcs11js()
      ? 'pkcs11js is not installed (it compiles on install: g++, make, python3)'
      : undefined;

/** `describe`, or `describe.skip` with a warning when SoftHSM2 or pkcs11js is missing (an error under CUSTOS_REQUIRE_SOFTHSM=1). */
export function describeSoftHsm(what: string): typeof describe | typeof describe.skip {
  if (MISSING === undefined) return describe;
  if (process.env.CUSTOS_REQUIRE_SOFTHSM === '1')
    throw new Error(`${MISSING} and CUSTOS_REQUIRE_SOFTHSM=1: cannot run ${what}`);
  console.warn(`${MISSING}: skipping ${what}`);
  return describe.skip;
}

/** Whether SoftHSM2 and pkcs11js are here, for a single case in a file that otherwise needs neither. */
export function softHsmAvailable(): boolean {
  return MISSING === undefined;
}

/** The module path (call only inside a describeSoftHsm block). */
function softHsmModule(): string {
  if (SOFTHSM_MODULE === undefined) throw new Error('softhsm2 is not installed');
  return SOFTHSM_MODULE;
}

let dir: string | undefined;

/** This process's SoftHSM2 directory; sets SOFTHSM2_CONF (for this process and the children it spawns). */
function softHsmDir(): string {
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'custos-softhsm-'));
    mkdirSync(join(dir, 'tokens'));
    writeFileSync(
      join(dir, 'softhsm2.conf'),
      `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    );
    process.env.SOFTHSM2_CONF = join(dir, 'softhsm2.conf');
  }
  return dir;
}

/** A token to use in a test. */
export interface TestToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  readonly conf: string;
}

let counter = 0;

/**
 * Initialises a fresh token (a unique label, user PIN `pin`). Make the tokens a test file needs before any root of
 * trust is open: SoftHSM2 lists the tokens of its directory when the module is initialised.
 */
export function makeToken(pin = '7319-test-pin'): TestToken {
  const conf = join(softHsmDir(), 'softhsm2.conf');
  const label = `custos-${process.pid}-${++counter}`;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', '0000-so', '--pin', pin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'ignore',
  });
  return { module: softHsmModule(), label, pin, conf };
}

/** Removes a token (as if it were unplugged): softhsm2-util --delete-token. */
export function deleteToken(token: TestToken): void {
  execFileSync('softhsm2-util', ['--delete-token', '--token', token.label], {
    env: { ...process.env, SOFTHSM2_CONF: token.conf },
    stdio: 'ignore',
  });
}
