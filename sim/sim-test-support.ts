// Helpers for the simulator's own tests: read SSE the way a client does, and read the recorded fixtures.
import fs from 'node:fs';
import path from 'node:path';

export interface ParsedSse {
  event: string | null;
  data: string;
}

/** Splits an SSE body into its events (event name, raw data). */
export function parseSse(body: string): ParsedSse[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: data.join('\n') };
    });
}

/** The `data:` payloads of a recorded `*.chunks.txt` fixture, parsed. */
export function fixtureChunks(relative: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(import.meta.dirname, '__fixtures__', relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function fixtureJson(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '__fixtures__', relative), 'utf8')) as Record<string, unknown>;
}

/** A sequence of names with each run of repeats collapsed to one ("delta, delta, delta" → "delta"). */
export function collapseRuns(names: string[]): string[] {
  return names.filter((name, i) => i === 0 || names[i - 1] !== name);
}

/** Keys of an object, sorted: compares shapes regardless of key order. */
export function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}
