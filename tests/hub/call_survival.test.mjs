// Calls outlive a kiosk's dropped hub socket and a hub restart (hub/call_survival.c): media
// flows peer to peer, so the hub keeps an answered call while a side is away, takes it up again
// after a restart, and a hang-up still reaches the other side. A side that does not come back in
// call_resume_grace_s ends the call as peer_lost, and whoever is connected hears so. Rows of the
// call log that a killed hub left open are closed at the next start.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startHub, stopHub, household, pairKiosk, kioskClient, personClient, tempDir } from './lib.mjs';

function graceConfig(t, seconds) {
  const conf = path.join(tempDir(t), 'hub.conf');
  fs.writeFileSync(conf, `[hub]\ncall_resume_grace_s=${seconds}\n`);
  return ['--config', conf];
}

function callRow(dataDir, id) {
  const r = spawnSync('sqlite3', ['-json', path.join(dataDir, 'hub.db'),
    `SELECT outcome, ended_at FROM calls WHERE id='${id}'`], { encoding: 'utf8' });
  return r.stdout.trim() ? JSON.parse(r.stdout)[0] : null;
}

async function until(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function answeredCall(t, hub, h, kiosk) {
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(placed.type, 'call.placed');
  await k.next('call.invite');
  k.send({ type: 'call.accept', call: placed.call });
  await anna.next('call.accept');
  return { k, anna, call: placed.call };
}

const people = [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }];

test('hub SIGKILL mid-call: after the restart the hang-up reaches the other side; the log says completed', async (t) => {
  const args = graceConfig(t, 30);
  const hub = await startHub(t, { args });
  const h = await household(t, hub, people);
  const kiosk = await pairKiosk(hub, t, h);
  const { call } = await answeredCall(t, hub, h, kiosk);
  await stopHub(hub, 'SIGKILL');

  const hub2 = await startHub(t, { dataDir: hub.dataDir, args });
  const k = await kioskClient(hub2, t, kiosk);
  const anna = await personClient(hub2, t, h.people.Anna);
  const resumed = await k.request({ type: 'call.resume', call });
  assert.equal(resumed.type, 'ok', JSON.stringify(resumed));
  // the restarted hub relays between the sides as before
  anna.send({ type: 'call.sdp', call, sdp_type: 'offer', sdp: 'v=0\r\n' });
  assert.equal((await k.next('call.sdp')).sdp_type, 'offer');
  const sent = Date.now();
  const ok = await anna.request({ type: 'call.hangup', call, reason: 'hangup' });
  assert.equal(ok.type, 'ok', JSON.stringify(ok));
  const hangup = await k.next('call.hangup', 5000);
  assert.equal(hangup.reason, 'hangup');
  assert.ok(Date.now() - sent < 5000);
  assert.equal(callRow(hub2.dataDir, call).outcome, 'completed');
  // a busy subject is free again
  const again = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(again.type, 'call.placed');
});

test('after a hub SIGKILL, a hang-up sent before the other side is back still ends the call for it', async (t) => {
  const args = graceConfig(t, 30);
  const hub = await startHub(t, { args });
  const h = await household(t, hub, people);
  const kiosk = await pairKiosk(hub, t, h);
  const { call } = await answeredCall(t, hub, h, kiosk);
  await stopHub(hub, 'SIGKILL');
  const hub2 = await startHub(t, { dataDir: hub.dataDir, args });
  // the kiosk is back first and hangs up without a resume; Anna comes back later
  const k = await kioskClient(hub2, t, kiosk);
  const bye = await k.request({ type: 'call.hangup', call });
  assert.equal(bye.type, 'ok', JSON.stringify(bye));
  const anna = await personClient(hub2, t, h.people.Anna);
  const gone = await anna.request({ type: 'call.resume', call });
  assert.equal(gone.code, 'not_found', 'the call is over, and her page is told so');
});

test('open rows of a killed hub are closed at start; a taken-up call nobody resumes ends as peer_lost', async (t) => {
  const args = graceConfig(t, 2);
  const hub = await startHub(t, { args });
  const h = await household(t, hub, people);
  const kiosk = await pairKiosk(hub, t, h);
  const h2 = await household(t, hub, people);
  const kiosk2 = await pairKiosk(hub, t, h2);
  const { call } = await answeredCall(t, hub, h, kiosk);
  // a second household's call is still ringing when the hub dies
  await kioskClient(hub, t, kiosk2);
  const anna2 = await personClient(hub, t, h2.people.Anna);
  const ringing = (await anna2.request({ type: 'call.invite', household: h2.id, to: kiosk2.id })).call;
  await stopHub(hub, 'SIGKILL');
  assert.equal(callRow(hub.dataDir, call).outcome, null);
  assert.equal(callRow(hub.dataDir, ringing).outcome, null);

  const hub2 = await startHub(t, { dataDir: hub.dataDir, args });
  assert.equal(callRow(hub2.dataDir, ringing).outcome, 'hub_stopped', 'a ringing call cannot outlive the hub');
  const row = await until('peer_lost', () => {
    const r = callRow(hub2.dataDir, call);
    return r.outcome ? r : null;
  });
  assert.equal(row.outcome, 'peer_lost');
});

test('a kiosk socket drops mid-call: the call waits, the kiosk resumes; gone for good, the other side hears peer_lost', async (t) => {
  const hub = await startHub(t, { args: graceConfig(t, 4) });
  const h = await household(t, hub, people);
  const kiosk = await pairKiosk(hub, t, h);
  const { k, anna, call } = await answeredCall(t, hub, h, kiosk);
  k.ws.terminate();
  await anna.none('call.hangup', 1500); // not told the call ended while the kiosk may come back
  const k2 = await kioskClient(hub, t, kiosk);
  assert.equal((await k2.request({ type: 'call.resume', call })).type, 'ok');
  k2.send({ type: 'call.sdp', call, sdp_type: 'offer', sdp: 'v=0\r\n' });
  assert.equal((await anna.next('call.sdp')).sdp_type, 'offer');
  anna.send({ type: 'call.sdp', call, sdp_type: 'answer', sdp: 'v=0\r\n' });
  assert.equal((await k2.next('call.sdp')).sdp_type, 'answer');
  // the grace is counted afresh for each absence: past the first 4 s, the call still lives
  await anna.none('call.hangup', 3000);

  k2.ws.terminate();
  const lost = await anna.next('call.hangup', 20000);
  assert.equal(lost.reason, 'peer_lost');
  const k3 = await kioskClient(hub, t, kiosk);
  assert.equal((await k3.request({ type: 'call.resume', call })).code, 'not_found');
  assert.equal(callRow(hub.dataDir, call).outcome, 'peer_lost');
  // a stranger cannot resume someone else's call
  const other = await household(t, hub, people);
  const olav = await personClient(hub, t, other.people.Anna);
  assert.equal((await olav.request({ type: 'call.resume', call })).code, 'not_found');
});
