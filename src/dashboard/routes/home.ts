/** `GET /`: the dashboard's front page (a placeholder until the dashboard pages land). */
import Router from '@koa/router';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>paywall</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  main { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  code { background: #eef0f4; padding: .1rem .3rem; border-radius: 4px; }
</style>
</head>
<body>
<main>
  <div class="card">
    <h1>paywall</h1>
    <p>The dashboard is running. Its pages (overview, subscribers, plans, payments, broadcasts) are not built yet.</p>
    <p>Health: <a href="/healthz"><code>/healthz</code></a>. Plans are managed with <code>paywall plans</code> for now.</p>
  </div>
</main>
</body>
</html>
`;

/** The home router. */
export function homeRouter(): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  return router;
}
