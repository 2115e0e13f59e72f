/** Demo data for `paywall db seed`: the generator and its batched writer. */
export { countExisting, seedDatabase, type ExistingData, type SeedOptions, type SeedProgress, type SeedResult } from './seed.js';
export { generateBatch, COLUMNS, type IdCursor, type SeedBatch } from './generate.js';
export { ensureSeedPlans, type SeedPlan } from './plans.js';
export { insertRows, MAX_ROWS_PER_STATEMENT, type TableRows } from './write.js';
export { createRandom, type Random } from './random.js';
