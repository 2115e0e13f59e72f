/**
 * The messages of one bot, per chat: message ids increase per chat (shared by
 * the user's and the bot's messages, as in a private chat), and the messages
 * are kept so that edits, deletions and button presses can find them.
 */
import type { Message } from 'grammy/types';

/** Messages of one bot, by chat and id. */
export interface ChatStore {
  /** The next message id in that chat. */
  allocateMessageId(chatId: number): number;
  save(message: Message): void;
  get(chatId: number, messageId: number): Message | undefined;
  delete(chatId: number, messageId: number): boolean;
  /** The newest message in the chat that passes the filter. */
  latest(chatId: number, filter?: (message: Message) => boolean): Message | undefined;
}

interface Conversation {
  nextMessageId: number;
  messages: Map<number, Message>;
}

/** An empty store. */
export function createChatStore(): ChatStore {
  const conversations = new Map<number, Conversation>();
  const conversation = (chatId: number): Conversation => {
    let found = conversations.get(chatId);
    if (!found) {
      found = { nextMessageId: 1, messages: new Map() };
      conversations.set(chatId, found);
    }
    return found;
  };

  return {
    allocateMessageId: (chatId) => conversation(chatId).nextMessageId++,
    save(message) {
      const c = conversation(message.chat.id);
      c.messages.set(message.message_id, message);
      c.nextMessageId = Math.max(c.nextMessageId, message.message_id + 1);
    },
    get: (chatId, messageId) => conversations.get(chatId)?.messages.get(messageId),
    delete: (chatId, messageId) => conversations.get(chatId)?.messages.delete(messageId) ?? false,
    latest(chatId, filter = () => true) {
      const messages = [...(conversations.get(chatId)?.messages.values() ?? [])];
      return messages.filter(filter).sort((a, b) => b.message_id - a.message_id)[0];
    },
  };
}
