import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploymentWarnings } from '../../src/cli/deployment-warnings.js';
import { loadConfig } from '../../src/config/config.js';

const sqlite = (file: string) => loadConfig({ env: { DATABASE_URL: `sqlite:${file}` }, cwd: '/app' });
const postgres = () => loadConfig({ env: { DATABASE_URL: 'postgres://u@db.internal:5432/paywall' }, cwd: '/app' });

test('deployment warnings: SQLite on an ephemeral disk, and nothing otherwise', () => {
  const onRailway = deploymentWarnings(sqlite('/app/paywall.sqlite'), { RAILWAY_ENVIRONMENT: 'production' });
  assert.equal(onRailway.length, 1);
  assert.match(onRailway[0]!, /ephemeral disk/);
  assert.match(onRailway[0]!, /DATABASE_URL/);
  assert.deepEqual(deploymentWarnings(sqlite('/data/paywall.sqlite'), { RAILWAY_ENVIRONMENT: 'production', RAILWAY_VOLUME_MOUNT_PATH: '/data' }), []);
  assert.equal(deploymentWarnings(sqlite('/data2/paywall.sqlite'), { RAILWAY_PROJECT_ID: 'p', RAILWAY_VOLUME_MOUNT_PATH: '/data' }).length, 1);
  assert.equal(deploymentWarnings(sqlite('/app/paywall.sqlite'), { DYNO: 'web.1' }).length, 1);
  assert.deepEqual(deploymentWarnings(postgres(), { RAILWAY_ENVIRONMENT: 'production' }), []);
  assert.deepEqual(deploymentWarnings(sqlite('/home/me/paywall.sqlite'), {}), []);
});
