/** serve: the one place that opens the dashboard's port. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

/** The port is taken or not allowed. */
export class PortUnavailableError extends Error {
  readonly port: number;
  readonly host: string;
  readonly reason: 'in-use' | 'denied';
  constructor(host: string, port: number, reason: 'in-use' | 'denied') {
    super(reason === 'in-use' ? `Port ${port} on ${host} is already in use.` : `Not allowed to listen on port ${port} on ${host}.`);
    this.name = 'PortUnavailableError';
    this.port = port;
    this.host = host;
    this.reason = reason;
  }
}

/** A listening dashboard. */
export interface Serving {
  server: Server;
  port: number;
  /** Stops accepting, lets requests in flight finish (bounded), then closes the rest. */
  close(timeoutMs?: number): Promise<void>;
}

/** Listens on host:port. */
export function serve(app: Koa, host: string, port: number): Promise<Serving> {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new PortUnavailableError(host, port, 'in-use'));
      else if (err.code === 'EACCES') reject(new PortUnavailableError(host, port, 'denied'));
      else reject(err);
    });
    server.listen(port, host, () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({ server, port: actual, close: (timeoutMs = 5_000) => closeServer(server, timeoutMs) });
    });
  });
}

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => { clearTimeout(timer); resolve(); });
    server.closeIdleConnections();
  });
}
