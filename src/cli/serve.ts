// `npm start`: open the database (migrating it), load the master key, build the app, listen, and shut
// down gracefully on SIGTERM/SIGINT (stop accepting, let requests finish up to 10 s, close the database).
import type { Command } from './commands.ts';
import { createAppContext } from '../compose.ts';
import { buildApp } from '../server/app.ts';
import { startReservationSweeper } from '../usage/reservation-sweeper.ts';
import { bootstrap } from '../accounts/bootstrap.ts';
import { startRecoveryLoop } from '../chat/recover-interrupted.ts';
import { closeConfigCache } from '../ai-config/config-cache.ts';

const SHUTDOWN_GRACE_MS = 10_000;

// The accept queue. Node's default (511) overflowed when 2,000 streaming clients connected within 2 s
// while the event loop was busy relaying (issue 8: 231 connections reset); the kernel caps it at
// net.core.somaxconn (4096 on current Linux), so this asks for as much as it allows.
const LISTEN_BACKLOG = 4096;

export const serveCommand: Command = {
  summary: 'run Mosaic: HTTP server and web app (what `npm start` does)',
  usage: 'serve',
  async run(_args, config) {
    const ctx = await createAppContext(config);
    const app = await buildApp(ctx);
    await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    try {
      // After listen, so that with MOSAIC_PORT=0 the setup link names the port actually chosen.
      const publicUrl = config.port === 0 && config.publicUrl.endsWith(':0') ? `http://${hostForUrl}:${port}` : config.publicUrl;
      await bootstrap(ctx, { publicUrl });
    } catch (error) {
      await app.close();
      await ctx.db.destroy();
      throw error;
    }
    // Only now: a script that waits for this line can sign in at once as the bootstrap admin.
    ctx.logger.info({ url: `http://${hostForUrl}:${port}`, database: ctx.dbKind }, `Mosaic listening on http://${hostForUrl}:${port}`);

    const sweeper = startReservationSweeper(ctx);
    // Answers a crashed instance left `streaming` become `interrupted` once their lease runs out.
    const stopRecovery = startRecoveryLoop(ctx, Math.min(10_000, config.chatLeaseSeconds * 1000));
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        sweeper.stop();
        stopRecovery();
        ctx.logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          ctx.logger.warn('requests still running after 10 s; closing anyway');
          app.server.closeAllConnections();
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        app
          .close()
          .then(() => ctx.datasets.close())
          .then(() => closeConfigCache(ctx))
          .then(() => ctx.db.destroy())
          .finally(() => {
            clearTimeout(force);
            resolve();
          });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    return 0;
  },
};
