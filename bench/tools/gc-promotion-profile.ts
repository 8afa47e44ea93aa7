// `node --import ./bench/tools/gc-promotion-profile.ts src/main.ts serve`, load it, then `kill -USR2 <pid>`:
// which allocation sites make the objects that outlive V8's young generation (the ones promoted into the
// old generation, which only a mark-compact frees). The inspector's sampling heap profiler keeps objects
// collected by major GCs and drops those a scavenge collected, so short-lived garbage does not show.
// Sampling starts 5 s after launch (start-up excluded). On SIGUSR2 it writes
// gc-promotion.<pid>.heapprofile in the working directory (DevTools opens it) and prints the top sites.
import fs from 'node:fs';
import inspector from 'node:inspector';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: ProfileNode[];
}

const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
setTimeout(() => {
  session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
}, 5_000).unref();

process.on('SIGUSR2', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return void process.stderr.write(`gc-promotion-profile: ${error.message}\n`);
    const file = `gc-promotion.${process.pid}.heapprofile`;
    fs.writeFileSync(file, JSON.stringify(result.profile));
    const bySite = new Map<string, number>();
    const walk = (node: ProfileNode): void => {
      const { functionName, url, lineNumber } = node.callFrame;
      const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      for (const child of node.children ?? []) walk(child);
    };
    walk(result.profile.head as unknown as ProfileNode);
    const total = [...bySite.values()].reduce((a, b) => a + b, 0);
    const lines = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([site, bytes]) => `${(bytes / 1e6).toFixed(2).padStart(7)} MB ${(total === 0 ? 0 : (100 * bytes) / total).toFixed(1).padStart(5)} %  ${site}`);
    process.stderr.write(`gc-promotion-profile: ${file}\n${lines.join('\n')}\n`);
  });
});
