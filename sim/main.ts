// `npm run sim`: runs the provider simulator until SIGINT/SIGTERM and prints where it is.
// `npm run sim -- --json` prints one line of JSON (the contract's shape) before anything else.
// Options: --port-base N (Anthropic N, OpenAI N+1, Azure N+2; default: free ports), --host H.
import { parseArgs } from 'node:util';
import { describeSimulator } from './sim-help.ts';
import { startSimulator } from './simulator.ts';

function fail(message: string): never {
  process.stderr.write(`sim: ${message}\n`);
  process.exit(2);
}

let values: { json?: boolean; 'port-base'?: string; host?: string };
try {
  ({ values } = parseArgs({ options: { json: { type: 'boolean' }, 'port-base': { type: 'string' }, host: { type: 'string' } }, strict: true }));
} catch (error) {
  fail(`${(error as Error).message}\nusage: npm run sim -- [--json] [--port-base N] [--host H]`);
}
const portBase = values['port-base'] === undefined ? 0 : Number(values['port-base']);
if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65533) fail('--port-base must be a port number (0 = free ports)');
const ports = portBase === 0 ? {} : { anthropicPort: portBase, openaiPort: portBase + 1, azurePort: portBase + 2 };

const sim = await startSimulator({ host: values.host ?? '127.0.0.1', ...ports }).catch((error: Error) => fail(error.message));
if (values.json) {
  const line = { anthropic: sim.anthropic, openai: sim.openai, azure: { endpoint: sim.azure.endpoint, apiKey: sim.azure.apiKey, deployments: sim.azure.deployments } };
  process.stdout.write(`${JSON.stringify(line)}\n`);
} else {
  process.stdout.write(`${describeSimulator(sim)}\n`);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
