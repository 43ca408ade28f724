// One benchmark target in its own process, so the load generator does not share its event loop:
// `node child.js baseline`, `node child.js baseline-cluster <processes>` (the bare route served by that many
// processes on one port, node:cluster), `node child.js custos <dataDir> [<databaseUrl> <schema> <rootKeyFile>]`, or
// `node child.js custos-root <dataDir> <keyCacheTtlMs> [<module> <tokenLabel> <pinFile>]` (file root, or PKCS#11).
// Prints one JSON line { url, token?, pids? } when ready (a second node on a shared database has no token file).
// BENCH_SERVER_DIST: another build's dist/ directory to run the server from (the baseline of a before/after run).
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { buildBaseline } from './baseline.js';

/** The compiled server, as `custos server` runs it: this file runs from bench/dist/, beside the package's dist/. */
const SERVER_MODULE = process.env.BENCH_SERVER_DIST
  ? new URL(`file://${process.env.BENCH_SERVER_DIST}/api/server.js`)
  : new URL('../../dist/api/server.js', import.meta.url);

const [, , which, dataDir, databaseUrl, databaseSchema, rootKeyFile] = process.argv;

/**
 * Waits until the server's key cache preload has ended (GET /metrics: no key counted as `running`), so a run measures
 * the server as it serves once started, not while it reads its store (a million keys: about a minute). A server
 * without the preload's metric is ready at once.
 */
async function preloaded(url: string, token: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
      r.ok ? r.text() : '',
    );
    if (!metrics.includes('custos_key_cache_preloaded_keys{state="running"}')) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const seconds = (Date.now() - started) / 1000;
  if (seconds >= 1) process.stderr.write(`key cache preloaded in ${seconds.toFixed(0)} s\n`);
}

if (which === 'baseline' && cluster.isWorker) {
  await buildBaseline().listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT) });
  process.send?.('ready');
} else if (which === 'baseline') {
  const app = buildBaseline();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
} else if (which === 'baseline-cluster' && dataDir) {
  // dataDir holds the process count here. The port is chosen first, so every worker listens on the same one.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
  cluster.setupPrimary({ args: ['baseline'] });
  const workers = Array.from({ length: Number(dataDir) }, () => cluster.fork({ BENCH_PORT: String(port) }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const pids = workers.map((w) => w.process.pid);
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, pids })}\n`);
  process.on('SIGTERM', () => {
    for (const w of workers) w.kill();
    process.exit(0);
  });
} else if (which === 'custos-root' && dataDir && databaseUrl) {
  // The root-of-trust comparison: argv holds the cache TTL and, for the PKCS#11 root, module, token label, PIN file.
  const [ttl, module, tokenLabel, pinFile] = process.argv.slice(4);
  const { startServer } = (await import(SERVER_MODULE.href)) as typeof import('../src/api/server.js');
  const { readFile } = await import('node:fs/promises');
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { config: { keyCacheTtlMs: Number(ttl) } },
    ...(module && tokenLabel && pinFile
      ? { rootOfTrust: { kind: 'pkcs11', module, tokenLabel, pin: (await readFile(pinFile, 'utf8')).trim() } }
      : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, token: server.adminToken })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else if (which === 'custos' && dataDir) {
  const { startServer } = (await import(SERVER_MODULE.href)) as typeof import('../src/api/server.js');
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    ...(databaseUrl
      ? {
          store: { kind: 'postgres', url: databaseUrl, ...(databaseSchema ? { schema: databaseSchema } : {}) },
          rootKeyFile,
        }
      : {}),
  });
  const { readFile } = await import('node:fs/promises');
  const token =
    server.adminToken ??
    (await readFile(server.adminTokenFile, 'utf8').then(
      (t) => t.trim(),
      () => undefined,
    ));
  if (token) await preloaded(server.url, token);
  process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  process.stderr.write('usage: child.js baseline | custos <dataDir>\n');
  process.exit(2);
}
