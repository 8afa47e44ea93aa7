// The SSE writer over a real socket: events arrive whole and in order as valid HTTP/1.1 chunks (they are
// framed by us straight onto the socket), the stream ends cleanly, and the connection is reused after it.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { it } from 'node:test';
import { SseWriter } from './sse-writer.ts';

it('streams chunked events a client parses, then keeps the connection for the next request', async () => {
  const connections = new Set<unknown>();
  const server = http.createServer((req, res) => {
    connections.add(req.socket);
    const sse = new SseWriter(res);
    void (async () => {
      await sse.send({ event: 'message-start', data: { messageId: 'm', model: 'x' } });
      for (const text of ['héllo', ' "wörld"\n', '', ' ✓'.repeat(3000)]) await sse.sendText(text);
      sse.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ headers: res.headers, body }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  try {
    const first = await get();
    assert.equal(first.headers['transfer-encoding'], 'chunked');
    assert.equal(first.headers['content-type'], 'text/event-stream; charset=utf-8');
    const texts = first.body
      .split('\n\n')
      .filter((block) => block.startsWith('event: text-delta'))
      .map((block) => (JSON.parse(block.split('\ndata: ')[1]!) as { text: string }).text);
    assert.deepEqual(texts, ['héllo', ' "wörld"\n', '', ' ✓'.repeat(3000)]);
    assert.ok(first.body.startsWith('event: message-start\ndata: {"messageId":"m","model":"x"}\n\n'));
    await get();
    assert.equal(connections.size, 1, 'the second request reused the connection');
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

it('counts a client that hung up as gone at once: later events are dropped, never an error', async () => {
  // The browser's Stop: the client half-closes. Node ends the socket on its side straight away, but the
  // response's 'close' comes later; an event written in between used to fail the answer with "write after end".
  let outcome: Promise<{ closedAfterHangUp: boolean; results: unknown[] }> | null = null;
  const server = http.createServer((req, res) => {
    const sse = new SseWriter(res);
    outcome = new Promise((resolve, reject) => {
      void sse.send({ event: 'message-start', data: { messageId: 'm', model: 'x' } });
      req.socket.once('end', () => {
        // The peer's FIN has been read and our side ended; 'close' on the response has not fired yet.
        const closedAfterHangUp = sse.closed;
        const results: unknown[] = [];
        try {
          for (let i = 0; i < 3; i++) results.push(sse.sendText('late'));
        } catch (error) {
          reject(error as Error);
          return;
        }
        Promise.all(results).then(() => resolve({ closedAfterHangUp, results }), reject);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = net.connect(port, '127.0.0.1');
    client.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise<void>((resolve) => client.once('data', () => resolve()));
    client.end();
    while (outcome === null) await new Promise((resolve) => setImmediate(resolve));
    const { closedAfterHangUp, results } = await (outcome as Promise<{ closedAfterHangUp: boolean; results: unknown[] }>);
    assert.equal(closedAfterHangUp, true);
    assert.deepEqual(results, [undefined, undefined, undefined], 'nothing written, nothing to wait for');
    client.destroy();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
