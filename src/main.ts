// Entry point: `serve` (npm start) and the admin CLI (npm run mosaic -- <command>).
import { loadConfig, ConfigError } from './config.ts';
import { commands } from './cli/commands.ts';

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const command = name === '--help' || name === '-h' ? commands.help : commands[name];
  if (!command) {
    console.error(`Unknown command "${name}". Run \`npm run mosaic -- --help\` for the list.`);
    return 2;
  }
  // `<command> --help` explains the command and runs nothing: rotate-master-key --help must not rotate.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\nusage: npm run mosaic -- ${command.usage}`);
    return 0;
  }
  if (rest.length > 0 && !command.takesOptions) {
    console.error(`"${name}" takes no options (got ${rest.join(' ')}).\nusage: npm run mosaic -- ${command.usage}`);
    return 2;
  }
  try {
    const config = loadConfig();
    return await command.run(rest, config);
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof Error && error.name.endsWith('Error') && 'userFacing' in error)) {
      console.error(`mosaic: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
