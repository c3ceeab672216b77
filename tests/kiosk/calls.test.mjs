// Kiosk-to-kiosk calls through the real hub: every call connects in its first media session.
//
// A kiosk called within its first second or two answers before its media engine is ready (the
// DTLS key and the first device pass). The caller's offer and candidates then arrived before
// there was a session to take them; they were dropped, that session stayed "connecting" and
// only the redial 20 s later connected (5 of 17 calls once). So most calls here go to a kiosk
// started just before, called as soon as it shows home, and answered at once; the rest are
// between kiosks that have been running. On each side the first session of each call must be
// the one that connects: sessions are counted, not seconds (the bound on waiting is only there
// to end the test; a session lost after it connected, on a starved machine, is another matter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHub, household, tempDir } from '../hub/lib.mjs';
import { Kiosk, pairWithShownCode, sessionsUntilConnected } from './kiosk_process.mjs';

const FRESH_CALLS = Number(process.env.VINDU_FRESH_CALLS || 8);
const WARM_CALLS = Number(process.env.VINDU_WARM_CALLS || 4);

async function home(k) {
  return k.until((x) => x.connected === '1' && x.state === 'home' && x.kiosk.startsWith('k_'));
}

// caller calls callee; callee answers as soon as it rings; both show each other's frames.
async function call(caller, callee, calleeId, what) {
  const before = [caller.stderr.length, callee.stderr.length];
  const from = callee.lines.length;
  caller.send(`call ${calleeId}`);
  await callee.line(/^vindu-kiosk: state incoming$/, 15000, from);
  callee.send('touch answer');
  const shown = (x) => x.call === 'in-call' && Number(x.frames) > 0;
  await caller.until(shown, 60000);
  await callee.until(shown, 60000);
  const sessions = [sessionsUntilConnected(caller, before[0]), sessionsUntilConnected(callee, before[1])];
  assert.deepEqual(sessions, [1, 1], `${what}: media sessions started by caller and callee until one ` +
    'connected (2: the first never connected and was redialled)\ncaller:\n' + caller.stderr.slice(-2000) +
    '\ncallee:\n' + callee.stderr.slice(-2000));
  const end = caller.lines.length;
  caller.send('touch hangup');
  await caller.line(/^vindu-kiosk: state call-ended-hung-up$/, 15000, end);
  await callee.until((x) => x.call === 'ended' || x.call === 'idle', 15000);
}

test('every kiosk-to-kiosk call connects in its first session, also to a kiosk that has just started',
  { timeout: 600000 }, async (t) => {
    const hub = await startHub(t);
    const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
    const caller = new Kiosk(t, hub, path.join(tempDir(t), 'caller'), h.code);
    // The caller has been running: its engine is up (under the sanitizers on a loaded machine
    // that took 50 s, and the callee's 20 s connect timeout ran out waiting for its offer).
    const callerId = (await home(caller)).kiosk;
    await caller.until((x) => x.media === 'ready', 180000);
    let callee = null;
    let calleeId = null;
    for (let i = 0; i < FRESH_CALLS; i++) {
      if (callee) await callee.stop();
      callee = new Kiosk(t, hub, path.join(tempDir(t), `callee-${i}`), null);
      await pairWithShownCode(callee, hub, h.id);
      calleeId = (await home(callee)).kiosk;
      await call(caller, callee, calleeId, `call ${i + 1} to a kiosk just started`);
    }
    for (let i = 0; i < WARM_CALLS; i++) {
      if (i % 2) await call(callee, caller, callerId, `call ${i + 1} between running kiosks`);
      else await call(caller, callee, calleeId, `call ${i + 1} between running kiosks`);
    }
    await callee.stop();
    await caller.stop();
  });
