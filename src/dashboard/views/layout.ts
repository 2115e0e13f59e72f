/**
 * The page frame every dashboard page shares: head, navigation (for a
 * signed-in admin, with the logout form and its CSRF token), a flash message,
 * and the body. Styles and scripts come from /assets (the CSP allows no inline ones).
 */
import { html, type SafeHtml } from './html.js';

/** A one-line message above the page body. */
export interface Flash {
  kind: 'notice' | 'error';
  text: string;
}

/** Reload the page after `seconds` (to `url` when given) for readers without JavaScript; app.js does better when it runs. */
export interface Refresh {
  seconds: number;
  url?: string;
}

/** What a page hands the frame. */
export interface PageFrame {
  title: string;
  body: SafeHtml;
  /** Present for a signed-in admin: which nav entry is current and the session's CSRF token. */
  nav?: { active: string; csrfToken: string };
  flash?: Flash;
  /** Optional self-refresh, only when scripts do not run (inside <noscript>). */
  refresh?: Refresh;
}

/** The navigation entries: path and label. */
export const NAV: ReadonlyArray<readonly [path: string, label: string]> = [
  ['/', 'Overview'], ['/subscribers', 'Subscribers'], ['/removals', 'Removals'], ['/plans', 'Plans'], ['/payments', 'Payments'],
  ['/broadcasts', 'Broadcasts'], ['/settings', 'Settings'], ['/audit', 'Audit log'], ['/warnings', 'Warnings'],
];

function navigation(nav: NonNullable<PageFrame['nav']>): SafeHtml {
  return html`<header class="topbar"><nav class="nav" aria-label="Main"><a class="brand" href="/">paywall</a>
<ul>${NAV.map(([path, label]) => html`<li><a href="${path}"${path === nav.active ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${nav.csrfToken}"><button type="submit" class="button-quiet">Log out</button></form></nav></header>`;
}

function refreshMeta(refresh: Refresh | undefined): SafeHtml | '' {
  if (!refresh) return '';
  const content = refresh.url ? `${Math.max(1, Math.round(refresh.seconds))}; url=${refresh.url}` : String(Math.max(1, Math.round(refresh.seconds)));
  // Inside <noscript> the tag only takes effect without JavaScript; app.js updates the page in place instead.
  return html`<noscript><meta http-equiv="refresh" content="${content}"></noscript>`;
}

/** Renders a whole HTML document. */
export function renderPage(frame: PageFrame): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${frame.title} · paywall</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
${refreshMeta(frame.refresh)}
</head>
<body>
${frame.nav ? navigation(frame.nav) : ''}
<main id="main">
${frame.flash ? html`<p class="flash flash-${frame.flash.kind}" role="${frame.flash.kind === 'error' ? 'alert' : 'status'}">${frame.flash.text}</p>` : ''}
${frame.body}
</main>
</body>
</html>
`.value;
}
