// Test support: a real HTTP server on 127.0.0.1 that plays a provider, serving recorded fixture bytes the
// way the real services do (fixtures README), and recording what the adapters sent.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type UpstreamHandler = (request: RecordedRequest, res: http.ServerResponse, req: http.IncomingMessage) => void | Promise<void>;

export interface TestUpstream {
  /** http://127.0.0.1:{port} */
  url: string;
  requests: RecordedRequest[];
  /** Sockets the server saw closed (cancellation tests). */
  closedSockets: () => number;
  close: () => Promise<void>;
}

export async function startTestUpstream(handler: UpstreamHandler): Promise<TestUpstream> {
  const requests: RecordedRequest[] = [];
  let closed = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
    requests.push(recorded);
    try {
      await handler(recorded, res, req);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (socket) => socket.on('close', () => closed++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    closedSockets: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Recorded provider traffic (copied from ../shared/fixtures, see its README): <provider>/__fixtures__/<file>.
const PROVIDERS_DIR = import.meta.dirname;

/** A recorded fixture by its shared name, e.g. `anthropic/text.chunks.txt`. */
export function fixtureText(name: string): string {
  const [provider, file] = name.split('/') as [string, string];
  return fs.readFileSync(path.join(PROVIDERS_DIR, provider, '__fixtures__', file), 'utf8');
}

export function fixtureLines(name: string): string[] {
  return fixtureText(name).split('\n').filter((line) => line.trim() !== '');
}

/** Anthropic SSE: `event: <type>` and `data: <json>` for each recorded line. */
export function anthropicSse(lines: readonly string[]): string {
  return lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join('');
}

/** OpenAI / Azure chat SSE: `data: <json>` per line, then `data: [DONE]`. */
export function openAISse(lines: readonly string[]): string {
  return `${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`;
}

export function sendSse(res: http.ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.end(body);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
