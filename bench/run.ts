// `npm run bench -- <name>`: benchmarks whose figures go into docs/benchmarks.md.
import { importBench } from './import.ts';
import { listsBench } from './lists.ts';
import { notifyBench } from './notify.ts';
import { poolBench } from './pool.ts';
import { searchBench } from './search.ts';
import { sheetsBench } from './sheets.ts';
import { startupBench } from './startup.ts';

const benches: Record<string, () => Promise<unknown>> = {
  startup: () => startupBench(Number(process.env.BENCH_RUNS ?? 3)),
  lists: listsBench,
  pool: poolBench,
  import: importBench,
  sheets: sheetsBench,
  notify: notifyBench,
  search: searchBench,
};

const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in benches));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(benches)) {
  console.log(name, JSON.stringify(await benches[name]!()));
}
