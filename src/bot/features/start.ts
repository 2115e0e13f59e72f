/** `/start`: greets the user. The plan list and deep links arrive with the bot issue. */
import { Composer, type Context } from 'grammy';

/** The /start command feature. */
export function startFeature(): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command('start', async (ctx) => {
    await ctx.reply('Welcome! This bot sells access to private channels and groups for Telegram Stars.');
  });
  return composer;
}
