import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fixture, isAlive, repoRoot, startSupervisor, waitFor, within } from './harness.js';

describe('runSupervisor: shutdown', () => {
  test('forwards SIGTERM to every child and resolves 0 with no child left', async (t) => {
    const h = startSupervisor(t);
    // Ready means the child's SIGTERM handler is installed.
    await waitFor('bot ready', () => h.logsOf('bot', 'is ready').length === 1);
    const pids = [...h.pidsOf('dashboard'), ...h.pidsOf('bot')];
    h.abort();
    h.abort();
    assert.equal(await within(h.result, 5000), 0);
    assert.ok(h.output.includes('dashboard | dashboard got SIGTERM\n'));
    assert.ok(h.output.includes('bot       | bot got SIGTERM\n'));
    assert.deepEqual(pids.filter(isAlive), []);
    assert.equal(h.pidsOf('bot').length, 1, 'nothing is restarted during shutdown');
  });

  test('cancels a pending restart and a pending start', async (t) => {
    const h = startSupervisor(t, {
      env: { FAKE_DASHBOARD: 'crash' },
      policy: { initialBackoffMs: 60_000 },
    });
    await waitFor('restart pending', () => h.logsOf('dashboard', 'restarting it in').length === 1);
    const started = Date.now();
    h.abort();
    assert.equal(await within(h.result, 5000), 0);
    assert.ok(Date.now() - started < 1000);
    assert.equal(h.pidsOf('dashboard').length, 1);
    assert.deepEqual(h.pidsOf('bot'), []);
  });

  test('SIGKILLs a child that ignores SIGTERM after the grace period and resolves 1', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_BOT: 'ignore-sigterm' }, shutdownGraceMs: 300 });
    const [bot] = await waitFor('bot ready', () => h.logsOf('bot', 'is ready').length === 1 && h.pidsOf('bot'));
    const started = Date.now();
    h.abort();
    assert.equal(await within(h.result, 5000), 1);
    assert.ok(Date.now() - started >= 300, 'the grace period is waited out');
    assert.ok(h.output.includes('bot       | bot got SIGTERM\n'));
    assert.equal(h.logsOf('bot', 'sending SIGKILL to bot').length, 1);
    assert.equal(h.logsOf('bot', 'exited with signal SIGKILL').length, 1);
    assert.equal(h.logsOf('dashboard', 'sending SIGKILL').length, 0, 'the dashboard had stopped by itself');
    assert.equal(isAlive(bot!), false);
  });

  test('leaves no child behind when the supervisor process itself is SIGKILLed', async (t) => {
    const runner = spawn(process.execPath, [fixture('run-supervisor.mjs')], {
      cwd: repoRoot(),
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pids = new Map<string, number>();
    let buffered = '';
    runner.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n').slice(0, -1)) {
        const record = JSON.parse(line) as { child?: string; childPid?: number; msg: string };
        if (record.child && record.childPid && record.msg.startsWith('started ')) pids.set(record.child, record.childPid);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    t.after(() => {
      runner.kill('SIGKILL');
      for (const pid of pids.values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    await waitFor('both children started', () => pids.size === 2, 10_000);
    runner.kill('SIGKILL');
    await waitFor('the children gone', () => [...pids.values()].every((pid) => !isAlive(pid)), 5000);
  });
});
