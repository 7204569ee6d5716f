// Listening and a bounded close in three stages: a short drain that keeps answering, every response
// saying `Connection: close`; then the listener closes, in-flight requests finish and idle keep-alive
// connections are closed; whatever is still open when the bound passes is cut.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface HttpServer {
  server: Server;
  /** the bound port (useful with port 0) */
  port: number;
  /** from now on `app` answers the requests (e.g. the full API once a start finished) */
  serve(app: Express): void;
  close(timeoutMs: number): Promise<void>;
}

/**
 * How long a closing server keeps answering before it stops listening. A client may write a request
 * on an idle keep-alive connection just as the server closes it, and then sees ECONNRESET without
 * knowing whether the request was processed (HTTP/1.1 has no way to announce the close first). While
 * draining, each connection that carries one more request is answered and then ends, so at the close
 * few idle connections are left to race. A quarter of the bound at most.
 */
export const DRAIN_MS = 1000;

export function startHttpServer(app: Express, port: number, host?: string): Promise<HttpServer> {
  const server = createServer();
  // Responses not yet sent when the shutdown begins, or begun after it on a kept-alive connection,
  // say `Connection: close`, so their socket ends with them instead of idling until keepAliveTimeout.
  const unsent = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    unsent.add(res);
    res.once('close', () => unsent.delete(res));
    res.once('finish', () => unsent.delete(res));
  });
  let handler = app;
  // After the tracking above, which must see a response before it is sent.
  server.on('request', (req, res) => handler(req, res));
  const close = async (timeoutMs: number) => {
    closing = true;
    for (const res of unsent) if (!res.headersSent) res.setHeader('Connection', 'close');
    const drainMs = Math.min(DRAIN_MS, Math.floor(timeoutMs / 4));
    await new Promise((resolve) => setTimeout(resolve, drainMs));
    await new Promise<void>((resolve, reject) => {
      const cut = setTimeout(() => server.closeAllConnections(), timeoutMs - drainMs);
      server.close((error) => {
        clearTimeout(cut);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
  };
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const serve = (next: Express) => {
        handler = next;
      };
      resolve({ server, port: (server.address() as AddressInfo).port, serve, close });
    });
  });
}
