// Call signalling: rights, relay both ways, quiet hours, ring timeout, busy, TURN credentials.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startHub, admin, household, pairKiosk, kioskClient, personClient, tempDir } from './lib.mjs';

async function setup(t, args = []) {
  const hub = await startHub(t, { args });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin,status,auto_answer' },
    { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: 'message' },
    { name: 'Nils', relationship: 'Son', rights: 'call,quiet_hours_exempt' },
  ]);
  const other = await household(t, hub, [{ name: 'Olav', relationship: 'Son', rights: 'call,message,admin' }]);
  const kiosk = await pairKiosk(hub, t, h);
  return { hub, h, other, kiosk };
}

test('person calls kiosk: invite, ringing, accept, sdp/ice both ways, hangup', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(placed.type, 'call.placed');
  const ring = await k.next('call.invite');
  assert.equal(ring.call, placed.call);
  assert.equal(ring.from.id, h.people.Anna.id);
  assert.equal(ring.from.name, 'Anna');
  assert.equal(ring.from.relationship, 'Daughter');
  assert.equal(ring.auto_answer_after_s, undefined, 'no auto-answer without a consent record');
  k.send({ type: 'call.ringing', call: ring.call });
  await anna.next('call.ringing');
  k.send({ type: 'call.accept', call: ring.call });
  await anna.next('call.accept');
  k.send({ type: 'call.sdp', call: ring.call, sdp_type: 'offer', sdp: 'v=0\r\n' });
  const offer = await anna.next('call.sdp');
  assert.equal(offer.sdp_type, 'offer');
  assert.equal(offer.id, undefined, 'the relayed copy carries no request id');
  anna.send({ type: 'call.sdp', call: ring.call, sdp_type: 'answer', sdp: 'v=0\r\n' });
  assert.equal((await k.next('call.sdp')).sdp_type, 'answer');
  anna.send({ type: 'call.ice', call: ring.call, candidate: 'candidate:1 1 UDP 1 127.0.0.1 5000 typ host', sdp_mline_index: 0 });
  assert.equal((await k.next('call.ice')).sdp_mline_index, 0);
  k.send({ type: 'call.ice', call: ring.call, candidate: '', sdp_mline_index: 1, sdp_mid: 'audio0' });
  assert.equal((await anna.next('call.ice')).candidate, '');
  // a third party cannot inject into the call
  const nils = await personClient(hub, t, h.people.Nils);
  const e = await nils.request({ type: 'call.sdp', call: ring.call, sdp_type: 'offer', sdp: 'v=0\r\n' });
  assert.equal(e.code, 'not_found');
  // busy while in a call
  const busy = await nils.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(busy.code, 'busy');
  anna.send({ type: 'call.hangup', call: ring.call, reason: 'hangup' });
  assert.equal((await k.next('call.hangup')).reason, 'hangup');
});

test('kiosk calls a person with the call right; decline reaches the kiosk', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const wenche = await personClient(hub, t, h.people.Wenche);
  const placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  assert.equal(placed.type, 'call.placed');
  const ring = await anna.next('call.invite');
  assert.equal(ring.from.id, kiosk.id);
  anna.send({ type: 'call.decline', call: ring.call, reason: 'not_now' });
  assert.equal((await k.next('call.decline')).reason, 'not_now');
  // a volunteer without the call right cannot be called by the kiosk
  const e = await k.request({ type: 'call.invite', household: h.id, to: h.people.Wenche.id });
  assert.equal(e.code, 'forbidden');
  await wenche.none('call.invite');
});

// A browser that cannot make video calls declines with no_webrtc before it rings. That speaks for
// that browser only: while another of her devices still rings, the kiosk is told nothing and she
// can answer there; when the last one that could answer has declined (or gone), the kiosk gets
// the decline with that reason, so it can say why.
test('no_webrtc: declined for one browser only; the last one tells the kiosk why', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const phone = await personClient(hub, t, h.people.Anna);
  const oldPc = await personClient(hub, t, h.people.Anna);
  let placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  const ringOld = await oldPc.next('call.invite');
  await phone.next('call.invite');
  const ack = await oldPc.request({ type: 'call.decline', id: 'd1', call: ringOld.call, reason: 'no_webrtc' });
  assert.equal(ack.type, 'ok');
  await k.none('call.decline');
  phone.send({ type: 'call.accept', call: placed.call });
  await k.next('call.accept');
  assert.equal((await oldPc.next('call.cancel')).call, placed.call, 'the other device stops');
  k.send({ type: 'call.hangup', call: placed.call });
  await phone.next('call.hangup');

  // both decline: the second one tells the kiosk
  placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  await phone.next((m) => m.type === 'call.invite' && m.call === placed.call);
  await oldPc.next((m) => m.type === 'call.invite' && m.call === placed.call);
  oldPc.send({ type: 'call.decline', call: placed.call, reason: 'no_webrtc' });
  await k.none('call.decline');
  phone.send({ type: 'call.decline', call: placed.call, reason: 'no_webrtc' });
  assert.equal((await k.next('call.decline')).reason, 'no_webrtc');

  // one declines, then the only other device goes away: the kiosk learns why, not "lost"
  placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  await phone.next((m) => m.type === 'call.invite' && m.call === placed.call);
  await oldPc.next((m) => m.type === 'call.invite' && m.call === placed.call);
  oldPc.send({ type: 'call.decline', call: placed.call, reason: 'no_webrtc' });
  await k.none('call.decline');
  phone.close();
  const told = await k.next((m) => m.call === placed.call && (m.type === 'call.decline' || m.type === 'call.hangup'));
  assert.deepEqual([told.type, told.reason], ['call.decline', 'no_webrtc']);
});

test('rights matrix for calls: stranger, other household, no call right', async (t) => {
  const { hub, h, other, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const olav = await personClient(hub, t, other.people.Olav);
  const e1 = await olav.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(e1.code, 'not_found');
  const e2 = await olav.request({ type: 'call.invite', household: other.id, to: kiosk.id });
  assert.equal(e2.code, 'forbidden');
  const wenche = await personClient(hub, t, h.people.Wenche);
  const e3 = await wenche.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(e3.code, 'forbidden');
  assert.match(e3.message, /right/);
  await k.none('call.invite');
  // an unpaired kiosk may not call at all
  const { Client, hello } = await import('./lib.mjs');
  const stranger = await Client.open(hub, t);
  await hello(stranger, { kind: 'pair' });
  const e4 = await stranger.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(e4.code, 'forbidden');
});

test('offline kiosk: error offline', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const e = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(e.code, 'offline');
});

function hhmm(d) {
  return d.toISOString().slice(11, 16);
}

test('quiet hours refuse calls with a reason, except for people marked exempt', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const now = new Date();
  const r = admin(hub.dataDir, 'quiet-hours', '--household', h.id, '--start', hhmm(new Date(now - 60000)),
    '--end', hhmm(new Date(+now + 180000)));
  assert.equal(r.ok, true);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const e = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(e.code, 'quiet_hours');
  assert.match(e.message, /quiet/i);
  await k.none('call.invite');
  const nils = await personClient(hub, t, h.people.Nils);
  const placed = await nils.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(placed.type, 'call.placed');
  await k.next('call.invite');
  // removing quiet hours lets Anna call again (after Nils hangs up)
  nils.send({ type: 'call.cancel', call: placed.call });
  await k.next('call.cancel');
  assert.equal(admin(hub.dataDir, 'quiet-hours', '--household', h.id, '--none').ok, true);
  const ok = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(ok.type, 'call.placed');
});

test('an unanswered ring ends as missed on both sides', async (t) => {
  const { hub, h, kiosk } = await setup(t, ['--ring-timeout-s', '1']);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  await k.next('call.invite');
  const m1 = await anna.next('call.missed', 4000);
  const m2 = await k.next('call.missed', 4000);
  assert.equal(m1.call, placed.call);
  assert.equal(m2.call, placed.call);
  // the call is over: accepting it now is refused
  const e = await k.request({ type: 'call.accept', call: placed.call });
  assert.equal(e.code, 'not_found');
});

test('auto-answer only with the right and a consent record; TURN credentials in coturn format', async (t) => {
  const dir = tempDir(t);
  const conf = path.join(dir, 'hub.conf');
  fs.writeFileSync(conf, '[turn]\nsecret=s3cret\nurls=turn:127.0.0.1:3478?transport=udp\nttl_s=600\n');
  const { hub, h, kiosk } = await setup(t, ['--config', conf]);
  assert.equal(admin(hub.dataDir, 'consent', '--household', h.id, '--person', h.people.Anna.id, '--agreed-by', 'Ingebjørg').ok, true);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  const ring = await k.next('call.invite');
  assert.equal(ring.auto_answer_after_s, 10);
  const turn = await anna.next('call.turn');
  assert.equal(turn.call, placed.call);
  assert.equal(turn.ttl_s, 600);
  const s = turn.ice_servers[0];
  const [expiry, user] = s.username.split(':');
  assert.equal(user, h.people.Anna.id);
  assert.ok(Number(expiry) > Date.now() / 1000);
  assert.equal(s.credential, crypto.createHmac('sha1', 's3cret').update(s.username).digest('base64'));
  await k.next('call.turn');
  anna.send({ type: 'call.cancel', call: placed.call });
  await k.next('call.cancel');
  // withdrawn consent: no auto-answer
  assert.equal(admin(hub.dataDir, 'consent', '--household', h.id, '--person', h.people.Anna.id, '--withdraw').ok, true);
  await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  const ring2 = await k.next('call.invite');
  assert.equal(ring2.auto_answer_after_s, undefined);
});
