/** Where to go after logging in: only a path on this site, never another origin. */

/** `value` when it is a safe same-site path (`/…`, not `//…` or `/\…`, no control characters, not /login), else undefined. */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // Browsers read a backslash as a slash, and strip tabs and newlines from URLs: refuse both.
  if (/[\\\u0000-\u001f\u007f\s]/.test(value)) return undefined;
  if (/^\/login(?:[/?#]|$)/i.test(value)) return undefined;
  return value;
}

/** The login page's address for a request to `path` (with `?next=` for a GET). */
export function loginLocation(method: string, path: string): string {
  const next = method === 'GET' || method === 'HEAD' ? safeNextPath(path) : undefined;
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
