// `npm start`: build when the sources are newer than the build, then serve (demo data on an empty
// database). A restart with nothing changed skips the build and starts in about a second.
import { execSync } from 'node:child_process';
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
if (stale) {
  console.log('Building Banyan CRM (first start, or the sources changed)…');
  execSync('npm run build', { stdio: 'inherit' });
}
process.argv = [process.argv[0], 'dist/server/cli.js', 'serve', ...process.argv.slice(2)];
await import('../dist/server/cli.js');
