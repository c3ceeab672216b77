// Kiosk-to-kiosk calls through the real hub, for call-bench: the real vindu-kiosk (headless,
// test media) twice, paired to one household on a real vindu-hub on 127.0.0.1.
//
// Figure: answer -> first frame, for every call: from the callee's "answer" touch to the moment
// both kiosks show the other's picture (status frames > 0, polled every 20 ms), and how many
// media sessions each side started (1: connected at once; 2: the first stalled and was
// redialled). Two kinds of call: to a kiosk started just before (called as soon as it shows
// home: its media engine may still be starting), and between kiosks that have been running.
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The test helpers want a node:test context for clean-up; the bench keeps its own list.
function context() {
  const after = [];
  return { after: (fn) => after.push(fn), cleanup: async () => { for (const fn of after.reverse()) await fn(); } };
}

async function fastUntil(k, pred, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await k.status();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`kiosk: condition not reached; last ${JSON.stringify(s)}`);
    await sleep(20);
  }
}

export async function benchKioskCalls({ hubBinary, kioskBinary, calls }) {
  process.env.VINDU_HUB = hubBinary;
  process.env.VINDU_KIOSK = kioskBinary;
  const { startHub, household, tempDir } = await import('../../tests/hub/lib.mjs');
  const { Kiosk, pairWithShownCode, sessionsStarted } = await import('../../tests/kiosk/kiosk_process.mjs');
  const t = context();
  try {
    const hub = await startHub(t);
    const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
    const home = (k) => fastUntil(k, (x) => x.connected === '1' && x.state === 'home' && x.kiosk.startsWith('k_'), 60000);
    const one = async (caller, callee, calleeId) => {
      const before = [sessionsStarted(caller), sessionsStarted(callee)];
      const from = callee.lines.length;
      caller.send(`call ${calleeId}`);
      await callee.line(/^vindu-kiosk: state incoming$/, 15000, from);
      const t0 = Date.now();
      callee.send('touch answer');
      const shown = (x) => x.call === 'in-call' && Number(x.frames) > 0;
      await Promise.all([fastUntil(caller, shown, 60000), fastUntil(callee, shown, 60000)]);
      const ms = Date.now() - t0;
      const sessions = Math.max(sessionsStarted(caller) - before[0], sessionsStarted(callee) - before[1]);
      const end = caller.lines.length;
      caller.send('touch hangup');
      await caller.line(/^vindu-kiosk: state call-ended-hung-up$/, 15000, end);
      await fastUntil(callee, (x) => x.call === 'ended' || x.call === 'idle', 15000);
      return { ms, sessions };
    };
    const caller = new Kiosk(t, hub, path.join(tempDir(t), 'caller'), h.code);
    const callerId = (await home(caller)).kiosk;
    const fresh = [];
    let callee = null;
    let calleeId = null;
    for (let i = 0; i < calls; i++) {
      if (callee) await callee.stop();
      // a provisioning code pairs one kiosk: further ones are paired by the code they show
      callee = new Kiosk(t, hub, path.join(tempDir(t), `callee-${i}`), null);
      await pairWithShownCode(callee, hub, h.id);
      calleeId = (await home(callee)).kiosk;
      fresh.push(await one(caller, callee, calleeId));
      console.log(`kiosk call ${i + 1}/${calls} to a kiosk just started: ${fresh.at(-1).ms} ms, ` +
        `${fresh.at(-1).sessions} session(s)`);
    }
    await sleep(2000); // the last callee's engine is surely up now
    const warm = [];
    for (let i = 0; i < calls; i++) {
      warm.push(i % 2 ? await one(callee, caller, callerId) : await one(caller, callee, calleeId));
      console.log(`kiosk call ${i + 1}/${calls} between running kiosks: ${warm.at(-1).ms} ms, ` +
        `${warm.at(-1).sessions} session(s)`);
    }
    await callee.stop();
    await caller.stop();
    return { fresh, warm };
  } finally {
    await t.cleanup();
  }
}
