// Scenario 3: many streaming chats at once, the simulator pacing each at 10 chunks per second. Every
// stream's text is checked chunk by chunk against what the simulator deterministically sends, so a
// lost, reordered or altered chunk is counted, never averaged away.
import { anthropicConversation } from '../../sim/sim-anthropic-wire.ts';
import { planTurn } from '../../sim/sim-script.ts';
import { measureStreams, type BenchEnv, type ResultRow } from './bench-env.ts';
import { captureModelCall } from './captured-call.ts';
import { scrapeEventLoopDelay } from './event-loop-delay.ts';

const CHUNKS_PER_SECOND = 10;
const QUESTION = 'Tell me a long story about our sales.';

export function streamContent(words: number, paced: boolean): string {
  return `[[sim:no-tools]] ${paced ? `[[sim:tps:${CHUNKS_PER_SECOND}]] ` : ''}[[sim:words:${words}]] ${QUESTION}`;
}

/** The text the simulator answers to `body` when told to write `words` chunks. */
export function expectedAnswer(body: Record<string, unknown>, words: number): string {
  const { conversation } = anthropicConversation(body);
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : null;
  const turn = planTurn(conversation, { noTools: true, calls: [], steps: null, words }, maxTokens);
  if (turn.kind !== 'text') throw new Error('the simulator would call a tool; expected text');
  return turn.chunks.join('');
}

export async function runManyChats(env: BenchEnv, log: (line: string) => void): Promise<ResultRow[]> {
  const counts = env.quick ? [250] : [250, 500, 1000, 2000];
  const seconds = env.quick ? 10 : 30;
  const words = seconds * CHUNKS_PER_SECOND;
  const call = await captureModelCall(env, streamContent(5, false), true);
  const expectedText = expectedAnswer(call.body, words);
  const rows: ResultRow[] = [];
  for (const sessions of counts) {
    log(`  many chats: ${sessions} concurrent streams for ${seconds} s`);
    const rampMs = Math.min(2000, sessions * 2);
    const { result, delta, scraped } = await measureStreams(
      { kind: 'streams', mosaicUrl: env.mosaic.url, token: env.token, sessions, content: streamContent(words, true), expectedText, rampMs, timeoutMs: seconds * 1000 + 60_000 },
      env.mosaic.child.pid,
      { before: async () => void (await scrapeEventLoopDelay(env.mosaic.url)), after: () => scrapeEventLoopDelay(env.mosaic.url) },
    );
    const expectedChunks = sessions * words;
    rows.push({
      scenario: 'many-chats',
      load: `${sessions.toLocaleString('en-US')} streams, ${seconds} s`,
      path: 'Mosaic',
      requests: result.completed,
      errors: result.errors,
      errorSamples: result.errorSamples,
      latency: { count: result.maxGapMs.length, median: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Math.max(0, ...result.maxGapMs) },
      firstToken: null,
      cpuMsPerRequest: delta.cpuMs / Math.max(1, sessions),
      peakRssMiB: delta.peakRssBytes / (1024 * 1024),
      throughput: (result.chunks * 1000) / result.elapsedMs,
      extra: {
        sessions,
        chunksExpected: expectedChunks,
        chunksReceived: result.chunks,
        lostChunks: expectedChunks - result.chunks,
        corruptedStreams: result.corrupted,
        cpuUsPerChunk: result.chunks > 0 ? (delta.cpuMs * 1000) / result.chunks : null,
        eventLoopP99Ms: scraped.p99Ms ?? null,
        eventLoopMaxMs: scraped.maxMs ?? null,
        maxChunkGapMs: Math.max(0, ...result.maxGapMs),
      },
    });
  }
  return rows;
}
