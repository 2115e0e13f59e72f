/**
 * A loopback TCP proxy for outage tests: listens on 127.0.0.1:0 and forwards
 * every connection to 127.0.0.1:5432 (PostgreSQL) or another port. It can cut
 * (reset every connection and every new one, as a server that went away) and
 * restore, and stall what the server sends after a byte budget (to hold a
 * query's answer half way) until resumed. Closed in t.after.
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

/** A running proxy. */
export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Connections open through the proxy right now. */
  openConnections(): number;
  /** Resets every open connection and every new one until restore(). */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  /** From now on forwards at most `bytes` more bytes from the server, then holds the rest; resolves once the budget is spent. */
  stallAfter(bytes: number): Promise<void>;
  /** Forwards what was held and lifts the budget. */
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Starts a proxy to 127.0.0.1:`targetPort`. */
export async function createTcpProxy(t: TestContext, targetPort = 5432): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let cut = false;
  let budget = Infinity;
  let spent: (() => void) | undefined;
  const held: { pair: Pair; chunk: Buffer }[] = [];

  const stalled = () => budget <= 0;
  const fromServer = (pair: Pair, chunk: Buffer) => {
    if (budget === Infinity) return forward(pair.upstream, pair.client, chunk, stalled);
    const now = chunk.subarray(0, Math.max(0, budget));
    budget -= now.length;
    if (now.length > 0) forward(pair.upstream, pair.client, now, stalled);
    if (now.length < chunk.length) {
      held.push({ pair, chunk: chunk.subarray(now.length) });
      pair.upstream.pause();
    }
    if (budget <= 0) spent?.();
  };

  const server = createServer((client) => {
    if (cut) return void client.resetAndDestroy();
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => forward(client, upstream, chunk, () => false));
    upstream.on('data', (chunk: Buffer) => fromServer(pair, chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    if (budget <= 0) upstream.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const cutAll = () => {
    for (const pair of pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.destroy();
    }
    pairs.clear();
    held.length = 0;
  };
  let closed: Promise<void> | undefined;
  const proxy: TcpProxy = {
    port: (server.address() as AddressInfo).port,
    openConnections: () => pairs.size,
    cut() {
      cut = true;
      cutAll();
    },
    restore() {
      cut = false;
    },
    stallAfter(bytes) {
      budget = bytes;
      return new Promise<void>((resolve) => {
        spent = resolve;
        if (budget <= 0) resolve();
      });
    },
    resume() {
      budget = Infinity;
      spent = undefined;
      for (const { pair, chunk } of held.splice(0)) forward(pair.upstream, pair.client, chunk, stalled);
      for (const pair of pairs) pair.upstream.resume();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      });
      return closed;
    },
  };
  t.after(() => proxy.close());
  return proxy;
}

/** Writes `chunk` to `to`, pausing `from` while `to` is full (and leaving it paused on drain while `held()`). */
function forward(from: Socket, to: Socket, chunk: Buffer, held: () => boolean): void {
  if (to.destroyed) return;
  if (!to.write(chunk)) {
    from.pause();
    to.once('drain', () => {
      if (!from.destroyed && !held()) from.resume();
    });
  }
}
