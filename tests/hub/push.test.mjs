// Web Push from the hub: VAPID key, subscriptions, a kiosk's call reaching a closed page, missed
// calls, expired subscriptions. The push service is tests/common/push_receiver.mjs on loopback:
// it verifies the VAPID JWT and decrypts every payload with http_ece.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startHub, household, pairKiosk, kioskClient, personClient, tempDir } from './lib.mjs';
import { PushReceiver } from '../common/push_receiver.mjs';

async function setup(t, args = []) {
  const receiver = await PushReceiver.start(t, tempDir(t));
  const conf = path.join(tempDir(t), 'hub.conf');
  fs.writeFileSync(conf, `[push]\nca_file=${receiver.files.ca}\ncontact=mailto:hub@example.org\n`);
  const hub = await startHub(t, { args: ['--config', conf, ...args] });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' },
    { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: 'message' },
  ]);
  const kiosk = await pairKiosk(hub, t, h);
  return { hub, h, kiosk, receiver };
}

// Anna signs in once, subscribes this "browser", and closes her page.
async function subscribeAndLeave(hub, t, person, receiver, opts = {}) {
  const c = await personClient(hub, t, person);
  const sub = receiver.subscription(opts.name || 'anna');
  const r = await c.request({ type: 'push.subscribe', endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.authB64, show_text: !!opts.showText });
  assert.equal(r.type, 'ok', JSON.stringify(r));
  c.close();
  await c.waitClosed();
  return sub;
}

test('the hub keeps one VAPID key (0600) and gives it to people, not kiosks', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const key = await anna.request({ type: 'push.get_key' });
  assert.equal(key.type, 'push.key');
  const point = Buffer.from(key.public_key, 'base64url');
  assert.equal(point.length, 65);
  assert.equal(point[0], 4);
  const file = path.join(hub.dataDir, 'push', 'vapid.pem');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const k = await kioskClient(hub, t, kiosk);
  assert.equal((await k.request({ type: 'push.get_key' })).code, 'forbidden');
});

test('bad subscriptions are refused with a field and change nothing', async (t) => {
  const { hub, h, receiver } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const sub = receiver.subscription('bad');
  const plain = await anna.request({ type: 'push.subscribe', endpoint: sub.endpoint.replace('https:', 'http:'), p256dh: sub.p256dh, auth: sub.authB64 });
  assert.equal(plain.code, 'bad_format');
  assert.equal(plain.field, 'endpoint');
  const badKey = await anna.request({ type: 'push.subscribe', endpoint: sub.endpoint, p256dh: 'A'.repeat(87), auth: sub.authB64 });
  assert.equal(badKey.code, 'bad_format');
  const short = await anna.request({ type: 'push.subscribe', endpoint: sub.endpoint, p256dh: sub.p256dh, auth: 'abc' });
  assert.equal(short.code, 'out_of_range');
});

test('the kiosk calls Anna whose page is closed: the push arrives, her opened page rings and answers', async (t) => {
  const { hub, h, kiosk, receiver } = await setup(t);
  await subscribeAndLeave(hub, t, h.people.Anna, receiver);
  const k = await kioskClient(hub, t, kiosk);
  const placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  assert.equal(placed.type, 'call.placed', JSON.stringify(placed));
  const push = await receiver.next();
  assert.deepEqual(push.errors, []);
  assert.equal(push.headers.urgency, 'high');
  assert.equal(push.vapid.claims.sub, 'mailto:hub@example.org');
  assert.equal(push.payload.kind, 'call');
  assert.equal(push.payload.call, placed.call);
  assert.equal(push.payload.household, h.id);
  assert.equal(push.payload.from, 'Ingebjørg');
  // opening the notification signs her in: that page rings, and answering reaches the kiosk
  const anna = await personClient(hub, t, h.people.Anna);
  const ring = await anna.next('call.invite');
  assert.equal(ring.call, placed.call);
  assert.equal(ring.from.id, kiosk.id);
  anna.send({ type: 'call.accept', call: ring.call });
  await k.next('call.accept');
  anna.send({ type: 'call.sdp', call: ring.call, sdp_type: 'answer', sdp: 'v=0\r\n' });
  assert.equal((await k.next('call.sdp')).sdp_type, 'answer');
});

test('nobody answers: the kiosk hears missed, and Anna gets a missed-call push', async (t) => {
  const { hub, h, kiosk, receiver } = await setup(t, ['--ring-timeout-s', '2']);
  await subscribeAndLeave(hub, t, h.people.Anna, receiver);
  const k = await kioskClient(hub, t, kiosk);
  const placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  assert.equal((await receiver.next()).payload.kind, 'call');
  const missed = await k.next('call.missed', 15000);
  assert.equal(missed.call, placed.call);
  assert.equal(missed.told, true, 'the kiosk may say Anna was told');
  const push = await receiver.next((p) => p.payload?.kind === 'missed_call');
  assert.deepEqual(push.errors, []);
  assert.equal(push.payload.call, placed.call);
  assert.equal(push.payload.from, 'Ingebjørg');
});

test('a subscription the push service calls gone (410) is dropped', async (t) => {
  const { hub, h, kiosk, receiver } = await setup(t);
  const sub = await subscribeAndLeave(hub, t, h.people.Anna, receiver);
  receiver.status.set(new URL(sub.endpoint).pathname, 410);
  const k = await kioskClient(hub, t, kiosk);
  const placed = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  await receiver.next();
  k.send({ type: 'call.cancel', call: placed.call });
  // the drop happens when the answer comes back: poll until a call finds nobody to reach
  let r;
  for (let i = 0; i < 50; i++) {
    r = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
    if (r.code === 'offline') break;
    k.send({ type: 'call.cancel', call: r.call });
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(r.code, 'offline');
});

test('a missed call to a kiosk is not "told"', async (t) => {
  const { hub, h, kiosk } = await setup(t, ['--ring-timeout-s', '2']);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  await k.next('call.invite');
  const missed = await anna.next('call.missed', 15000);
  assert.equal(missed.call, placed.call);
  assert.equal(missed.told, undefined);
});

test('a person without a subscription and no open page is offline, as before', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const r = await k.request({ type: 'call.invite', household: h.id, to: h.people.Anna.id });
  assert.equal(r.code, 'offline');
});

test('a reply from the kiosk is pushed; its words only to a browser that allowed them', async (t) => {
  const { hub, h, kiosk, receiver } = await setup(t);
  await subscribeAndLeave(hub, t, h.people.Anna, receiver, { name: 'quiet' });
  await subscribeAndLeave(hub, t, h.people.Anna, receiver, { name: 'words', showText: true });
  const k = await kioskClient(hub, t, kiosk);
  const sent = await k.request({ type: 'msg.post', household: h.id, client_msg_id: 'k-1', to: h.people.Anna.id, kind: 'text', text: 'Takk for blomstene!' });
  assert.equal(sent.type, 'msg.accepted', JSON.stringify(sent));
  const quiet = await receiver.next((p) => p.path.startsWith('/push/quiet'));
  const words = await receiver.next((p) => p.path.startsWith('/push/words'));
  for (const p of [quiet, words]) {
    assert.deepEqual(p.errors, []);
    assert.equal(p.payload.kind, 'message');
    assert.equal(p.payload.msg, sent.msg);
    assert.equal(p.payload.message_kind, 'text');
    assert.equal(p.payload.from, 'Ingebjørg');
  }
  assert.equal(quiet.payload.text, undefined, 'no message text without show_text');
  assert.equal(words.payload.text, 'Takk for blomstene!');
});

test("a check-in coming due is pushed once to the household's staff, not to the family", async (t) => {
  const receiver = await PushReceiver.start(t, tempDir(t));
  const conf = path.join(tempDir(t), 'hub.conf');
  fs.writeFileSync(conf, `[push]\nca_file=${receiver.files.ca}\ncontact=mailto:hub@example.org\n`);
  const hub = await startHub(t, { args: ['--config', conf] });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' },
    { name: 'Kari', relationship: 'Nurse', role: 'staff', rights: 'call,status' },
  ]);
  await subscribeAndLeave(hub, t, h.people.Anna, receiver, { name: 'anna' });
  await subscribeAndLeave(hub, t, h.people.Kari, receiver, { name: 'kari' });
  const kari = await personClient(hub, t, h.people.Kari);
  const now = Math.floor(Date.now() / 1000);
  const put = (doc, body) => kari.request({ type: 'doc.put', household: h.id, kind: 'checkin', doc, base_rev: 0, body });
  assert.equal((await put('later', { at: now + 7200, title: 'Evening' })).type, 'doc.accepted');
  assert.equal((await put('now', { at: now - 1, title: 'Morning call' })).type, 'doc.accepted');
  const push = await receiver.next((p) => p.path.startsWith('/push/kari'), 20000);
  assert.deepEqual(push.errors, []);
  assert.equal(push.payload.kind, 'checkin_due');
  assert.equal(push.payload.household, h.id);
  assert.equal(push.payload.from, 'Ingebjørg');
  assert.equal(push.payload.at, now - 1);
  assert.equal(push.payload.text, undefined, 'no title without show_text');
  // two more checks of the hub (every 5 s) go by: nothing again, nothing for Anna or the later one
  await new Promise((r) => setTimeout(r, 11000));
  assert.deepEqual(receiver.pushes.map((p) => `${p.path.split('-')[0]} ${p.payload?.kind}`), []);
});
