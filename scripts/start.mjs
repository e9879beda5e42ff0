// `npm start`: build when the sources are newer than the build, then serve (demo data on an empty
// database). A restart with nothing changed skips the build and starts in about a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const built = ['dist/web/index.html', 'dist/server/cli.js'];

function newest(target) {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(target)) max = Math.max(max, newest(path.join(target, entry)));
  return max;
}

const sources = ['server', 'web', 'package-lock.json', 'vite.config.ts', 'tsconfig.build.json'];
const stale =
  built.some((file) => !existsSync(file)) ||
  Math.max(...sources.filter(existsSync).map(newest)) >
    Math.min(...built.map((file) => statSync(file).mtimeMs));
if (stale) build();
/**
 * The same steps as `npm run build`, but quiet: a person starting the CRM wants one line, not
 * Vite's table of chunk sizes. Each step's output is shown only when it fails.
 */
function build() {
  const started = Date.now();
  process.stdout.write('Building Banyan CRM (first start, or the sources changed)… ');
  const steps = [
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
    ['scripts/copy-migrations.mjs'],
  ];
  for (const step of steps) {
    const result = spawnSync(process.execPath, step, {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) {
      process.stdout.write('failed.\n');
      process.stderr.write(`${result.stdout}${result.stderr}`);
      process.exit(result.status ?? 1);
    }
    if (result.stderr.trim()) process.stderr.write(result.stderr);
  }
  console.log(`done in ${Math.round((Date.now() - started) / 1000)} s.`);
}

process.argv = [process.argv[0], 'dist/server/cli.js', 'serve', ...process.argv.slice(2)];
await import('../dist/server/cli.js');
