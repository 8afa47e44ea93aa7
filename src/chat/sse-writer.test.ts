// The SSE writer over a real socket: events arrive whole and in order as valid HTTP/1.1 chunks (they are
// framed by us straight onto the socket), the stream ends cleanly, and the connection is reused after it.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
