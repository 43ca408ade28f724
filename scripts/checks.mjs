// `npm test`'s checks before the tests, in two lanes at once: each check is one mostly single-threaded process, so on
// a machine with two cores or more the second lane costs no wall time. Lane one: typecheck, then lint (the two long
// type-checked programs); lane two: format:check, knip, build, then check:packages (which packs the build).
// A lane stops at its first failure; the other finishes its current check. Each check's output is printed whole
// when it ends, with its wall time; the exit code is 1 when any check failed.
import { spawn } from 'node:child_process';

const LANES = [
  ['typecheck', 'lint'],
  ['format:check', 'knip', 'build', 'check:packages'],
];
const npm = process.env.npm_execpath;

/** One `npm run <script>`: its exit code, its stdout and stderr together, and how long it took. */
function run(script) {
  const started = performance.now();
  // Under npm, npm_execpath is npm's CLI script, run with this node; otherwise npm from the PATH.
  const [command, args] = npm ? [process.execPath, [npm, 'run', '-s', script]] : ['npm', ['run', '-s', script]];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      resolve({ code: 1, output: `${error.message}\n`, seconds: 0 });
    });
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString(), seconds });
    });
  });
}

async function lane(scripts) {
  for (const script of scripts) {
    const { code, output, seconds } = await run(script);
    process.stdout.write(`\n> ${script} (${seconds.toFixed(1)} s)${code === 0 ? '' : `: exit ${code}`}\n${output}`);
    if (code !== 0) return false;
  }
  return true;
}

const results = await Promise.all(LANES.map(lane));
if (results.includes(false)) {
  process.stderr.write('\nchecks failed (see above)\n');
  process.exit(1);
}
