// `npm test`: the whole suite — unit and integration tests on the embedded database, again on
// PostgreSQL when TEST_DATABASE_URL is set, then the browser tests in Chromium.
// Ends with one line "tests: N passed, N failed" over every run.
//
// The browser tests run beside the PostgreSQL run: they spend most of their time waiting on pages
// (about a third of one core, measured: 104 s of CPU in 320 s), so on CI's two cores the pair takes
// about as long as the longer of the two instead of their sum. Their output is kept in a file and
// printed whole when they end, so the two runs' lines do not interleave.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const filters = args.filter((a) => a !== '--no-e2e');
mkdirSync('test-results', { recursive: true });

let passed = 0;
let failed = 0;
let ok = true;

/** Runs one vitest run to its end; `log`, when given, takes its output instead of the terminal. */
function run(label, vitestArgs, env, log) {
  const report = `test-results/${label}.json`;
  const started = Date.now();
  const out = log ? createWriteStream(log) : null;
  if (!out) console.log(`\n=== ${label} ===`);
  const child = spawn(
    'npx',
    [
      'vitest',
      'run',
      ...vitestArgs,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...filters,
    ],
    { stdio: out ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } },
  );
  if (out) {
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
  }
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const finish = () => {
        if (log)
          console.log(`\n=== ${label} (run beside the others; its output) ===\n${readFileSync(log, 'utf8')}`);
        if (existsSync(report)) {
          const json = JSON.parse(readFileSync(report, 'utf8'));
          passed += json.numPassedTests;
          failed += json.numFailedTests;
          console.log(
            `${label}: ${json.numPassedTests} passed, ${json.numFailedTests} failed in ${seconds} s`,
          );
        }
        if (status !== 0) ok = false;
        resolve();
      };
      if (out) out.end(finish);
      else finish();
    });
  });
}

// The embedded run must not reach the server the PostgreSQL run uses.
await run('pglite', [], { TEST_DATABASE_URL: '' });

const beside = [];
if (withE2e) {
  if (existsSync(CHROMIUM))
    beside.push(
      run('browser', ['-c', 'vitest.e2e.config.ts'], { TEST_DATABASE_URL: '' }, 'test-results/browser.log'),
    );
  else
    console.log(
      `\n(${CHROMIUM} is missing: skipping the browser tests; apt-get install -y chromium fonts-noto-cjk)`,
    );
}
if (process.env.TEST_DATABASE_URL) await run('postgres', [], {});
else console.log('\n(TEST_DATABASE_URL is not set: skipping the PostgreSQL run)');
await Promise.all(beside);

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
