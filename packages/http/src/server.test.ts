import { request as httpRequest, Agent } from 'node:http';
import express from 'express';
import { DRAIN_MS, startHttpServer } from './server';

function get(port: number, path: string, agent: Agent): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ port, path, agent, host: '127.0.0.1' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('startHttpServer', () => {
  it('finishes in-flight requests and closes keep-alive connections within the bound', async () => {
    const app = express();
    app.get('/slow', (_req, res) => {
      setTimeout(() => res.send('done'), 100);
    });
    app.get('/fast', (_req, res) => {
      res.send('ok');
    });
    const http = await startHttpServer(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await get(http.port, '/fast', agent)).status).toBe(200); // leaves an idle keep-alive socket
      const inFlight = get(http.port, '/slow', agent);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const startedClosing = Date.now();
      await http.close(5000);
      expect(Date.now() - startedClosing).toBeLessThan(DRAIN_MS + 1000);
      expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    } finally {
      agent.destroy();
    }
  });

  it('keeps answering while it drains, each response closing its connection, then refuses', async () => {
    const app = express();
    app.get('/fast', (_req, res) => {
      res.send('ok');
    });
    const http = await startHttpServer(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await get(http.port, '/fast', agent)).connection).toBe('keep-alive');
      const closed = http.close(4 * DRAIN_MS + 1000);
      // the request a client writes on its idle keep-alive socket just after the close began
      expect(await get(http.port, '/fast', agent)).toEqual({ status: 200, connection: 'close' });
      // a new connection during the drain is answered too
      expect(await get(http.port, '/fast', new Agent())).toEqual({ status: 200, connection: 'close' });
      await closed;
      await expect(get(http.port, '/fast', new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
    }
  });

  it('cuts connections still busy when the bound passes', async () => {
    const app = express();
    app.get('/hang', () => undefined);
    const http = await startHttpServer(app, 0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true });
    const hanging = get(http.port, '/hang', agent).catch((e: Error) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await http.close(50);
    expect(await hanging).toMatchObject({ code: 'ECONNRESET' });
    agent.destroy();
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer(express(), 0, '127.0.0.1');
    await expect(startHttpServer(express(), first.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    await first.close(100);
  });
});
