// The "How it measures" section of docs/performance.md, kept beside the code that does the measuring.
export const METHOD_NOTES = `- Everything runs on loopback on one machine: the provider simulator (\`bench/harness/sim-process.ts\`,
  the same simulator as \`npm run sim\`), Mosaic (\`node src/main.ts serve\`, embedded SQLite in a fresh temp
  data dir, admin bootstrapped from the environment, \`MOSAIC_ALLOW_PRIVATE_UPSTREAMS=1\`, operator base URL
  at the simulator), Portkey's gateway (installed by the benchmark from the npm registry into
  \`$TMPDIR/mosaic-bench-portkey\`, not a project dependency) and the load generator, each in its own process.
- Setup goes through the public API: sign in, add the simulator as the Anthropic provider, set a monthly
  budget (so every turn reserves and settles against it), mint a personal access token for the load.
- Mosaic runs with \`MOSAIC_CHEAP_FLOWS=0\`, so a turn is one model call (no title or suggestion calls);
  log level and everything else as a user runs it. Turns carry \`[[sim:no-tools]]\`, so the simulator
  answers at once, in text. Each chat session takes 4 turns before the load moves to a fresh one (history
  stays realistic but bounded).
- **Direct** replays the exact request Mosaic's adapter sent to the simulator (captured by the simulator),
  with the same headers; **Portkey** sends that request to the gateway's \`/v1/messages\` with
  \`x-portkey-provider: anthropic\` and \`x-portkey-custom-host\` at the simulator. Portkey 1.15.2 answers every
  *streaming* request with a 500 ("TypeError: immutable": it appends headers to the upstream fetch Response;
  Portkey-AI/gateway#1389 and #1550, open), on Node 20 and 24 alike, on \`/v1/messages\` and
  \`/v1/chat/completions\`, and pinning \`@hono/node-server\` to 1.14.2 (the workaround in #1389) does not
  help here; so the time-to-first-token table has no peer figure, and the run says why.
- Load: undici with keep-alive and no connection cap. "1 client" is a closed loop; "open loop N/s" sends
  at a fixed arrival rate whatever the answers do, and latency counts from each request's due time, so a
  stall shows instead of slowing the generator down. Warm-up requests are not counted.
- Statistics: nearest-rank percentiles over every request (\`bench/stats.ts\`). CPU per request is the
  server process's user + sys time from \`/proc/<pid>/stat\` over the measured window divided by the
  requests sent; peak RSS is \`VmHWM\` from \`/proc/<pid>/status\`, reset (\`clear_refs\`) before each load.
- Many chats: N sessions each stream one answer of 10 chunks/s (\`[[sim:tps:10]]\`) for the whole window,
  started over the first 2 s. The simulator's text is deterministic; the load checks every \`text-delta\`
  in order against it, so a lost, reordered or altered chunk is counted. Event-loop delay is Mosaic's own
  \`nodejs_eventloop_lag_p99_seconds\`/\`_max_seconds\` from \`GET /metrics\` (prom-client's
  monitorEventLoopDelay, reset by each scrape: one scrape before, one after). CPU per chunk is Mosaic's
  CPU over the window divided by the chunks relayed (session setup excluded, storage included).`;
