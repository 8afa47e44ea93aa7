// `npm run sim -- --json`: the contract's one JSON line comes first, and the servers it names answer.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

test('--json prints the contract line first; the keys work; SIGTERM stops it', async () => {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'main.ts'), '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`sim exited early (${code})`)));
    });
    const info = JSON.parse(first) as {
      anthropic: { baseUrl: string; apiKey: string };
      openai: { baseUrl: string; apiKey: string };
      azure: { endpoint: string; apiKey: string; deployments: Array<{ name: string; apiStyle: string; model: string }> };
    };
    assert.deepEqual(Object.keys(info), ['anthropic', 'openai', 'azure']);
    assert.deepEqual(Object.keys(info.anthropic), ['baseUrl', 'apiKey']);
    assert.deepEqual(Object.keys(info.openai), ['baseUrl', 'apiKey']);
    assert.deepEqual(Object.keys(info.azure), ['endpoint', 'apiKey', 'deployments']);
    assert.deepEqual(Object.keys(info.azure.deployments[0] ?? {}), ['name', 'apiStyle', 'model']);

    const anthropic = await fetch(`${info.anthropic.baseUrl}/v1/models`, { headers: { 'x-api-key': info.anthropic.apiKey, 'anthropic-version': '2023-06-01' } });
    assert.equal(anthropic.status, 200);
    const openai = await fetch(`${info.openai.baseUrl}/models`, { headers: { authorization: `Bearer ${info.openai.apiKey}` } });
    assert.equal(((await openai.json()) as { object: string }).object, 'list');
    const azure = await fetch(`${info.azure.endpoint}/openai/v1/models`, { headers: { 'api-key': info.azure.apiKey } });
    assert.equal(azure.status, 200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
