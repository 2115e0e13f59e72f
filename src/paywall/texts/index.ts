/** The bot's texts: catalog, Telegram HTML checks, rendering, languages and the operator's overrides. */
export * from './language.js';
export * from './html.js';
export * from './render.js';
export * from './keys.js';
export * from './catalog.js';
export * from './texts.js';
export * from './renderer.js';
