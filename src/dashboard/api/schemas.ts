/**
 * Validation of what the API receives: query strings, path ids and JSON
 * bodies. Shape and type checks live here; the domain applies its own rules
 * (price range, duration format, audience) and says what is wrong itself.
 * Unknown query parameters are ignored; unknown body fields are a 400, so a
 * misspelt field never passes silently.
 */
import { z } from 'zod';
import { parsePlanDuration } from '../../paywall/index.js';

/** The bounds of list paging (SPEC 6). */
export const PAGING = Object.freeze({ defaultLimit: 50, maxLimit: 500, maxPage: 1_000_000_000_000 });
/** The longest grant or plan duration the API accepts: 100 years. */
export const MAX_DURATION_SECONDS = 36_500 * 86_400;
/** At most this many chats per plan. */
export const MAX_PLAN_CHATS = 100;
/** The longest search text. */
export const MAX_QUERY_LENGTH = 100;
/** The longest broadcast text, HTML tags included (Telegram itself allows 4096 characters of visible text). */
export const MAX_BROADCAST_LENGTH = 32_768;

/** PostgreSQL text cannot hold U+0000. */
const noNul = (text: string) => !text.includes('\0');

const USER_STATUSES = ['active', 'expired', 'never_paid', 'blocked'] as const;

function wholeNumber(name: string, min: number, max: number) {
  const range = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string({ error: `${name} must be given once, as a whole number` })
    .regex(/^\d{1,16}$/, { error: range })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: range });
}

/** `?page=&limit=`: page from 1, limit 1–500 (default 50). */
export const pageQuerySchema = z.object({
  page: wholeNumber('page', 1, PAGING.maxPage).optional(),
  limit: wholeNumber('limit', 1, PAGING.maxLimit).optional(),
});

/** `GET /api/users` query. */
export const userListQuerySchema = pageQuerySchema.extend({
  q: z.string({ error: 'q must be given once' }).max(MAX_QUERY_LENGTH, { error: `q must be at most ${MAX_QUERY_LENGTH} characters` }).refine(noNul, { error: 'q must not hold a NUL character' }).optional(),
  status: z.enum(USER_STATUSES, { error: `status must be one of ${USER_STATUSES.join(', ')}` }).optional(),
});

/** `GET /api/payments` query. */
export const paymentListQuerySchema = pageQuerySchema.extend({
  format: z.enum(['json', 'csv'], { error: 'format must be json or csv' }).optional(),
  status: z.enum(['paid', 'refunded'], { error: 'status must be paid or refunded' }).optional(),
  userId: wholeNumber('userId', 1, Number.MAX_SAFE_INTEGER).optional(),
});

/** A positive integer id in a path, such as a user or plan id. */
export function idSchema(what: string) {
  return wholeNumber(what, 1, Number.MAX_SAFE_INTEGER);
}

/** A Telegram payment charge id in a path. */
export const chargeIdSchema = z.string().min(1, { error: 'charge id is empty' }).max(255, { error: 'charge id must be at most 255 characters' }).refine(noNul, { error: 'charge id must not hold a NUL character' });

function durationWithinBounds(value: unknown): boolean {
  if (typeof value !== 'string') return true; // the domain names the type error
  const parsed = parsePlanDuration(value);
  return !parsed || parsed.seconds === null || parsed.seconds <= MAX_DURATION_SECONDS;
}

const boundedDuration = z.unknown().refine(durationWithinBounds, { error: 'duration must be at most 36500d (100 years), or lifetime' }).optional();

/** `POST /api/users/:id/grant` body. */
export const grantBodySchema = z.strictObject(
  {
    duration: z.string({ error: 'duration must be text such as 30d, 12h or lifetime' }).max(32, { error: 'duration must be at most 32 characters' }).refine(durationWithinBounds, { error: 'duration must be at most 36500d (100 years), or lifetime' }),
    planId: z.int({ error: 'planId must be a whole number' }).min(1, { error: 'planId must be 1 or more' }).max(Number.MAX_SAFE_INTEGER, { error: 'planId is too large' }).nullish(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'send a JSON object such as {"duration": "30d"}') },
);

const planFields = {
  title: z.unknown().optional(),
  description: z.unknown().optional(),
  price: z.unknown().optional(),
  duration: boundedDuration,
  chatIds: z.unknown().refine((v) => !Array.isArray(v) || v.length <= MAX_PLAN_CHATS, { error: `chatIds may list at most ${MAX_PLAN_CHATS} chats` }).optional(),
  recurring: z.unknown().optional(),
  active: z.unknown().optional(),
};

/** `POST /api/plans` body: the domain checks every value. */
export const planCreateBodySchema = z.strictObject(planFields, {
  error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'send a JSON object with title, description, price, duration, chatIds and recurring'),
});

/** `PATCH /api/plans/:id` body: any plan field, and `active`. */
export const planPatchBodySchema = planCreateBodySchema;

/** `POST /api/broadcasts` body. */
export const broadcastBodySchema = z.strictObject(
  {
    text: z.string({ error: 'text must be Telegram HTML text' }).min(1, { error: 'text is empty' }).max(MAX_BROADCAST_LENGTH, { error: `text must be at most ${MAX_BROADCAST_LENGTH} characters` }),
    audience: z.string({ error: 'audience must be active, expired or all' }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'send a JSON object such as {"text": "Hello", "audience": "all"}') },
);
