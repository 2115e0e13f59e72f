/** Small helpers shared by the API routers: the backend or a 503, paging, the acting admin. */
import type { Context } from 'koa';
import { BackendUnavailableError, notFound } from '../../api/http-errors.js';
import type { ApiBackend, ApiDeps, ApiRange } from '../../api/ports.js';
import { PAGING } from '../../api/schemas.js';

/** The backend, or a thrown 503 while the database is unreachable. */
export function backendOf(deps: ApiDeps): ApiBackend {
  const backend = deps.backend();
  if (!backend) throw new BackendUnavailableError();
  return backend;
}

/** A validated `?page=&limit=` as the page, the limit and the rows to skip. */
export function pageOf(query: { page?: number; limit?: number }): ApiRange & { page: number } {
  const page = query.page ?? 1;
  const limit = query.limit ?? PAGING.defaultLimit;
  return { page, limit, offset: (page - 1) * limit };
}

/** The query string's parameters, an empty one (`?status=` from a form's blank choice) counting as not given. */
export function queryOf(ctx: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(ctx.query).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined && entry[1] !== ''));
}

/** Who the audit log names for this request. */
export function actorOf(ctx: Context): string {
  const admin = ctx.state.admin as { actor?: string } | undefined;
  return admin?.actor ?? 'dashboard:admin';
}

/** The largest id a serial (INTEGER) column holds; PostgreSQL refuses to compare with a larger one. */
export const MAX_SERIAL_ID = 2_147_483_647;

/** A plan or broadcast id beyond any serial cannot exist: 404 without asking the database. */
export function existingSerialId(id: number, what: 'plan' | 'broadcast'): number {
  if (id > MAX_SERIAL_ID) throw notFound(`There is no ${what} ${id}.`);
  return id;
}
