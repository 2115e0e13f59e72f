/**
 * Every migration, in order, as imported modules: no directory scanning, so
 * the CLI migrates the same way from any working directory and any bundle.
 */
import type { Knex } from 'knex';
import * as initial from './001-initial.js';
import * as subscriptionChatOrder from './002-subscription-chat-order.js';
import * as pageReadIndexes from './003-page-read-indexes.js';
import * as changeIndexes from './004-change-indexes.js';
import * as updateInbox from './005-update-inbox.js';

/** One migration: a stable name and its up and down steps. */
export interface Migration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** The migrations, oldest first. Append new ones; never rename or reorder. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  { name: '001-initial', up: initial.up, down: initial.down },
  { name: '002-subscription-chat-order', up: subscriptionChatOrder.up, down: subscriptionChatOrder.down },
  { name: '003-page-read-indexes', up: pageReadIndexes.up, down: pageReadIndexes.down },
  { name: '004-change-indexes', up: changeIndexes.up, down: changeIndexes.down },
  { name: '005-update-inbox', up: updateInbox.up, down: updateInbox.down },
]);
