import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './app.ts';

/*
 * Every module's routes.ts opens its plugin with a table of its endpoints and the code that runs
 * each, so that a reader grepping for `POST /api/customers` lands on it. This holds the tables to
 * the routes the app really serves, and each named file and function to the tree.
 */

const MODULES = path.resolve(import.meta.dirname, '../server/modules');
const SERVER = path.resolve(MODULES, '..');
// One space between method and path, so that grepping "POST /api/customers" finds the row.
const ROW = /^\s*\*\s+(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)\s+\S+\s+(.+)$/;

type Row = { module: string; endpoint: string; runs: string };

function tables(): Row[] {
  const rows: Row[] = [];
  for (const module of readdirSync(MODULES)) {
    const file = path.join(MODULES, module, 'routes.ts');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = ROW.exec(line);
      if (match) rows.push({ module, endpoint: `${match[1]} ${match[2]}`, runs: match[3]! });
    }
  }
  return rows;
}

/** A file's code without its table, which names everything it lists. */
const withoutTable = (text: string) =>
  text
    .split('\n')
    .filter((line) => !ROW.test(line))
    .join('\n');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
});
afterAll(async () => {
  await t.close();
});

// The API's own documentation is served by @fastify/swagger, not by a module.
const documentation = (url: string) => url === '/api/openapi.json' || url.startsWith('/api/docs');

describe('each module lists its endpoints', () => {
  it('every module has a routes.ts', () => {
    const folders = readdirSync(MODULES, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const missing = folders.filter((f) => !existsSync(path.join(MODULES, f.name, 'routes.ts')));
    expect(missing.map((f) => f.name)).toEqual([]);
  });

  it('the tables name exactly the routes the app serves, each once', () => {
    const served = t.app.apiRoutes
      .filter((route) => !documentation(route.url))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    const listed = tables().map((row) => row.endpoint);
    const twice = listed.filter((endpoint, i) => listed.indexOf(endpoint) !== i);
    expect(twice).toEqual([]);
    expect(listed.filter((endpoint) => !served.includes(endpoint))).toEqual([]);
    expect(served.filter((endpoint) => !listed.includes(endpoint))).toEqual([]);
  });

  it('names files that exist and functions that are in them', () => {
    const wrong: string[] = [];
    for (const row of tables()) {
      const references = row.runs.match(/[\w./-]+\.ts(#[\w'-]+)?/g) ?? [];
      if (references.length === 0) wrong.push(`${row.endpoint}: names no file`);
      for (const reference of references) {
        const [file, name] = reference.split('#') as [string, string | undefined];
        const candidates = [path.join(MODULES, row.module, file), path.join(SERVER, file)];
        const found = candidates.find((candidate) => existsSync(candidate));
        if (!found) wrong.push(`${row.endpoint}: no ${file}`);
        else if (name && !withoutTable(readFileSync(found, 'utf8')).includes(name))
          wrong.push(`${row.endpoint}: ${name} is not in ${file}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
