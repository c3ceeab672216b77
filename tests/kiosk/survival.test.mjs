// Two real kiosks in a call while the hub is SIGKILLed and started again on the same port: the
// media goes on, both kiosks sign in again and resume the call (call.resume), and a hang-up on
// one reaches the other within 5 s. Before (issue 19): the restarted hub knew no such call, and
// the other kiosk stayed "in the call" for 111 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHub, stopHub, household, tempDir } from '../hub/lib.mjs';
import { Kiosk, pairWithShownCode } from './kiosk_process.mjs';

async function home(k) {
  return k.until((x) => x.connected === '1' && x.state === 'home' && x.kiosk.startsWith('k_'), 120000);
}

test('hub SIGKILL mid-call between two kiosks: the call goes on, and a hang-up after the restart reaches the other side within 5 s',
  { timeout: 600000 }, async (t) => {
    const hub = await startHub(t);
    const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
    const a = new Kiosk(t, hub, path.join(tempDir(t), 'a'), h.code);
    await home(a);
    const b = new Kiosk(t, hub, path.join(tempDir(t), 'b'), null);
    await pairWithShownCode(b, hub, h.id);
    const bId = (await home(b)).kiosk;
    a.send(`call ${bId}`);
    await b.line(/^vindu-kiosk: state incoming$/, 30000);
    b.send('touch answer');
    const inCall = (x) => x.call === 'in-call' && Number(x.frames) > 10;
    await a.until(inCall, 120000);
    await b.until(inCall, 120000);

    await stopHub(hub, 'SIGKILL');
    await a.until((x) => x.connected === '0', 60000);
    const hub2 = await startHub(t, { dataDir: hub.dataDir, args: ['--port', String(hub.port)] });
    assert.equal(hub2.port, hub.port);
    // both back and signed in (the kiosks' reconnect backoff is at most 45 s)
    await a.until((x) => x.connected === '1', 120000);
    await b.until((x) => x.connected === '1', 120000);
    // media never needed the hub: still in the call on both sides
    assert.equal((await a.status()).call, 'in-call');
    assert.equal((await b.status()).call, 'in-call');
    await new Promise((r) => setTimeout(r, 1000)); // the resume is the first thing sent after welcome
    const from = b.lines.length;
    const t0 = Date.now();
    a.send('touch hangup');
    await a.line(/^vindu-kiosk: state call-ended-hung-up$/, 15000);
    await b.line(/^vindu-kiosk: state call-ended-remote-hung-up$/, 5000, from);
    assert.ok(Date.now() - t0 < 5000, 'the hang-up arrived within 5 s');
    await a.stop();
    await b.stop();
  });
