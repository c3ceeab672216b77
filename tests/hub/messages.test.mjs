// Durable messages and plugin documents: commit before "accepted", order, acks, exactly-once
// across kill -9, 1,000 messages to an offline kiosk, rights, revocation mid-connection.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, stopHub, admin, household, pairKiosk, kioskClient, personClient } from './lib.mjs';

const PEOPLE = [
  { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin,status,reminders' },
  { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: 'call' },
  { name: 'Kari', relationship: 'Nurse', role: 'staff', rights: 'call,message' },
];

async function setup(t, hubArg) {
  const hub = hubArg || (await startHub(t));
  const h = await household(t, hub, PEOPLE);
  const kiosk = await pairKiosk(hub, t, h);
  return { hub, h, kiosk };
}

// Receive `n` msg.deliver, acknowledging as they come; returns them.
async function receive(k, n, { ack = true, timeoutMs = 20000 } = {}) {
  const got = [];
  while (got.length < n) {
    const d = await k.next('msg.deliver', timeoutMs);
    got.push(d);
    if (ack && (got.length % 50 === 0 || got.length === n)) k.send({ type: 'msg.ack', up_to: d.seq });
  }
  return got;
}

async function postMany(p, household, count, prefix) {
  // stay under the per-connection rate limit (20/s, bursts of 40) by waiting for each answer
  const accepted = [];
  for (let i = 0; i < count; i++) {
    const a = await p.request({ type: 'msg.post', household, client_msg_id: `${prefix}-${i}`, kind: 'text', text: `hello ${i}` });
    assert.equal(a.type, 'msg.accepted', JSON.stringify(a));
    accepted.push(a.msg);
    if (i % 15 === 14) await new Promise((r) => setTimeout(r, 800));
  }
  return accepted;
}

test('text message: accepted, delivered with seq, ack, delivered/seen status, idempotent retry', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const k = await kioskClient(hub, t, kiosk);
  const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'c1', kind: 'text', text: 'Good morning, Mum!' });
  assert.equal(a.type, 'msg.accepted');
  assert.equal(a.client_msg_id, 'c1');
  const d = await k.next('msg.deliver');
  assert.equal(d.seq, 1);
  assert.equal(d.msg.id, a.msg);
  assert.equal(d.msg.text, 'Good morning, Mum!');
  assert.equal(d.msg.from.id, h.people.Anna.id);
  k.send({ type: 'msg.ack', up_to: 1 });
  const st = await anna.next('msg.status');
  assert.equal(st.state, 'delivered');
  k.send({ type: 'msg.seen', msg: a.msg });
  assert.equal((await anna.next('msg.status')).state, 'seen');
  // retry with the same client_msg_id: same message, nothing new delivered
  const again = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'c1', kind: 'text', text: 'Good morning, Mum!' });
  assert.equal(again.msg, a.msg);
  await k.none('msg.deliver');
  // kiosk to person
  const back = await k.request({ type: 'msg.post', household: h.id, client_msg_id: 'k-1', to: h.people.Anna.id, kind: 'text', text: 'Takk!' });
  assert.equal(back.type, 'msg.accepted');
  const d2 = await anna.next('msg.deliver');
  assert.equal(d2.msg.text, 'Takk!');
  assert.equal(d2.seq, 1);
});

// json-glib writes U+001F raw, and JSON.parse (every browser, and this client) refuses a raw
// control character: one such message would make the household's pages unreadable.
test('a text with control characters reaches the kiosk and the sender as parseable JSON', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const k = await kioskClient(hub, t, kiosk);
  const text = 'Hei\u001f mor\u0001\u0007!';
  const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'ctl', kind: 'text', text });
  assert.equal(a.type, 'msg.accepted');
  assert.equal((await k.next('msg.deliver')).msg.text, text);
  const back = await k.request({ type: 'msg.post', household: h.id, client_msg_id: 'k-ctl', to: h.people.Anna.id, kind: 'text', text });
  assert.equal(back.type, 'msg.accepted');
  assert.equal((await anna.next('msg.deliver')).msg.text, text);
});

test('a status the sender missed while away is sent on their next sign-in', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  let anna = await personClient(hub, t, h.people.Anna);
  const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'away-1', kind: 'text', text: 'See you soon' });
  const b = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'away-2', kind: 'text', text: 'And the cat' });
  anna.close();
  await anna.waitClosed();
  const k = await kioskClient(hub, t, kiosk);
  const d = await k.next('msg.deliver');
  await k.next('msg.deliver');
  k.send({ type: 'msg.ack', up_to: d.seq + 1 });
  k.send({ type: 'msg.seen', msg: a.msg });
  await new Promise((r) => setTimeout(r, 300)); // committed
  anna = await personClient(hub, t, h.people.Anna);
  const states = {};
  for (let i = 0; i < 2; i++) {
    const st = await anna.next('msg.status');
    states[st.msg] = st.state;
    assert.ok(st.at > 0);
  }
  assert.deepEqual(states, { [a.msg]: 'seen', [b.msg]: 'delivered' });
  // Kari sent nothing: she hears no statuses
  const kari = await personClient(hub, t, h.people.Kari);
  await kari.none('msg.status', 500);
});

test('rights matrix for messages: volunteer without message right, other household, stranger kiosk', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const other = await household(t, hub, [{ name: 'Olav', relationship: 'Son', rights: 'call,message,admin' }]);
  const k = await kioskClient(hub, t, kiosk);
  const wenche = await personClient(hub, t, h.people.Wenche);
  const e1 = await wenche.request({ type: 'msg.post', household: h.id, client_msg_id: 'w1', kind: 'text', text: 'hei' });
  assert.equal(e1.code, 'forbidden');
  const olav = await personClient(hub, t, other.people.Olav);
  const e2 = await olav.request({ type: 'msg.post', household: h.id, client_msg_id: 'o1', kind: 'text', text: 'hei' });
  assert.equal(e2.code, 'not_found');
  const e3 = await olav.request({ type: 'household.get', household: h.id });
  assert.equal(e3.code, 'not_found');
  const e4 = await wenche.request({ type: 'household.invite', household: h.id, name: 'X', relationship: 'Y', role: 'family', rights: ['call'] });
  assert.equal(e4.code, 'forbidden');
  const e5 = await wenche.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'x' } });
  assert.equal(e5.code, 'forbidden');
  const e6 = await k.request({ type: 'msg.post', household: other.id, client_msg_id: 'k1', to: other.people.Olav.id, kind: 'text', text: 'hei' });
  assert.equal(e6.code, 'not_found');
  const e7 = await wenche.request({ type: 'staff.overview' });
  assert.equal(e7.code, 'forbidden');
  await k.none('msg.deliver');
  // the connection survives all of that
  const ok = await wenche.request({ type: 'household.get', household: h.id });
  assert.equal(ok.type, 'household.state');
});

test('revoking a person closes their open connection at once', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const kari = await personClient(hub, t, h.people.Kari);
  const a = await kari.request({ type: 'msg.post', household: h.id, client_msg_id: 'k1', kind: 'text', text: 'før' });
  assert.equal(a.type, 'msg.accepted');
  const r = admin(hub.dataDir, 'revoke', '--household', h.id, '--person', h.people.Kari.id);
  assert.equal(r.ok, true);
  const e = await kari.next('error', 3000);
  assert.equal(e.code, 'revoked');
  const closed = await kari.waitClosed(3000);
  assert.equal(closed.code, 1008);
  // she cannot sign in again
  const { Client, hello } = await import('./lib.mjs');
  const again = await Client.open(hub, t);
  const w = await hello(again, { kind: 'session', token: h.people.Kari.session });
  assert.equal(w.type, 'error');
  // the others see the change
  const state = await anna.next((m) => m.type === 'household.state' && !m.re, 3000);
  assert.equal(state.household.people.some((p) => p.id === h.people.Kari.id), false);
  // revoke through the WebSocket by an admin works the same
  const wenche = await personClient(hub, t, h.people.Wenche);
  const ok = await anna.request({ type: 'household.revoke', household: h.id, person: h.people.Wenche.id });
  assert.equal(ok.type, 'ok');
  assert.equal((await wenche.next('error', 3000)).code, 'revoked');
  await wenche.waitClosed(3000);
  // and a revoked kiosk is closed too
  assert.equal(admin(hub.dataDir, 'revoke', '--household', h.id, '--kiosk', kiosk.id).ok, true);
  assert.equal((await k.next('error', 3000)).code, 'revoked');
  await k.waitClosed(3000);
});

test('durability across kill -9: accepted messages delivered after restart, exactly once, in order', async (t) => {
  const hub = await startHub(t);
  const { h, kiosk } = await setup(t, hub);
  const anna = await personClient(hub, t, h.people.Anna);
  // the kiosk receives the first 10 and acknowledges 5 of them, then goes away
  const k = await kioskClient(hub, t, kiosk);
  const first = await postMany(anna, h.id, 10, 'a');
  const got = await receive(k, 10, { ack: false });
  k.send({ type: 'msg.ack', up_to: got[4].seq });
  await k.request({ type: 'household.get', household: h.id }); // the ack has been handled
  k.close();
  await k.waitClosed();
  const more = await postMany(anna, h.id, 20, 'b');
  // kill -9 right after the last "accepted"
  assert.equal(await stopHub(hub, 'SIGKILL'), 'SIGKILL');
  const hub2 = await startHub(t, { dataDir: hub.dataDir });
  const k2 = await kioskClient(hub2, t, kiosk);
  const after = await receive(k2, 25);
  const ids = after.map((d) => d.msg.id);
  assert.deepEqual(ids, [...first.slice(5), ...more]);
  const seqs = after.map((d) => d.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
  assert.equal(new Set(seqs).size, seqs.length);
  assert.equal(seqs[0], 6);
  await k2.none('msg.deliver', 500);
  // once acknowledged, nothing comes again
  k2.close();
  await k2.waitClosed();
  const k3 = await kioskClient(hub2, t, kiosk);
  await k3.none('msg.deliver', 500);
});

test('1,000 messages to an offline kiosk arrive in order on reconnect', async (t) => {
  // 500 a person within a few seconds: above the default quotas (hub-quota tests those)
  const limits = { person_messages_per_minute: 1000, household_messages_per_minute: 2000 };
  const { hub, h, kiosk } = await setup(t, await startHub(t, { limits }));
  const people = [];
  // several senders in parallel, each within its own rate limit
  for (const name of ['Anna', 'Kari']) people.push(await personClient(hub, t, h.people[name]));
  const posts = await Promise.all(people.map((p, i) => postMany(p, h.id, 500, 'p' + i)));
  const k = await kioskClient(hub, t, kiosk);
  const got = await receive(k, 1000, { timeoutMs: 30000 });
  const seqs = got.map((d) => d.seq);
  assert.deepEqual(seqs, Array.from({ length: 1000 }, (_, i) => i + 1));
  const ids = new Set(got.map((d) => d.msg.id));
  assert.equal(ids.size, 1000);
  for (const list of posts) {
    // each sender's messages in the order they were accepted
    const order = got.filter((d) => list.includes(d.msg.id)).map((d) => d.msg.id);
    assert.deepEqual(order, list);
  }
  await k.none('msg.deliver', 500);
});

test('plugin documents: revisions, conflict, durable delivery to the kiosk, list', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const a = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'Time for your walk', starts_at: 1795000000, rrule: 'FREQ=DAILY;BYHOUR=11' } });
  assert.equal(a.type, 'doc.accepted');
  assert.equal(a.rev, 1);
  const c = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'x', starts_at: 1795000000 } });
  assert.equal(c.code, 'conflict');
  const b = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 1, body: { title: 'Walk at noon', starts_at: 1795000000 } });
  assert.equal(b.rev, 2);
  // kiosk was offline: it gets both revisions in order
  const k = await kioskClient(hub, t, kiosk);
  const d1 = await k.next('doc.deliver');
  const d2 = await k.next('doc.deliver');
  assert.deepEqual([d1.seq, d1.rev, d2.seq, d2.rev], [1, 1, 2, 2]);
  assert.equal(d2.body.title, 'Walk at noon');
  k.send({ type: 'doc.ack', up_to: 2 });
  const del = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 2, deleted: true, body: {} });
  assert.equal(del.rev, 3);
  const d3 = await k.next('doc.deliver');
  assert.equal(d3.deleted, true);
  const items = await anna.request({ type: 'doc.list', household: h.id, kind: 'reminder' });
  assert.equal(items.items.length, 1);
  assert.equal(items.items[0].deleted, true);
  // checkin documents need the staff role
  const kari = await personClient(hub, t, h.people.Kari);
  const ck = await kari.request({ type: 'doc.put', household: h.id, kind: 'checkin', doc: 'mon', base_rev: 0, body: { at: 1795000000, person: h.people.Kari.id, title: 'Check-in' } });
  assert.equal(ck.type, 'doc.accepted', JSON.stringify(ck));
  const ck2 = await anna.request({ type: 'doc.put', household: h.id, kind: 'checkin', doc: 'tue', base_rev: 0, body: { at: 1795000000, person: h.people.Anna.id, title: 'x' } });
  assert.equal(ck2.code, 'forbidden');
  const ov = await kari.request({ type: 'staff.overview' });
  assert.equal(ov.type, 'staff.kiosks');
  assert.equal(ov.items[0].kiosk, kiosk.id);
});
