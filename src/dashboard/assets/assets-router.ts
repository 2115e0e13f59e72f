/**
 * `GET /assets/app.css`, `/assets/app.js` and `/assets/favicon.svg`: the
 * dashboard's one stylesheet, one script and icon, public (the login page uses them too), with their content
 * types, an ETag and a short cache. The files live beside this module's
 * source: tsc does not copy them to dist/, so the compiled module looks in
 * its own folder first and then in the matching src/ folder of the checkout.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';

/** The served files and their content types. */
export const ASSET_FILES: Readonly<Record<string, string>> = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Seconds a browser may use an asset before asking again (with its ETag). */
export const ASSET_MAX_AGE = 300;

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The folder holding the assets: beside this module, or (from dist/src/…) the same path under the checkout's src/. */
export function assetsDir(): string {
  const candidates = [new URL('./', import.meta.url), new URL('../../../../src/dashboard/assets/', import.meta.url)];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (Object.keys(ASSET_FILES).every((name) => existsSync(`${dir}${name}`))) return dir;
  }
  throw new Error(`The dashboard's assets (app.css, app.js, favicon.svg) are missing: looked in ${candidates.map((c) => fileURLToPath(c)).join(' and ')}.`);
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSET_FILES)) {
    const body = readFileSync(`${dir}${name}`);
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return assets;
}

/** The assets router (reads the files once, when built). */
export function assetsRouter(): Router {
  const assets = loadAssets(assetsDir());
  const router = new Router();
  router.get('/assets/:name', (ctx) => {
    const asset = assets.get(String(ctx.params.name));
    if (!asset) return;
    // Koa counts a response fresh only with a 2xx status, so set it before asking.
    ctx.status = 200;
    ctx.type = asset.type;
    ctx.set('Cache-Control', `public, max-age=${ASSET_MAX_AGE}`);
    ctx.etag = asset.etag;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = asset.body;
  });
  return router;
}
