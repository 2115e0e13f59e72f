/**
 * Access to protected chats: join requests approved for subscribers and
 * declined for anyone else, the invite link revoked once used, and the bot's
 * own rights tracked from my_chat_member updates.
 */
import { Composer } from 'grammy';
import { decideJoinRequest } from '../../paywall/index.js';
import type { PaywallContext } from '../context.js';

/** The access feature. */
export function accessFeature(): Composer<PaywallContext> {
  const composer = new Composer<PaywallContext>();
  composer.on('chat_join_request', async (ctx) => {
    const request = ctx.chatJoinRequest;
    const { paywall, gateway, logger } = ctx.services;
    const now = paywall.clock.now();
    const approve = await decideJoinRequest(paywall, request.from.id, request.chat.id);
    if (!approve) {
      await gateway.declineJoinRequest(request.chat.id, request.from.id);
      logger.info({ userId: request.from.id, chatId: request.chat.id }, 'Declined a join request: no subscription covers this chat');
      return;
    }
    await gateway.approveJoinRequest(request.chat.id, request.from.id);
    await paywall.store.chats.setMember(request.chat.id, request.from.id, 'member', now);
    const link = request.invite_link?.invite_link;
    const known = link ? await paywall.store.invites.byLink(link) : undefined;
    if (known && known.status === 'active') {
      // The link did its job: revoke it so it cannot be passed on.
      await gateway.revokeInviteLink(known.chatId, known.inviteLink).catch((err: Error) => logger.warn({ chatId: known.chatId }, `Could not revoke a used invite link: ${err.message}`));
      await paywall.store.invites.setStatus(known.id, 'used', now);
    }
    logger.info({ userId: request.from.id, chatId: request.chat.id }, 'Approved a join request');
  });
  composer.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    const member = update.new_chat_member as { status: string; can_invite_users?: boolean; can_restrict_members?: boolean };
    const isAdmin = member.status === 'administrator' || member.status === 'creator';
    await ctx.services.paywall.store.chats.upsert({
      chatId: update.chat.id,
      title: 'title' in update.chat ? (update.chat.title ?? null) : null,
      botStatus: member.status,
      canInviteUsers: member.status === 'creator' || (isAdmin && member.can_invite_users === true),
      canRestrictMembers: member.status === 'creator' || (isAdmin && member.can_restrict_members === true),
      checkedAt: ctx.services.paywall.clock.now(),
    });
    ctx.services.logger.info({ chatId: update.chat.id, status: member.status }, "The bot's rights in a chat changed");
  });
  composer.on('chat_member', async (ctx) => {
    const update = ctx.chatMember;
    await ctx.services.paywall.store.chats.setMember(update.chat.id, update.new_chat_member.user.id, update.new_chat_member.status, ctx.services.paywall.clock.now());
  });
  return composer;
}
