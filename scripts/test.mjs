// `npm test`: the whole suite — unit and integration tests on the embedded database, again on
// PostgreSQL when TEST_DATABASE_URL is set, then the browser tests in Chromium.
// Ends with one line "tests: N passed, N failed" over every run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);
const withE2e = !args.includes('--no-e2e');
const filters = args.filter((a) => a !== '--no-e2e');
mkdirSync('test-results', { recursive: true });

let passed = 0;
let failed = 0;
let ok = true;

function run(label, vitestArgs, env) {
  const report = `test-results/${label}.json`;
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const result = spawnSync(
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
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    console.log(`${label}: ${json.numPassedTests} passed, ${json.numFailedTests} failed in ${seconds} s`);
  }
  if (result.status !== 0) ok = false;
}

// The embedded run must not reach the server the PostgreSQL run uses.
run('pglite', [], { TEST_DATABASE_URL: '' });
if (process.env.TEST_DATABASE_URL) run('postgres', [], {});
else console.log('\n(TEST_DATABASE_URL is not set: skipping the PostgreSQL run)');

if (withE2e) {
  if (existsSync(CHROMIUM)) run('browser', ['-c', 'vitest.e2e.config.ts'], { TEST_DATABASE_URL: '' });
  else
    console.log(
      `\n(${CHROMIUM} is missing: skipping the browser tests; apt-get install -y chromium fonts-noto-cjk)`,
    );
}

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
