import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The HTTP server under each fake provider (dingtalk.ts, wechat.ts, aliyun.ts), on a free local port,
 * and the faults a provider can show, to test what a channel makes of them:
 * - `refuse`: nothing listens on the port (the provider is down); `fault(null)` listens again on it;
 * - `500`: every request answered 500;
 * - `hang`: requests read, never answered;
 * - `redirect`: every request answered 302 to another address;
 * - `huge`: a 200 whose body never ends (a channel must stop reading it, not buffer it).
 */
export type Fault = 'refuse' | '500' | 'hang' | 'redirect' | 'huge';

export type FakeServer = {
  /** http://127.0.0.1:port, without a trailing slash. */
  url: string;
  /** Turns a fault on, or (null) off. */
  fault(kind: Fault | null): Promise<void>;
  /** Bytes of `huge` bodies written so far (a channel that stops reading keeps this small). */
  hugeBytesSent(): number;
  close(): Promise<void>;
};

export type Handler = (request: {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}) => { status?: number; json: unknown } | Promise<{ status?: number; json: unknown }>;

/** Far more than any channel reads: the fake stops writing here even if nobody stops reading. */
const HUGE_LIMIT = 256 * 1024 * 1024;

export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  let fault: Fault | null = null;
  let hugeSent = 0;
  const sockets = new Set<Socket>();
  // Connections a fault holds open (a hung request, an endless body), ended when the fault is.
  const held = new Set<Socket>();
  let port = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      if (fault === 'hang') return void held.add(req.socket);
      if (fault === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      }
      if (fault === 'redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/moved` }).end();
        return;
      }
      if (fault === 'huge') {
        held.add(req.socket);
        res.writeHead(200, { 'content-type': 'application/json' });
        const block = Buffer.alloc(64 * 1024, 0x20);
        const write = () => {
          while (!res.destroyed && hugeSent < HUGE_LIMIT) {
            hugeSent += block.length;
            if (!res.write(block)) return void res.once('drain', write);
          }
          res.end();
        };
        write();
        return;
      }
      try {
        const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = await handler({ method: req.method ?? 'GET', url, headers: req.headers, body });
        res
          .writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(answer.json));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      held.delete(socket);
    });
  });
  // A client that gives up on a huge body resets the connection: not the fake's failure.
  server.on('clientError', (_error, socket) => socket.destroy());

  let listening = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        listening = true;
        resolve();
      });
    });
  /** Drops connections, then lets the client see them close before anything else is sent. */
  const drop = async (which: Set<Socket>) => {
    if (which.size === 0) return;
    for (const socket of which) socket.destroy();
    await sleep(20);
  };
  const stop = async () => {
    await drop(sockets);
    if (!listening) return;
    listening = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    async fault(kind) {
      // Down: every connection dropped, nothing listening. Else only what a fault held open ends:
      // the client's idle kept-alive connections are left alone, as a live server leaves them.
      if (kind === 'refuse') await stop();
      else await drop(held);
      fault = kind;
      if (kind !== 'refuse' && !listening) await listen();
    },
    hugeBytesSent: () => hugeSent,
    close: stop,
  };
}

/** Reads a form-encoded body or query into a plain object (the last of a repeated name wins). */
export function formParams(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}
