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

/** What a page hands the frame. */
export interface PageFrame {
  title: string;
  body: SafeHtml;
  /** Present for a signed-in admin: which nav entry is current and the session's CSRF token. */
  nav?: { active: string; csrfToken: string };
  flash?: Flash;
}

const NAV: ReadonlyArray<readonly [path: string, label: string]> = [
  ['/', 'Overview'], ['/subscribers', 'Subscribers'], ['/removals', 'Removals'], ['/plans', 'Plans'], ['/payments', 'Payments'],
  ['/broadcasts', 'Broadcasts'], ['/settings', 'Settings'], ['/audit', 'Audit log'], ['/warnings', 'Warnings'],
];

function navigation(nav: NonNullable<PageFrame['nav']>): SafeHtml {
  return html`<nav class="nav"><a class="brand" href="/">paywall</a><ul>${NAV.map(([path, label]) => html`<li><a href="${path}"${path === nav.active ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${nav.csrfToken}"><button type="submit">Log out</button></form></nav>`;
}

/** Renders a whole HTML document. */
export function renderPage(frame: PageFrame): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · paywall</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
${frame.nav ? navigation(frame.nav) : ''}
<main>
${frame.flash ? html`<p class="flash flash-${frame.flash.kind}" role="${frame.flash.kind === 'error' ? 'alert' : 'status'}">${frame.flash.text}</p>` : ''}
${frame.body}
</main>
</body>
</html>
`.value;
}
