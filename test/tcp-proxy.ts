import net from 'node:net';

/**
 * A TCP proxy in front of the test PostgreSQL server, to play its failures without touching it:
 * `freeze` stops passing bytes either way (a server that hangs: connections open, nothing
 * answered) and `thaw` passes on what was held; `refuse` drops every connection and stops
 * listening (a server that is down), `accept` listens again on the same port.
 */
export type TcpProxy = {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  freeze(): void;
  thaw(): void;
  refuse(): Promise<void>;
  accept(): Promise<void>;
  close(): Promise<void>;
};

type Pair = { client: net.Socket; upstream: net.Socket };

export async function startTcpProxy(
  target: { host: string; port: number },
  listening = true,
): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const held: (() => void)[] = [];
  let frozen = false;
  let server: net.Server | null = null;
  let port = 0;

  const onConnection = (client: net.Socket) => {
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const pass = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        const write = () => {
          if (!to.destroyed) to.write(chunk);
        };
        if (frozen) held.push(write);
        else write();
      });
    pass(client, upstream);
    pass(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        if (typeof address === 'object' && address) port = address.port;
        server = s;
        resolve();
      });
    });

  const refuse = async () => {
    const s = server;
    server = null;
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    held.length = 0;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  if (listening) {
    await listen();
  } else {
    // A port to come back on, though nothing listens there yet.
    await listen();
    await refuse();
  }

  return {
    get port() {
      return port;
    },
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    refuse,
    accept: async () => {
      if (!server) await listen();
    },
    close: refuse,
  };
}
