/**
 * The login page: one password field (the user is always "admin"), the
 * double-submit CSRF token, where to go afterwards, and an error when the
 * last attempt failed. No navigation: nobody is signed in yet.
 */
import { html } from './html.js';
import { renderPage } from './layout.js';

/** What the login page shows. */
export interface LoginView {
  csrfToken: string;
  /** A safe path to return to after logging in. */
  next?: string;
  /** Why the last attempt failed. */
  error?: string;
}

/** Renders the whole login page. */
export function renderLoginPage(view: LoginView): string {
  const body = html`<section class="login">
<h1>Log in</h1>
<form method="post" action="/login" class="login-form">
<input type="hidden" name="_csrf" value="${view.csrfToken}">
${view.next ? html`<input type="hidden" name="next" value="${view.next}">` : ''}
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
<p class="hint">The password is <code>DASHBOARD_PASSWORD</code>, or the one printed when the dashboard first started. <code>paywall reset-password</code> sets a new one.</p>
</section>`;
  return renderPage({ title: 'Log in', body, ...(view.error ? { flash: { kind: 'error' as const, text: view.error } } : {}) });
}
