// `custos key-store create|describe|connect|disconnect|update|delete`: AWS custom key stores, each a PKCS#11 token of
// the module the server is configured with (--hsm-module). The PIN comes from --password-file or stdin, never from
// a flag value (which `ps` and shell histories show). Must not import the store, service or api.
import { readFile } from 'node:fs/promises';
import type { CustomKeyStoresListEntry } from '@custos/contract';
import type { Command } from 'commander';
import { CliError, UsageError } from '../errors.js';
import { readAllBounded } from '../io.js';
import { addGlobalOptions, listAll, withKms } from '../options.js';
import { printFields, printResult, printTable } from '../output.js';
import { serves } from '../serves.js';

/** A PIN is short; anything longer is a mistake (the wrong file). */
const MAX_PIN_BYTES = 1024;

/** The PIN from `file`, or from stdin: its text without one trailing newline; never shown. */
async function readPin(file: string | undefined): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = file === undefined ? await readAllBounded(process.stdin, MAX_PIN_BYTES, 'the PIN') : await readFile(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `cannot read the PIN file '${file ?? '-'}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  const pin = bytes.toString('utf8').replace(/\r?\n$/, '');
  bytes.fill(0);
  if (pin.length === 0) throw new UsageError(`the PIN (${file ?? 'stdin'}) is empty`);
  return pin;
}

async function readTrustAnchor(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

function printStore(s: CustomKeyStoresListEntry): void {
  printFields([
    ['CustomKeyStoreId', s.customKeyStoreId],
    ['CustomKeyStoreName', s.customKeyStoreName],
    ['CloudHsmClusterId', s.cloudHsmClusterId],
    ['ConnectionState', s.connectionState],
    ['ConnectionErrorCode', s.connectionErrorCode],
    ['CreationDate', s.creationDate],
  ]);
}

interface CreateOptions {
  name: string;
  tokenLabel: string;
  trustAnchor: string;
  passwordFile?: string;
}

interface UpdateOptions {
  name?: string;
  tokenLabel?: string;
  passwordFile?: string;
  passwordStdin?: boolean;
}

export function registerKeyStore(program: Command): void {
  const keyStore = program
    .command('key-store')
    .description('manage custom key stores (AWS CloudHSM key stores; on Custos, PKCS#11 tokens of --hsm-module)');

  const create = serves(keyStore.command('create'), 'createCustomKeyStore')
    .description('create a custom key store on a PKCS#11 token (DISCONNECTED until connected)')
    .requiredOption('--name <name>', 'a unique friendly name')
    .requiredOption('--token-label <label>', "the PKCS#11 token's label (AWS CloudHsmClusterId)")
    .requiredOption('--trust-anchor <file.pem>', 'a PEM certificate kept with the store (AWS TrustAnchorCertificate)')
    .option('--password-file <file>', "file holding the token's user PIN (default: read from stdin)");
  addGlobalOptions(create).action((o: CreateOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const result = await kms.createCustomKeyStore({
        customKeyStoreName: o.name,
        cloudHsmClusterId: o.tokenLabel,
        trustAnchorCertificate: await readTrustAnchor(o.trustAnchor),
        keyStorePassword: await readPin(o.passwordFile),
      });
      printResult(g.json, result, (r) => process.stdout.write(`${r.customKeyStoreId}\n`));
    }),
  );

  const describe = serves(keyStore.command('describe'), 'describeCustomKeyStores')
    .description('describe one custom key store (by id or --name), or all')
    .argument('[customKeyStoreId]', 'the store id (cks-...)')
    .option('--name <name>', 'the store name');
  addGlobalOptions(describe).action((id: string | undefined, o: { name?: string }, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      const customKeyStores =
        id !== undefined || o.name !== undefined
          ? (
              await kms.describeCustomKeyStores({
                ...(id !== undefined && { customKeyStoreId: id }),
                ...(o.name !== undefined && { customKeyStoreName: o.name }),
              })
            ).customKeyStores
          : await listAll(
              (marker) => kms.describeCustomKeyStores({ ...(marker && { marker }) }),
              (page) => page.customKeyStores,
            );
      printResult(g.json, { customKeyStores }, ({ customKeyStores: rows }) => {
        printTable(rows, [
          { header: 'ID', value: (s) => s.customKeyStoreId },
          { header: 'NAME', value: (s) => s.customKeyStoreName },
          { header: 'TOKEN', value: (s) => s.cloudHsmClusterId },
          { header: 'STATE', value: (s) => s.connectionState },
          { header: 'ERROR', value: (s) => s.connectionErrorCode },
          { header: 'CREATED', value: (s) => s.creationDate },
        ]);
      });
    }),
  );

  const connect = serves(keyStore.command('connect'), 'connectCustomKeyStore')
    .description('connect a custom key store to its token; exits 1 with the ConnectionErrorCode if it FAILED')
    .argument('<customKeyStoreId>', 'the store id');
  addGlobalOptions(connect).action((id: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.connectCustomKeyStore({ customKeyStoreId: id });
      const [store] = (await kms.describeCustomKeyStores({ customKeyStoreId: id })).customKeyStores;
      if (store?.connectionState === 'FAILED')
        throw new CliError(
          store.connectionErrorCode ?? 'FAILED',
          `custom key store ${id} failed to connect; fix it with \`custos key-store disconnect\` then \`update\``,
        );
      if (store) printResult(g.json, store, printStore);
    }),
  );

  const disconnect = serves(keyStore.command('disconnect'), 'disconnectCustomKeyStore')
    .description('disconnect a custom key store: its keys cannot be used until it is connected again')
    .argument('<customKeyStoreId>', 'the store id');
  addGlobalOptions(disconnect).action((id: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.disconnectCustomKeyStore({ customKeyStoreId: id });
      printResult(g.json, { customKeyStoreId: id, connectionState: 'DISCONNECTED' }, () =>
        process.stdout.write(`custom key store ${id} disconnected\n`),
      );
    }),
  );

  const update = serves(keyStore.command('update'), 'updateCustomKeyStore')
    .description("change a DISCONNECTED store's name, token label or PIN")
    .argument('<customKeyStoreId>', 'the store id')
    .option('--name <name>', 'a new name')
    .option('--token-label <label>', 'another token label (one holding the same key objects)')
    .option('--password-file <file>', 'file holding the new PIN')
    .option('--password-stdin', 'read the new PIN from stdin');
  addGlobalOptions(update).action((id: string, o: UpdateOptions, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      if (o.passwordFile !== undefined && o.passwordStdin)
        throw new UsageError('give --password-file or --password-stdin, not both');
      const pin = o.passwordFile !== undefined || o.passwordStdin ? await readPin(o.passwordFile) : undefined;
      if (o.name === undefined && o.tokenLabel === undefined && pin === undefined)
        throw new UsageError('give --name, --token-label, --password-file or --password-stdin');
      await kms.updateCustomKeyStore({
        customKeyStoreId: id,
        ...(o.name !== undefined && { newCustomKeyStoreName: o.name }),
        ...(o.tokenLabel !== undefined && { cloudHsmClusterId: o.tokenLabel }),
        ...(pin !== undefined && { keyStorePassword: pin }),
      });
      printResult(g.json, { customKeyStoreId: id, updated: true }, () =>
        process.stdout.write(`custom key store ${id} updated\n`),
      );
    }),
  );

  const remove = serves(keyStore.command('delete'), 'deleteCustomKeyStore')
    .description('delete a DISCONNECTED custom key store that holds no keys (the token is left as it is)')
    .argument('<customKeyStoreId>', 'the store id');
  addGlobalOptions(remove).action((id: string, _o: unknown, cmd: Command) =>
    withKms(cmd, async (kms, g) => {
      await kms.deleteCustomKeyStore({ customKeyStoreId: id });
      printResult(g.json, { customKeyStoreId: id, deleted: true }, () =>
        process.stdout.write(`custom key store ${id} deleted\n`),
      );
    }),
  );
}
