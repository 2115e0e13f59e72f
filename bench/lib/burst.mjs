/**
 * Offering `/start` traffic to a bot on the fake: a burst (every update queued
 * at once, as after a channel post with a deep link) or a steady rate, and
 * waiting, bounded, until every update is answered.
 */
import { cpuSeconds, latencyStats, note, round, sleep } from './common.mjs';
import { answerTracker } from './fake.mjs';

/**
 * Queues `count` `/start` updates from distinct users (ids from firstId) at
 * once and waits until each is answered. Returns updates/s from the end of
 * queueing (the fake answers no poll while it queues) to the last answer,
 * latency stats (each push → its answer), the seconds it took, the CPU the
 * fake server (this process) used meanwhile, in cores, and with `botPid` the
 * bot's CPU (cores, and ms per update).
 */
export async function startBurst(fakeEnv, token, { count, firstId, label, timeoutMs, botPid }) {
  const tracker = answerTracker(fakeEnv, token);
  try {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) tracker.send(firstId + i);
    const queued = performance.now();
    const cpu = process.cpuUsage();
    const botCpu = botPid === undefined ? undefined : cpuSeconds(botPid);
    note(label, `queued ${count} /start updates in ${round(queued - t0, 0)} ms`);
    await waitForAnswers(tracker, count, timeoutMs ?? Math.max(120_000, count * 50), label);
    const used = process.cpuUsage(cpu);
    const botUsed = botCpu === undefined ? undefined : cpuSeconds(botPid) - botCpu;
    let last = queued;
    for (const at of tracker.answeredAt.values()) if (at > last) last = at;
    const seconds = (last - queued) / 1000;
    // How busy the fake server (this process) was: near 1 core, it and not the bot sets the pace.
    const wall = (performance.now() - queued) / 1000;
    const fakeCores = round((used.user + used.system) / 1e6 / wall, 2);
    const result = { count, seconds: round(seconds, 2), perSecond: round(count / seconds, 0), latency: latencyStats(tracker.latencies()), fakeCores };
    // The bot's CPU per update (ms) and how many cores it kept busy: near 1 core, it is CPU-bound.
    if (botUsed !== undefined) Object.assign(result, { botCores: round(botUsed / wall, 2), botCpuMsPerUpdate: round((botUsed * 1000) / count, 3) });
    return result;
  } finally {
    tracker.stop();
  }
}

/**
 * Offers `/start` from new users at `rate` per second for `seconds`; resolves
 * once every one is answered, with the achieved offer rate and latency stats,
 * and the cores this process (fake server and load) and, with `botPid`, the
 * bot kept busy meanwhile.
 */
export async function startSteady(fakeEnv, token, { rate, seconds, firstId, label, timeoutMs = 300_000, botPid }) {
  const tracker = answerTracker(fakeEnv, token);
  try {
    const total = Math.round(rate * seconds);
    let pushed = 0;
    const t0 = performance.now();
    const cpu = process.cpuUsage();
    const botCpu = botPid === undefined ? undefined : cpuSeconds(botPid);
    while (pushed < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      for (; pushed < due; pushed++) tracker.send(firstId + pushed);
      await sleep(5);
    }
    const offeredSeconds = (performance.now() - t0) / 1000;
    await waitForAnswers(tracker, total, timeoutMs, label);
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const result = { count: total, offeredPerSecond: round(total / offeredSeconds, 0), latency: latencyStats(tracker.latencies()), fakeCores: round((used.user + used.system) / 1e6 / wall, 2) };
    if (botCpu !== undefined) result.botCores = round((cpuSeconds(botPid) - botCpu) / wall, 2);
    return result;
  } finally {
    tracker.stop();
  }
}

async function waitForAnswers(tracker, count, timeoutMs, label) {
  const start = Date.now();
  let lastNote = start;
  while (tracker.answeredAt.size < count) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`only ${tracker.answeredAt.size} of ${count} /start updates were answered within ${timeoutMs} ms`);
    }
    if (Date.now() - lastNote > 5000) {
      lastNote = Date.now();
      note(label, `${tracker.answeredAt.size}/${count} answered`);
    }
    await sleep(20);
  }
}
