import http from 'node:http';
import { startServer, stopServer } from '../test/cli.ts';

/** What a closed-loop load run measured: `clients` callers each firing the next request on an answer. */
export type LoadResult = { requests: number; perSecond: number; p50Ms: number; p99Ms: number };

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (ms: number) => Number(ms.toFixed(1));

/**
 * `crm serve` in a process of its own against `databaseUrl` (as deployed: the load generator must
 * not share the server's event loop), without demo data.
 */
export async function serveForBench(databaseUrl: string, extra: Record<string, string> = {}) {
  const server = await startServer(
    { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...extra },
    ['--no-demo'],
  );
  return { url: server.url, stop: () => stopServer(server.child) };
}

/** Signs in and returns the headers later requests carry. */
export async function signIn(
  url: string,
  username: string,
  password = process.env.CRM_DEMO_PASSWORD ?? 'demo1234',
) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`signing in as ${username}: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
  return { cookie, 'x-csrf-token': csrfToken };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export type Answer = { status: number; body: string };

/**
 * One HTTP request over a kept-alive socket. node:http, not fetch: fetch costs the load generator
 * several times more CPU per call, and it shares the machine's cores with the server under test.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Runs `requests` requests from `clients` concurrent callers; any answer but 200 stops the run. */
export async function closedLoop(options: {
  clients: number;
  requests: number;
  request: (i: number) => Promise<Answer>;
  accept?: (answer: Answer) => boolean;
}): Promise<LoadResult> {
  const { clients, requests, request, accept = (r) => r.status === 200 } = options;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        const answer = await request(i);
        if (!accept(answer)) throw new Error(`request ${i}: ${answer.status} ${answer.body.slice(0, 200)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    perSecond: Math.round(requests / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}
