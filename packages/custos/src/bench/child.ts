// One benchmark target in its own process, so the load generator does not share its event loop:
// `node child.js custos <dataDir>` or `node child.js baseline`. Prints one JSON line { url, token? } when ready.
import { buildBaseline } from './baseline.js';

const [, , which, dataDir] = process.argv;

if (which === 'baseline') {
  const app = buildBaseline();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
} else if (which === 'custos' && dataDir) {
  const { startServer } = await import('../api/server.js');
  const server = await startServer({ dataDir, listen: '127.0.0.1:0', logger: false });
  const { readFile } = await import('node:fs/promises');
  const token = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
  process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: child.js baseline | custos <dataDir>\n');
  process.exit(2);
}
