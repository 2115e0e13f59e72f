/**
 * What a signed-in request carries: `ctx.state.admin` (who acts, and how they
 * proved it) and, for a browser session, `ctx.state.session` (its id and CSRF
 * token). Helpers to read them with their types.
 */
import type { Context } from 'koa';
import type { ActiveSession } from './sessions.js';

/** The one admin's name in the audit log, whichever way they signed in. */
export const ADMIN_ACTOR = 'dashboard:admin';

/** `ctx.state.admin`. */
export interface AdminState {
  readonly actor: string;
  readonly via: 'basic' | 'session';
}

/** The signed-in admin of this request, if any. */
export function adminOf(ctx: Pick<Context, 'state'>): AdminState | undefined {
  return ctx.state.admin as AdminState | undefined;
}

/** The browser session of this request, if any (absent for HTTP Basic). */
export function sessionOf(ctx: Pick<Context, 'state'>): ActiveSession | undefined {
  return ctx.state.session as ActiveSession | undefined;
}

/** Marks the request as the admin's, by a session. */
export function signInBySession(ctx: Pick<Context, 'state'>, session: ActiveSession): void {
  ctx.state.admin = { actor: ADMIN_ACTOR, via: 'session' } satisfies AdminState;
  ctx.state.session = { id: session.id, csrfToken: session.csrfToken } satisfies ActiveSession;
}
