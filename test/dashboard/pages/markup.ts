/** Checks on rendered pages: the CSP rules (no inline script or style, no event handlers) and the CSRF field in every form. */
import assert from 'node:assert/strict';

/** Fails when the page has an inline script, a style element or attribute, an event-handler attribute or a javascript: URL. */
export function assertCspClean(page: string, where: string): void {
  for (const m of page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1]!, /\bsrc="\/assets\/app\.js"/, `${where}: every script comes from /assets/app.js`);
    assert.equal(m[2]!.trim(), '', `${where}: no inline script`);
  }
  assert.doesNotMatch(page, /<style\b/i, `${where}: no <style> element`);
  assert.doesNotMatch(page, /\sstyle\s*=/i, `${where}: no style attribute`);
  assert.doesNotMatch(page, /\son[a-z]+\s*=/i, `${where}: no event-handler attribute`);
  assert.doesNotMatch(page, /javascript:/i, `${where}: no javascript: URL`);
  assert.doesNotMatch(page, /\ssrc="(https?:)?\/\//i, `${where}: no script or image from another site`);
  assert.doesNotMatch(page, /<link\b[^>]*href="(https?:)?\/\//i, `${where}: no stylesheet or icon from another site`);
}

/** Fails unless every POST form carries the session's CSRF token. */
export function assertFormsCarryCsrf(page: string, token: string, where: string): void {
  const forms = [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].filter((m) => /method="post"/i.test(m[1]!));
  for (const form of forms) {
    assert.ok(form[2]!.includes(`<input type="hidden" name="_csrf" value="${token}">`), `${where}: the form ${form[1]} carries the CSRF token`);
  }
}

/** The text of the element with `id` (tags dropped), or undefined. */
export function textOfId(page: string, id: string): string | undefined {
  const m = new RegExp(`<([a-z0-9]+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`, 'i').exec(page);
  return m ? m[2]!.replace(/<[^>]*>/g, '').trim() : undefined;
}
