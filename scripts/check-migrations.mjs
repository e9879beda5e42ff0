// Fails when the Drizzle schema and the committed migrations have drifted apart: generates into a
// copy of the migrations folder and requires drizzle-kit to find nothing to add.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

// drizzle-kit only accepts an output folder relative to the working directory.
const dir = `.drizzle-check-${process.pid}`;
const config = `${dir}/drizzle.config.mjs`;
try {
  mkdirSync(dir);
  cpSync('server/db/migrations', `${dir}/migrations`, { recursive: true });
  writeFileSync(
    config,
    `export default { dialect: 'postgresql', schema: './server/db/schema/index.ts', out: './${dir}/migrations' };\n`,
  );
  // drizzle-kit exits 0 on some failures, so its words are what count.
  const output = execFileSync('npx', ['drizzle-kit', 'generate', '--config', config], { encoding: 'utf8' });
  if (!output.includes('No schema changes')) {
    console.error(output);
    console.error(
      'The schema and the committed migrations differ. Run "npm run db:generate" and commit the new migration.',
    );
    process.exitCode = 1;
  } else {
    console.log('Migrations match the schema.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
