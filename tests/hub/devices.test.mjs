// A person's devices: a one-time link signs another device in as the same person (the kiosk
// still has one tile for her), each device is listed and can be signed out alone (its open page
// is closed, its session refused, its push subscription dropped); an admin sees and signs out a
// member's devices; limits and bad input.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startHub, household, pairKiosk, kioskClient, personClient, Client, hello } from './lib.mjs';

const PEOPLE = [
  { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' },
  { name: 'Nils', relationship: 'Son', rights: 'call,message' },
];

async function signIn(hub, t, auth) {
  const c = await Client.open(hub, t);
  return { c, w: await hello(c, auth) };
}

const sql = (hub, q) => execFileSync('sqlite3', [path.join(hub.dataDir, 'hub.db'), q]).toString().trim();

test('a device link signs a second device in as the same person; one tile on the kiosk', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const kiosk = await pairKiosk(hub, t, h);
  const phone = await personClient(hub, t, h.people.Anna);
  const link = await phone.request({ type: 'device.link' });
  assert.equal(link.type, 'device.linked', JSON.stringify(link));
  assert.ok(link.expires_at > Date.now() / 1000 + 500 && link.expires_at <= Date.now() / 1000 + 601);
  const { c: laptop, w } = await signIn(hub, t, { kind: 'link', token: link.token, device: 'Firefox on Linux' });
  assert.equal(w.type, 'welcome', JSON.stringify(w));
  assert.equal(w.self.id, h.people.Anna.id, 'the same person, not a new one');
  assert.ok(w.session_token && w.session_token !== h.people.Anna.session, 'its own session');
  // the link works once
  const again = await signIn(hub, t, { kind: 'link', token: link.token });
  assert.equal(again.w.code, 'bad_credentials');
  // the kiosk's household still lists Anna once
  const k = await kioskClient(hub, t, kiosk);
  const state = await k.request({ type: 'household.get', household: h.id });
  const annas = state.household.people.filter((m) => m.name === 'Anna');
  assert.equal(annas.length, 1, JSON.stringify(state.household.people));
  // both devices are listed; the laptop knows which one it is
  const list = await laptop.request({ type: 'device.list' });
  assert.equal(list.type, 'device.items', JSON.stringify(list));
  assert.equal(list.person, h.people.Anna.id);
  assert.equal(list.items.length, 2);
  const mine = list.items.find((d) => d.current);
  assert.equal(mine.name, 'Firefox on Linux');
  assert.equal(mine.online, true);
  assert.ok(mine.last_seen_at > 0);
  // link tokens and session tokens are stored hashed only
  assert.equal(sql(hub, `SELECT COUNT(*) FROM sessions WHERE token_hash='${w.session_token}'`), '0');
  assert.equal(sql(hub, "SELECT COUNT(*) FROM device_links"), '0', 'a used link is gone');
});

test('signing one device out closes only that device; the other keeps its session', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const phone = await personClient(hub, t, h.people.Anna);
  const link = await phone.request({ type: 'device.link' });
  const { c: laptop, w } = await signIn(hub, t, { kind: 'link', token: link.token, device: 'Chrome on Android' });
  await laptop.request({ type: 'push.subscribe', endpoint: 'https://push.example.net/wpush/laptop', p256dh: 'B' + 'A'.repeat(86), auth: 'A'.repeat(22) });
  const list = await phone.request({ type: 'device.list' });
  const other = list.items.find((d) => !d.current);
  assert.equal(other.name, 'Chrome on Android');
  assert.equal((await phone.request({ type: 'device.revoke', device: other.id })).type, 'ok');
  const told = await laptop.next((m) => m.type === 'error' && !m.re);
  assert.equal(told.code, 'bad_credentials');
  await laptop.waitClosed();
  assert.equal((await signIn(hub, t, { kind: 'session', token: w.session_token })).w.code, 'bad_credentials');
  assert.equal(sql(hub, "SELECT COUNT(*) FROM push_subscriptions WHERE endpoint LIKE '%laptop'"), '0');
  // the phone is untouched
  assert.equal((await phone.request({ type: 'device.list' })).items.length, 1);
  assert.equal((await signIn(hub, t, { kind: 'session', token: h.people.Anna.session })).w.type, 'welcome');
  // gone is not found, and a device of someone else is not Anna's to sign out
  assert.equal((await phone.request({ type: 'device.revoke', device: other.id })).code, 'not_found');
});

test("an admin sees and signs out a member's devices; others may not", async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const anna = await personClient(hub, t, h.people.Anna);
  const nils = await personClient(hub, t, h.people.Nils);
  const ofNils = await anna.request({ type: 'device.list', household: h.id, person: h.people.Nils.id });
  assert.equal(ofNils.type, 'device.items', JSON.stringify(ofNils));
  assert.equal(ofNils.items.length, 1);
  assert.equal(ofNils.items[0].current, false);
  assert.equal((await nils.request({ type: 'device.list', household: h.id, person: h.people.Anna.id })).code, 'forbidden');
  assert.equal((await nils.request({ type: 'device.revoke', household: h.id, person: h.people.Anna.id, device: ofNils.items[0].id })).code, 'forbidden');
  assert.equal((await anna.request({ type: 'device.list', person: h.people.Nils.id })).code, 'missing_field');
  // Anna's own device id named as Nils's is not found: nothing changes
  const annaDevice = (await anna.request({ type: 'device.list' })).items[0].id;
  assert.equal((await anna.request({ type: 'device.revoke', household: h.id, person: h.people.Nils.id, device: annaDevice })).code, 'not_found');
  assert.equal((await anna.request({ type: 'device.revoke', household: h.id, person: h.people.Nils.id, device: ofNils.items[0].id })).type, 'ok');
  assert.equal((await nils.next((m) => m.type === 'error' && !m.re)).code, 'bad_credentials');
});

test('links: five open at once, ten minutes, not for kiosks', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  for (let i = 0; i < 5; i++) assert.equal((await anna.request({ type: 'device.link' })).type, 'device.linked');
  const sixth = await anna.request({ type: 'device.link' });
  assert.equal(sixth.code, 'rate_limited');
  assert.equal(sql(hub, 'SELECT COUNT(*) FROM device_links'), '5');
  const k = await kioskClient(hub, t, kiosk);
  assert.equal((await k.request({ type: 'device.link' })).code, 'forbidden');
  // an expired link signs nobody in
  sql(hub, 'UPDATE device_links SET expires_at=1');
  const link = await anna.request({ type: 'device.link' });
  assert.equal(link.type, 'device.linked');
  sql(hub, 'UPDATE device_links SET expires_at=1');
  assert.equal((await signIn(hub, t, { kind: 'link', token: link.token })).w.code, 'bad_credentials');
});
