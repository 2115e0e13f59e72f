/**
 * The floor of the update benchmark: a bare grammY bot with its built-in
 * sequential long polling, answering `/start` with a static text and storing
 * nothing. Started by bench/updates.mjs with BARE_TOKEN and BARE_API_ROOT in
 * its environment (the token never goes in argv); prints "bare bot polling"
 * on stderr once it polls.
 */
import { Bot } from 'grammy';

const token = process.env.BARE_TOKEN;
const apiRoot = process.env.BARE_API_ROOT;
if (!token || !apiRoot) {
  process.stderr.write('bare-grammy: set BARE_TOKEN and BARE_API_ROOT (bench/updates.mjs does)\n');
  process.exit(2);
}

const bot = new Bot(token, { client: { apiRoot } });
bot.command('start', (ctx) => ctx.reply('hi'));
bot.catch((err) => process.stderr.write(`bare-grammy: ${err.message}\n`));
const stop = () => void bot.stop();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await bot.start({ onStart: () => process.stderr.write('bare bot polling\n') });
