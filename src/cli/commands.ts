// The CLI's commands, one module each; `--help` lists them from here.
import type { Config } from '../config.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { createTenantCommand } from './create-tenant.ts';
import { rotateMasterKeyCommand } from './rotate-master-key.ts';

export interface Command {
  summary: string;
  usage: string;
  /** True when the command reads options; the others refuse any (a stray flag must not run them). */
  takesOptions?: boolean;
  run(args: string[], config: Config): Promise<number>;
}

export const commands: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  'create-tenant': createTenantCommand,
  'rotate-master-key': rotateMasterKeyCommand,
  help: {
    summary: 'list the commands',
    usage: 'help',
    async run() {
      console.log('Usage: npm run mosaic -- <command> [options]\n');
      for (const [name, c] of Object.entries(commands)) console.log(`  ${name.padEnd(20)} ${c.summary}\n  ${''.padEnd(20)} usage: ${c.usage}`);
      console.log('\nConfiguration comes from the environment; see README.md.');
      return 0;
    },
  },
};
