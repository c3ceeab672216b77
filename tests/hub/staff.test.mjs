// The staff overview's figures with real data (a check-in whose time passed without its call, an
// answered call, a kiosk that went away), who may see them, and who may pair a kiosk over the
// WebSocket (household.pair).
import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, household, pairKiosk, kioskClient, personClient, Client, hello } from './lib.mjs';

const PEOPLE = [
  { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin,status' },
  { name: 'Kari', relationship: 'Nurse', role: 'staff', rights: 'call,status' },
  { name: 'Nils', relationship: 'Son', rights: 'call,message,status' },
];

const nowS = () => Math.floor(Date.now() / 1000);

async function overviewOf(kari, kiosk) {
  const ov = await kari.request({ type: 'staff.overview' });
  assert.equal(ov.type, 'staff.kiosks', JSON.stringify(ov));
  const item = ov.items.find((i) => i.kiosk === kiosk);
  assert.ok(item, `kiosk ${kiosk} not in ${JSON.stringify(ov.items)}`);
  return item;
}

test('staff overview: missed check-ins, last call and last seen from what happened', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const kiosk = await pairKiosk(hub, t, h);
  const k = await kioskClient(hub, t, kiosk);
  const kari = await personClient(hub, t, h.people.Kari);

  let item = await overviewOf(kari, kiosk.id);
  assert.equal(item.presence, 'online');
  assert.equal(item.missed_checkins, 0);
  assert.equal(item.last_call_at, undefined, 'no call yet');
  assert.ok(Math.abs(item.last_seen_at - nowS()) <= 2, `online kiosk seen now, got ${item.last_seen_at}`);

  // A check-in agreed for two hours ago, and nobody called: missed. One ten minutes ago may
  // still be called (its hour is not over): not counted yet. Nor is tomorrow's.
  const put = async (doc, at) => {
    const a = await kari.request({ type: 'doc.put', household: h.id, kind: 'checkin', doc, base_rev: 0, body: { at, person: h.people.Kari.id, title: 'Check-in' } });
    assert.equal(a.type, 'doc.accepted', JSON.stringify(a));
  };
  await put('two-hours-ago', nowS() - 2 * 3600);
  await put('ten-minutes-ago', nowS() - 600);
  await put('tomorrow', nowS() + 86400);
  item = await overviewOf(kari, kiosk.id);
  assert.equal(item.missed_checkins, 1);

  // An answered call sets "last call"; it does not make up for the check-in two hours ago.
  const before = nowS();
  const placed = await kari.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  assert.equal(placed.type, 'call.placed', JSON.stringify(placed));
  const ring = await k.next('call.invite');
  k.send({ type: 'call.accept', call: ring.call });
  await kari.next('call.accept');
  kari.send({ type: 'call.hangup', call: ring.call, reason: 'hangup' });
  await k.next('call.hangup');
  item = await overviewOf(kari, kiosk.id);
  assert.ok(item.last_call_at >= before && item.last_call_at <= nowS(), `last call ${item.last_call_at}`);
  assert.equal(item.missed_checkins, 1);

  // A call that was never answered is not a "last call".
  const nils = await personClient(hub, t, h.people.Nils);
  const unanswered = await nils.request({ type: 'call.invite', household: h.id, to: kiosk.id });
  const ring2 = await k.next('call.invite');
  k.send({ type: 'call.decline', call: ring2.call, reason: 'not_now' });
  await nils.next((m) => m.type === 'call.decline' || m.type === 'call.cancel');
  assert.equal(unanswered.type, 'call.placed');
  const lastCall = item.last_call_at;
  item = await overviewOf(kari, kiosk.id);
  assert.equal(item.last_call_at, lastCall);

  // The kiosk goes away: offline, last seen when it left (not "now" on every later look).
  const leftFrom = nowS();
  k.close();
  await k.waitClosed();
  const leftBy = nowS();
  await kari.next((m) => m.type === 'presence' && m.subject === kiosk.id && m.state === 'offline');
  item = await overviewOf(kari, kiosk.id);
  assert.equal(item.presence, 'offline');
  assert.ok(item.last_seen_at >= leftFrom && item.last_seen_at <= leftBy, `last seen ${item.last_seen_at} not in [${leftFrom}, ${leftBy}]`);
  // Stored: the same figure from the database after the hub noted it.
  const again = await overviewOf(kari, kiosk.id);
  assert.equal(again.last_seen_at, item.last_seen_at);
});

test('only staff and coordinators get the overview', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  assert.equal((await anna.request({ type: 'staff.overview' })).code, 'forbidden');
  const k = await kioskClient(hub, t, kiosk);
  const e = await k.request({ type: 'staff.overview' });
  assert.equal(e.type, 'error');
});

test('household.pair: only an admin of that household binds a waiting kiosk; a wrong code changes nothing', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, PEOPLE);
  const other = await household(t, hub, [{ name: 'Olav', relationship: 'Son', rights: 'call,admin' }]);
  const waiting = await Client.open(hub, t);
  const w = await hello(waiting, { kind: 'pair' });
  assert.equal(w.role, 'unpaired');
  assert.match(w.pairing_code, /^\d{4}-\d{4}$/);
  const code = w.pairing_code;

  const nils = await personClient(hub, t, h.people.Nils); // member, no admin right
  assert.equal((await nils.request({ type: 'household.pair', household: h.id, code })).code, 'forbidden');
  const olav = await personClient(hub, t, other.people.Olav); // admin, but of another household
  assert.equal((await olav.request({ type: 'household.pair', household: h.id, code })).code, 'not_found');
  const anna = await personClient(hub, t, h.people.Anna);
  const wrong = code.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
  assert.equal((await anna.request({ type: 'household.pair', household: h.id, code: wrong })).code, 'not_found');
  await waiting.none('paired');
  const state = await anna.request({ type: 'household.get', household: h.id });
  assert.equal(state.household.kiosks.length, 0, 'nothing was paired');

  // Typed as read off the screen, with a space.
  const ok = await anna.request({ type: 'household.pair', household: h.id, code: code.replace('-', ' ') });
  assert.equal(ok.type, 'ok', JSON.stringify(ok));
  const paired = await waiting.next('paired');
  assert.equal(paired.household, h.id);
  // The code is used: the same code again binds nothing.
  assert.equal((await anna.request({ type: 'household.pair', household: h.id, code })).code, 'not_found');
});
