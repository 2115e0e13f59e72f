/**
 * The commander definitions. Each action lazy-imports its command, builds the
 * context (configuration validated once, logger) and hands back an exit code.
 */
import { Command, Option } from 'commander';
import type { ConfigFlags } from '../config/fields.js';
import { createCommandContext, type CommandContext } from './context.js';
import { createShutdownSignal } from './shutdown-signal.js';

/** Receives the exit code of the command that ran. */
export type ExitSink = (code: number) => void;

const CONFIG_FLAGS = ['apiRoot', 'db', 'port', 'host', 'trustProxy', 'lockDir', 'grace'] as const;

/** Adds the configuration flags that every command accepts. */
function withConfigFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api-root <url>', 'Bot API server root (TELEGRAM_API_ROOT)'))
    .addOption(new Option('--db <url>', 'database: sqlite:PATH or postgres://… (DATABASE_URL)'))
    .addOption(new Option('--port <port>', 'dashboard port (PORT)'))
    .addOption(new Option('--host <host>', 'dashboard address (HOST)'))
    .addOption(new Option('--trust-proxy', 'honour X-Forwarded-* headers (TRUST_PROXY)'))
    .addOption(new Option('--lock-dir <dir>', 'per-token lock directory (PAYWALL_LOCK_DIR)'))
    .addOption(new Option('--grace <duration>', 'shutdown grace for `all` (PAYWALL_SHUTDOWN_GRACE)'));
}

function configFlags(opts: Record<string, unknown>): ConfigFlags {
  const flags: Record<string, unknown> = {};
  for (const key of CONFIG_FLAGS) if (opts[key] !== undefined) flags[key] = opts[key];
  return flags as ConfigFlags;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Runs a short command: builds the context and reports the exit code. */
function action<A extends unknown[]>(
  exit: ExitSink,
  name: string,
  run: (ctx: CommandContext, ...args: A) => Promise<number>,
) {
  return async (...args: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const cmd = args[args.length - 1] as Command;
    const ctx = createCommandContext(configFlags(cmd.opts()), name);
    exit(await run(ctx, ...(args.slice(0, -1) as A)));
  };
}

/** Runs a long-lived command with a shutdown signal (SIGINT, SIGTERM, IPC disconnect). */
function longAction(exit: ExitSink, name: string, run: (ctx: CommandContext, opts: Record<string, unknown>, signal: AbortSignal) => Promise<number>) {
  return async (opts: Record<string, unknown>, cmd: Command) => {
    const ctx = createCommandContext(configFlags(cmd.opts()), name);
    const shutdown = createShutdownSignal(ctx.logger);
    try {
      exit(await run(ctx, opts, shutdown.signal));
    } finally {
      shutdown.dispose();
    }
  };
}

function addPlanCommands(program: Command, exit: ExitSink): void {
  const io = { stdout: (text: string) => void process.stdout.write(text) };
  const plans = program.command('plans').description('list and manage the plans users can buy');
  withConfigFlags(plans.command('list').description('list plans (a table, or JSON with --json)'))
    .option('--json', 'print {"items":[plan…]} as JSON')
    .action(action(exit, 'plans', async ({ config, logger }, opts: Record<string, unknown>) => {
      const { plansList } = await import('./commands/plans.js');
      return plansList(config, logger, { json: opts.json === true }, io);
    }));
  const planFields = (cmd: Command, required: boolean) => {
    const opt = (flags: string, text: string) => (required ? cmd.requiredOption(flags, text) : cmd.option(flags, text));
    opt('--title <title>', 'plan title');
    opt('--price <stars>', 'price in Telegram Stars (a positive integer)');
    opt('--duration <duration>', 'access time: 7d, 30d, 12h … or lifetime');
    cmd.option('--description <text>', 'plan description');
    cmd.option('--chat <id>', 'protected chat id (repeat for several; default PAYWALL_CHAT_ID)', collect);
    return cmd;
  };
  withConfigFlags(planFields(plans.command('add').description('add a plan and print its id'), true))
    .option('--recurring', 'sell as a 30-day Telegram Stars subscription (duration must be 30d)')
    .action(action(exit, 'plans', async ({ config, logger }, opts: Record<string, unknown>) => {
      const { plansAdd } = await import('./commands/plans.js');
      return plansAdd(config, logger, opts as never, io);
    }));
  withConfigFlags(planFields(plans.command('edit').argument('<id>', 'plan id').description('change a plan (--chat replaces its chats)'), false))
    .action(action(exit, 'plans', async ({ config, logger }, id: string, opts: Record<string, unknown>) => {
      const { plansEdit } = await import('./commands/plans.js');
      return plansEdit(config, logger, id, opts as never, io);
    }));
  for (const [verb, text] of [['disable', 'stop selling a plan'], ['enable', 'sell a disabled plan again']] as const) {
    withConfigFlags(plans.command(verb).argument('<id>', 'plan id').description(text))
      .action(action(exit, 'plans', async ({ config, logger }, id: string) => {
        const commands = await import('./commands/plans.js');
        return verb === 'disable' ? commands.plansDisable(config, logger, id, io) : commands.plansEnable(config, logger, id, io);
      }));
  }
}

/** Builds the whole program. */
export function createProgram(exit: ExitSink, version: string): Command {
  const program = new Command('paywall')
    .description('Sell access to private Telegram channels and groups for Telegram Stars.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  withConfigFlags(program.command('bot').description('run the bot runtime with long polling (one per token)'))
    .option('--wait', 'wait for another instance to release the lock instead of exiting 3')
    .option('--delete-webhook', 'delete a webhook set for this bot and poll instead')
    .action(longAction(exit, 'bot', async ({ config, logger }, opts, signal) => {
      const { runBot } = await import('./commands/bot.js');
      return runBot(config, logger, { wait: opts.wait === true, deleteWebhook: opts.deleteWebhook === true }, signal);
    }));
  withConfigFlags(program.command('dashboard').description('run the web dashboard'))
    .action(longAction(exit, 'dashboard', async ({ config, logger }, _opts, signal) => {
      const { runDashboard } = await import('./commands/dashboard.js');
      return runDashboard(config, logger, signal);
    }));
  withConfigFlags(program.command('all').description('run the dashboard and the bot as two supervised child processes'))
    .option('--delete-webhook', 'passed on to the bot: delete a webhook and poll instead')
    .action(longAction(exit, 'all', async ({ config, logger }, opts, signal) => {
      const { runAll } = await import('./commands/all.js');
      return runAll(config, configFlags(opts), { deleteWebhook: opts.deleteWebhook === true }, logger, signal);
    }));
  addPlanCommands(program, exit);
  withConfigFlags(program.command('reset-password').description('set a new random dashboard password, print it once, and end every session'))
    .action(action(exit, 'reset-password', async ({ config, logger }) => {
      const { resetPassword } = await import('./commands/reset-password.js');
      return resetPassword(config, logger, { stdout: (text) => void process.stdout.write(text) });
    }));
  const db = program.command('db').description('database maintenance');
  withConfigFlags(db.command('migrate').description('apply database migrations (every command also does on start)'))
    .option('--unlock', 'clear a migration lock left behind by a process that died while migrating')
    .action(action(exit, 'db', async ({ config, logger }, opts: Record<string, unknown>) => {
      const { dbMigrate } = await import('./commands/db.js');
      return dbMigrate(config, logger, { unlock: opts.unlock === true });
    }));
  withConfigFlags(db.command('seed').description('fill the database with realistic demo data (with a progress bar)'))
    .requiredOption('--users <n>', 'how many demo users to create')
    .option('--force', 'append to a database that already has data (never deletes)')
    .action(action(exit, 'db', async ({ config, logger }, opts: Record<string, unknown>) => {
      const { dbSeed } = await import('./commands/seed.js');
      return dbSeed(config, logger, { users: String(opts.users), force: opts.force === true }, {
        stdout: (text) => void process.stdout.write(text),
        stderr: (text) => void process.stderr.write(text),
        isTTY: process.stderr.isTTY === true,
      });
    }));
  withConfigFlags(db.command('backup').argument('[file]', 'the backup file (default: paywall-backup-<UTC time>.sqlite or .dump here)').description('write a consistent copy of the live database (SQLite online; PostgreSQL with pg_dump)'))
    .option('--out <file>', 'the backup file (the same as the argument)')
    .action(action(exit, 'db', async ({ config, logger }, file: string | undefined, opts: Record<string, unknown>) => {
      const { dbBackup } = await import('./commands/backup.js');
      return dbBackup(config, logger, { file, out: typeof opts.out === 'string' ? opts.out : undefined }, {
        stdout: (text) => void process.stdout.write(text),
        stderr: (text) => void process.stderr.write(text),
        isTTY: process.stderr.isTTY === true,
      });
    }));
  withConfigFlags(program.command('doctor').description('check the token, webhook, chat rights, database, lock, lease and heartbeat, with a fix for each problem'))
    .option('--repair', 'also reconcile payments with Telegram\'s Stars ledger once, and report what was recorded')
    .option('--json', 'print the report as JSON')
    .action(action(exit, 'doctor', async ({ config, logger }, opts: Record<string, unknown>) => {
      const { runDoctor } = await import('./commands/doctor.js');
      return runDoctor(config, logger, { repair: opts.repair === true, json: opts.json === true }, {
        stdout: (text) => void process.stdout.write(text),
        env: process.env,
      });
    }));
  return program;
}
