import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { runSupervisor, type SupervisorOptions } from '../../src/supervisor/index.js';
import { fixture, isAlive, startSupervisor, waitFor, within } from './harness.js';

describe('runSupervisor: start order', () => {
  test('starts the dashboard at once and the bot only after the dashboard is ready', async (t) => {
    const h = startSupervisor(t);
    await waitFor('bot started', () => h.pidsOf('bot').length === 1);
    const ready = h.logs.findIndex((r) => r.child === 'dashboard' && r.msg === 'dashboard is ready');
    const botStart = h.logs.findIndex((r) => r.child === 'bot' && r.msg.startsWith('started '));
    assert.ok(ready >= 0 && ready < botStart, 'the dashboard is ready before the bot starts');
    assert.equal(h.pidsOf('dashboard').length, 1);
  });

  test('keeps the bot waiting while the dashboard is not ready', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_DASHBOARD: 'never-ready' } });
    await waitFor('dashboard output', () => h.output.some((l) => l.includes('dashboard says hello')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(h.pidsOf('bot'), []);
  });

  test('still starts the bot when the dashboard exits 2, and says why the dashboard is not restarted', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_DASHBOARD: 'exit2' } });
    await waitFor('bot started', () => h.pidsOf('bot').length === 1);
    const [why] = h.logsOf('dashboard', 'will not be restarted');
    assert.match(why?.msg ?? '', /bad configuration or usage \(exit code 2\)/);
    assert.equal(why?.level, 50);
    assert.equal(h.pidsOf('dashboard').length, 1);
  });

  test('starts the bot once only, though the dashboard is restarted and ready again', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_DASHBOARD: 'flaky' }, policy: { maxCrashesInWindow: 100 } });
    await waitFor('3 dashboard runs', () => h.logsOf('dashboard', 'is ready').length >= 3);
    assert.equal(h.pidsOf('bot').length, 1);
  });
});

describe('runSupervisor: output', () => {
  test('prefixes every stdout and stderr line with the padded name and flushes a partial last line', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_BOT: 'exit0' } });
    await waitFor('bot given up', () => h.logsOf('bot', 'will not be restarted').length === 1);
    assert.ok(h.output.includes('dashboard | dashboard says hello\n'));
    assert.ok(h.output.includes('dashboard | dashboard complains on stderr\n'));
    assert.ok(h.output.includes('bot       | bot says hello\n'));
    assert.ok(h.output.includes('bot       | bot complains on stderr\n'));
    assert.ok(h.output.includes('bot       | last words\n'));
    assert.match(h.logsOf('bot', 'will not be restarted')[0]?.msg ?? '', /stopped by itself \(exit code 0\)/);
  });

  test('colours the prefixes when asked: cyan dashboard, magenta bot', async (t) => {
    const h = startSupervisor(t, { color: true });
    await waitFor('bot output', () => h.output.some((l) => l.includes('bot says hello')));
    assert.ok(h.output.includes('\u001b[36mdashboard |\u001b[39m dashboard says hello\n'));
    assert.ok(h.output.includes('\u001b[35mbot       |\u001b[39m bot says hello\n'));
  });
});

describe('runSupervisor: restarts', () => {
  test('restarts a child killed by SIGKILL, with a fresh pid', async (t) => {
    const h = startSupervisor(t);
    const [first] = await waitFor('bot started', () => h.pidsOf('bot').length === 1 && h.pidsOf('bot'));
    process.kill(first!, 'SIGKILL');
    const pids = await waitFor('bot restarted', () => h.pidsOf('bot').length === 2 && h.pidsOf('bot'));
    assert.notEqual(pids[1], first);
    assert.equal(isAlive(first!), false);
    assert.equal(h.logsOf('bot', 'exited with signal SIGKILL').length, 1);
    assert.equal(h.logsOf('bot', 'restarting it in 50 ms').length, 1);
    assert.equal(h.pidsOf('dashboard').length, 1);
  });

  test('gives a crash-looping child up after 5 crashes, with doubling delays, and keeps the other running', async (t) => {
    const crashAtOnce = JSON.stringify(fixture('crash-at-once.cjs'));
    const h = startSupervisor(t, { env: { NODE_OPTIONS: `--require ${crashAtOnce}`, CRASH_SUBCOMMAND: 'bot' } });
    const [giveUp] = await waitFor('bot given up', () => h.logs.filter((r) => r.child === 'bot' && r.level === 50));
    assert.match(giveUp!.msg, /^bot crashed 5 times within 60 s .*not restarting it any more/);
    assert.deepEqual(
      h.logs.filter((r) => r.child === 'bot' && r.delayMs !== undefined).map((r) => r.delayMs),
      [50, 100, 200, 200],
    );
    assert.equal(h.pidsOf('bot').length, 5);
    assert.ok(h.output.includes('bot       | crash-at-once: bot exits with code 1\n'));
    const [dashboard] = h.pidsOf('dashboard');
    assert.equal(isAlive(dashboard!), true, 'the dashboard keeps running');
    h.abort();
    assert.equal(await within(h.result, 5000), 0);
  });

  for (const [code, words] of [
    [2, /bad configuration or usage/],
    [3, /another instance holds the lock for this bot token/],
    [4, /Telegram rejected the bot token/],
    [5, /another consumer has this bot token.*409/],
  ] as const) {
    test(`does not restart a child that exits ${code}, and says why`, async (t) => {
      const h = startSupervisor(t, { env: { FAKE_BOT: `exit${code}` } });
      const [why] = await waitFor('bot given up', () => h.logsOf('bot', 'will not be restarted'));
      assert.match(why!.msg, words);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(h.pidsOf('bot').length, 1);
      assert.equal(isAlive(h.pidsOf('dashboard')[0]!), true);
    });
  }
});

describe('runSupervisor: the end', () => {
  test('resolves 1 when no child is left (dashboard exits 2, then the bot exits 3)', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_DASHBOARD: 'exit2', FAKE_BOT: 'exit3' } });
    assert.equal(await within(h.result, 5000), 1);
    assert.ok(h.logs.some((r) => r.level === 50 && r.msg.startsWith('no child is left running')));
  });

  test('resolves 1 when every child is given up after crashing', async (t) => {
    const h = startSupervisor(t, { env: { FAKE_DASHBOARD: 'crash', FAKE_BOT: 'crash' } });
    assert.equal(await within(h.result, 10_000), 1);
    assert.equal(h.pidsOf('dashboard').length, 5);
    assert.equal(h.pidsOf('bot').length, 5);
  });

  test('rejects options that are wrong before spawning anything', async () => {
    const options: SupervisorOptions = {
      nodePath: process.execPath,
      children: [{ name: 'bot', args: [] }],
      env: {},
      cwd: '.',
      shutdownGraceMs: 100,
      logger: pino({ level: 'silent' }),
      output: { write: () => assert.fail('no output expected') },
      color: false,
      signal: new AbortController().signal,
    };
    const waitsForNobody = [{ name: 'bot', args: [], waitForReadyOf: 'dashboard' }];
    await assert.rejects(runSupervisor({ ...options, children: waitsForNobody }), /waitForReadyOf to name an earlier child, got "dashboard"/);
    const twice = [{ name: 'bot', args: [] }, { name: 'bot', args: [] }];
    await assert.rejects(runSupervisor({ ...options, children: twice }), /Expected children\[1\]\.name to be a unique word, got "bot"/);
    await assert.rejects(runSupervisor({ ...options, shutdownGraceMs: -1 }), /Expected shutdownGraceMs to be a non-negative number, got -1/);
  });

  test('resolves 0 at once, spawning nothing, when the signal is already aborted', async () => {
    const lines: string[] = [];
    const code = await runSupervisor({
      nodePath: '/nonexistent/node',
      children: [{ name: 'bot', args: [] }],
      env: {},
      cwd: '.',
      shutdownGraceMs: 100,
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      output: { write: () => assert.fail('no output expected') },
      color: false,
      signal: AbortSignal.abort(),
    });
    assert.equal(code, 0);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /shutdown requested before any child started/);
  });
});
