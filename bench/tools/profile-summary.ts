// `node bench/tools/profile-summary.ts <file.cpuprofile> [--top N] [--filter text]`: the functions that
// cost the most in a V8 CPU profile (node --cpu-prof), by self time and by total time (self + callees),
// with file:line, so a profile can be read without a browser. Recursion is counted once per stack.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, filter: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: node bench/tools/profile-summary.ts <file.cpuprofile> [--top N] [--filter text]\n');
  process.exit(2);
}
const top = Number(values.top ?? 40);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = (n: ProfileNode) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

// Sample time per node (µs): each sample's delta belongs to the sample before it (V8's convention).
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
}
const selfBy = new Map<string, number>();
const totalBy = new Map<string, number>();
let totalUs = 0;
let idleUs = 0;
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  totalUs += us;
  if (node.callFrame.functionName === '(idle)') idleUs += us;
  selfBy.set(label(node), (selfBy.get(label(node)) ?? 0) + us);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    totalBy.set(l, (totalBy.get(l) ?? 0) + us);
  }
}

const busyUs = totalUs - idleUs;
const filter = values.filter;
const print = (title: string, map: Map<string, number>) => {
  const rows = [...map].filter(([l]) => !filter || l.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  process.stdout.write(`\n${title}\n    ms   %busy  function\n`);
  for (const [l, us] of rows) process.stdout.write(`${(us / 1000).toFixed(1).padStart(7)} ${((100 * us) / busyUs).toFixed(1).padStart(6)}%  ${l}\n`);
};
process.stdout.write(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms busy (not idle)\n`);
print('by self time', selfBy);
print('by total time (self + callees)', totalBy);
