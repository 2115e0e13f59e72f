/**
 * Offering `/start` traffic to a bot on the fake: a burst (every update queued
 * at once, as after a channel post with a deep link) or a steady rate, and
 * waiting, bounded, until every update is answered.
 */
import { latencyStats, note, round, sleep } from './common.mjs';
import { answerTracker } from './fake.mjs';

/**
 * Queues `count` `/start` updates from distinct users (ids from firstId) at
 * once and waits until each is answered. Returns updates/s from the end of
 * queueing (the fake answers no poll while it queues) to the last answer,
 * latency stats (each push → its answer) and the seconds it took.
 */
export async function startBurst(fakeEnv, token, { count, firstId, label, timeoutMs }) {
  const tracker = answerTracker(fakeEnv, token);
  try {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) tracker.send(firstId + i);
    const queued = performance.now();
    note(label, `queued ${count} /start updates in ${round(queued - t0, 0)} ms`);
    await waitForAnswers(tracker, count, timeoutMs ?? Math.max(120_000, count * 50), label);
    let last = queued;
    for (const at of tracker.answeredAt.values()) if (at > last) last = at;
    const seconds = (last - queued) / 1000;
    return { count, seconds: round(seconds, 2), perSecond: round(count / seconds, 0), latency: latencyStats(tracker.latencies()) };
  } finally {
    tracker.stop();
  }
}

/**
 * Offers `/start` from new users at `rate` per second for `seconds`; resolves
 * once every one is answered, with the achieved offer rate and latency stats.
 */
export async function startSteady(fakeEnv, token, { rate, seconds, firstId, label, timeoutMs = 300_000 }) {
  const tracker = answerTracker(fakeEnv, token);
  try {
    const total = Math.round(rate * seconds);
    let pushed = 0;
    const t0 = performance.now();
    while (pushed < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      for (; pushed < due; pushed++) tracker.send(firstId + pushed);
      await sleep(5);
    }
    const offeredSeconds = (performance.now() - t0) / 1000;
    await waitForAnswers(tracker, total, timeoutMs, label);
    return { count: total, offeredPerSecond: round(total / offeredSeconds, 0), latency: latencyStats(tracker.latencies()) };
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
