import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The server's layers point one way (ARCHITECTURE.md): the entry (main, cli, app, prepare) and the
 * seeds use the jobs and the modules; modules use the engine and auth; the engine uses auth; all of
 * them the database; and http/, clock, config, log and the ticker sit at the bottom, using nothing
 * above. A file may import its own layer or a lower one. Nothing imports in a circle, in the
 * server or the web, type-only imports included (as madge counts them).
 */

const LAYERS = ['bottom', 'db', 'auth', 'engine', 'modules', 'jobs', 'seed', 'entry'] as const;
type Layer = (typeof LAYERS)[number];

const ENTRY = new Set(['main.ts', 'cli.ts', 'app.ts', 'prepare.ts']);
const BOTTOM = new Set(['http', 'clock.ts', 'config.ts', 'log.ts', 'ticker.ts']);

function layerOf(file: string): Layer {
  const relative = path.relative('server', file);
  const top = relative.split(path.sep)[0]!;
  if (ENTRY.has(relative)) return 'entry';
  if (BOTTOM.has(top)) return 'bottom';
  if ((LAYERS as readonly string[]).includes(top)) return top as Layer;
  throw new Error(`${file}: in no layer; add its folder to test/layers.test.ts and ARCHITECTURE.md`);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Each file's relative imports, static and dynamic, type-only ones included. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(dir)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
      path.normalize(path.join(path.dirname(file), m[1]!)),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** The import cycles (strongly connected components of more than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the layers of the code', () => {
  it('no server file imports a layer above its own', () => {
    const rank = (layer: Layer) => LAYERS.indexOf(layer);
    const upward: string[] = [];
    for (const [file, targets] of importGraph('server')) {
      for (const target of targets) {
        const from = layerOf(file);
        const to = layerOf(target);
        if (rank(to) > rank(from)) upward.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('nothing imports in a circle, in the server or the web', () => {
    expect(cycles(importGraph('server'))).toEqual([]);
    expect(cycles(importGraph('web'))).toEqual([]);
  });

  it('finds a cycle and an upward import when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
      ['c.ts', []],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts']]);
    expect(layerOf('server/modules/pool/grab.ts')).toBe('modules');
    expect(LAYERS.indexOf(layerOf('server/engine/query.ts'))).toBeGreaterThan(
      LAYERS.indexOf(layerOf('server/auth/gate.ts')),
    );
  });
});
