// The simulator as the benchmark runs it: its own process, plus a loopback control port to read the
// last request a provider received (the exact body Mosaic's adapter sent, replayed for the direct
// baseline) and to clear the request log so a long run's memory stays flat.
// Prints one JSON line: {anthropic:{baseUrl, apiKey}, controlUrl}.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../sim/simulator.ts';

const sim = await startSimulator({ host: '127.0.0.1' });

const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://control');
  if (url.pathname === '/last') {
    const entry = sim.requests.last('anthropic');
    res.writeHead(entry ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(entry ? { path: entry.path, headers: entry.headers, body: entry.body } : { error: 'none' }));
    return;
  }
  if (url.pathname === '/clear') {
    sim.requests.clear();
    res.writeHead(204).end();
    return;
  }
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const port = (control.address() as AddressInfo).port;

// The log keeps every request; the benchmark sends hundreds of thousands. Keep the last few only.
setInterval(() => {
  const all = sim.requests.all();
  if (all.length > 1000) sim.requests.clear();
}, 1000).unref();

process.stdout.write(`${JSON.stringify({ anthropic: sim.anthropic, controlUrl: `http://127.0.0.1:${port}` })}\n`);

const stop = () => {
  control.close();
  void sim.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
