// Plugin platform, hub side: manifests loaded from a folder, doc.put bodies checked against
// them, kiosk.plugins kept per kiosk (forms and set-aside documents in household.state), and
// plugin answers stored once and delivered to those who should hear them.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import https from 'node:https';
import { startHub, household, pairKiosk, kioskClient, personClient, tempDir, jpegOf } from './lib.mjs';

const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pluginsDir = path.join(sourceDir, 'plugins');
const AT = 1795000000;

async function setup(t, args = ['--plugins-dir', pluginsDir]) {
  const hub = await startHub(t, { args });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders,memory_book,activities,admin' },
    { name: 'Olav', relationship: 'Grandson', rights: 'call,message' },
    { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: 'call,reminders' },
  ]);
  const kiosk = await pairKiosk(hub, t, h);
  return { hub, h, kiosk };
}

const put = (c, h, kind, doc, body, base_rev = 0) =>
  c.request({ type: 'doc.put', household: h.id, kind, doc, base_rev, body });

test('a folder of manifests: each bad one is refused with one log line, the rest load, the hub runs on', async (t) => {
  const dir = tempDir(t);
  fs.copyFileSync(path.join(pluginsDir, 'reminders', 'manifest.json'), path.join(dir, 'reminders.json'));
  const good = JSON.parse(fs.readFileSync(path.join(pluginsDir, 'activities', 'manifest.json'), 'utf8'));
  const badType = structuredClone(good);
  badType.kinds[0].fields[0].type = 'colour';
  fs.writeFileSync(path.join(dir, 'bad-type.json'), JSON.stringify(badType));
  const badRight = structuredClone(good);
  badRight.kinds[0].kind = 'outing';
  badRight.kinds[0].right = 'outings';
  fs.writeFileSync(path.join(dir, 'bad-right.json'), JSON.stringify(badRight));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"plugin": ');
  const { hub, h } = await setup(t, ['--plugins-dir', dir]);
  const lines = hub.stderr().split('\n').filter((l) => l.includes('plugin manifest'));
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines.find((l) => l.includes('bad-type.json')), /type/);
  assert.match(lines.find((l) => l.includes('bad-right.json')), /right/);
  assert.ok(lines.find((l) => l.includes('broken.json')));
  const anna = await personClient(hub, t, h.people.Anna);
  const ok = await put(anna, h, 'reminder', 'walk', { title: 'Walk', starts_at: AT });
  assert.equal(ok.type, 'doc.accepted', JSON.stringify(ok));
  for (const kind of ['activity', 'outing', 'weather']) {
    const e = await put(anna, h, kind, 'x', { title: 'Coffee', starts_at: AT });
    assert.equal(e.code, 'unknown_kind', kind);
  }
});

test('doc.put: a body that does not fit its kind is refused with its code and field, nothing stored', async (t) => {
  const { hub, h } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const cases = [
    ['reminder', {}, 'missing_field', 'title'],
    ['reminder', { title: 'Walk' }, 'missing_field', 'starts_at'],
    ['reminder', { title: 7, starts_at: AT }, 'wrong_type', 'title'],
    ['reminder', { title: 'x'.repeat(201), starts_at: AT }, 'out_of_range', 'title'],
    ['reminder', { title: 'Two\nlines', starts_at: AT }, 'bad_format', 'title'],
    ['reminder', { title: 'Walk', starts_at: '11:00' }, 'wrong_type', 'starts_at'],
    ['reminder', { title: 'Walk', starts_at: 12 }, 'out_of_range', 'starts_at'],
    ['reminder', { title: 'Walk', starts_at: AT, rrule: 'FREQ=SECONDLY' }, 'bad_format', 'rrule'],
    ['reminder', { title: 'Walk', starts_at: AT, rrule: 'every day' }, 'bad_format', 'rrule'],
    ['reminder', { title: 'Walk', starts_at: AT, colour: 'red' }, 'out_of_range', 'colour'],
    ['reminder', { title: 'Walk', starts_at: AT, time_zone: '/etc/passwd' }, 'bad_format', 'time_zone'],
    ['reminder', { title: 'Walk', starts_at: AT, time_zone: 'Mars/Olympus' }, 'bad_format', 'time_zone'],
    ['reminder', { title: 'Walk', starts_at: AT, time_zone: '../../etc/localtime' }, 'bad_format', 'time_zone'],
    ['reminder', { title: 'Walk', starts_at: AT, wait_minutes: 0 }, 'out_of_range', 'wait_minutes'],
    ['reminder', { title: 'Walk', starts_at: AT, tell: 'p_nobody' }, 'not_found', 'tell'],
    ['memory', { file: 'not-a-hash' }, 'bad_format', 'file'],
    ['memory', { file: 'a'.repeat(64) }, 'not_found', 'file'],
    ['activity', { title: 'Coffee', starts_at: AT, place: 3 }, 'wrong_type', 'place'],
  ];
  for (const [kind, body, code, field] of cases) {
    const e = await put(anna, h, kind, 'd1', body);
    assert.equal(e.type, 'error', JSON.stringify([kind, body]));
    assert.equal(e.code, code, JSON.stringify([kind, body, e]));
    assert.equal(e.field, field, JSON.stringify([kind, body, e]));
    assert.ok(e.message.length > 5);
  }
  for (const kind of ['reminder', 'memory', 'activity']) {
    const list = await anna.request({ type: 'doc.list', household: h.id, kind });
    assert.deepEqual(list.items, [], `${kind}: nothing stored`);
  }
  // deleting needs no body; a good body after the refusals starts at revision 1
  const ok = await put(anna, h, 'reminder', 'd1', { title: 'Walk', starts_at: AT, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' });
  assert.equal(ok.rev, 1);
  const full = await put(anna, h, 'reminder', 'pills', {
    title: 'Heart pills', starts_at: AT, rrule: 'FREQ=WEEKLY;INTERVAL=2', time_zone: 'Europe/Oslo',
    wait_minutes: 30, tell: h.people.Olav.id, tell_after_minutes: 45,
  });
  assert.equal(full.type, 'doc.accepted', JSON.stringify(full));
  // the right comes before the body: a person without it learns nothing about the fields
  const olav = await personClient(hub, t, h.people.Olav);
  const f = await put(olav, h, 'reminder', 'd2', {});
  assert.equal(f.code, 'forbidden');
});

// An upload as the web app makes it (POST /api/files with the session token): {file, kind}.
function uploadAs(hub, token, householdId, bytes) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}/api/files?household=${householdId}`, {
      method: 'POST', rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}`, 'Content-Length': bytes.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 201 || res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks)))
        : reject(new Error(`upload: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

// One second of (random) Ogg Opus: enough for the hub's content check.
function oggOpus() {
  const page = (granule, seq, data, flags) => {
    const h = Buffer.alloc(28);
    h.write('OggS', 0);
    h[5] = flags;
    h.writeBigUInt64LE(BigInt(granule), 6);
    h.writeUInt32LE(1234, 14);
    h.writeUInt32LE(seq, 18);
    h[26] = 1;
    h[27] = data.length;
    return Buffer.concat([h, data]);
  };
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0);
  head[8] = 1;
  head[9] = 1;
  head.writeUInt16LE(312, 10);
  head.writeUInt32LE(48000, 12);
  return Buffer.concat([page(0, 0, head, 2), page(0, 1, Buffer.from('OpusTags\0\0\0\0\0\0\0\0'), 0),
    page(312 + 48000, 2, crypto.randomBytes(100), 4)]);
}

test('a memory page\'s voice_file is a recording of the household; its added_by stays who added it', async (t) => {
  const hub = await startHub(t, { args: ['--plugins-dir', pluginsDir] });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'memory_book' },
    { name: 'Per', relationship: 'Son', rights: 'memory_book' },
  ]);
  await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  const token = h.people.Anna.session;
  const photo = await uploadAs(hub, token, h.id, jpegOf(64, 48));
  const voice = await uploadAs(hub, token, h.id, oggOpus());
  assert.equal(voice.kind, 'voice');
  for (const [value, code] of [[photo.file, 'not_found'], ['b'.repeat(64), 'not_found'], ['nope', 'bad_format'], [7, 'wrong_type']]) {
    const e = await put(anna, h, 'memory', 'p1', { file: photo.file, voice_file: value });
    assert.equal(e.code, code, JSON.stringify([value, e]));
    assert.equal(e.field, 'voice_file');
  }
  const ok = await put(anna, h, 'memory', 'p1', { file: photo.file, voice_file: voice.file, caption: 'Cabin', order: 1 });
  assert.equal(ok.type, 'doc.accepted', JSON.stringify(ok));
  assert.equal((await put(anna, h, 'memory', 'p2', { file: photo.file, order: 0 })).code, 'out_of_range', 'order starts at 1');
  // Per moves the page: added_by stays Anna, whatever the body says
  const per = await personClient(hub, t, h.people.Per);
  const moved = await put(per, h, 'memory', 'p1', { file: photo.file, caption: 'Cabin', order: 2, added_by: h.people.Per.id }, 1);
  assert.equal(moved.type, 'doc.accepted', JSON.stringify(moved));
  const list = await anna.request({ type: 'doc.list', household: h.id, kind: 'memory' });
  assert.equal(list.items[0].body.added_by, h.people.Anna.id);
  assert.equal(list.items[0].body.order, 2);
});

test('memory.look: kept as the page\'s answer only while the household shares looks; turned off, forgotten', async (t) => {
  const hub = await startHub(t, { args: ['--plugins-dir', pluginsDir] });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'memory_book,admin' },
    { name: 'Per', relationship: 'Son', rights: 'memory_book' },
  ]);
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  const per = await personClient(hub, t, h.people.Per);
  const k = await kioskClient(hub, t, kiosk);
  const photo = await uploadAs(hub, h.people.Anna.session, h.id, jpegOf(64, 48));
  await put(anna, h, 'memory', 'cabin', { file: photo.file, caption: 'Cabin' });
  const look = (key, file = photo.file) => k.request({ type: 'memory.look', household: h.id, look: key, file });

  const state = await anna.request({ type: 'household.get', household: h.id });
  assert.equal(state.household.share_looks, false, 'off by default');
  assert.equal((await look('l-1')).code, 'forbidden', 'not shared: refused');
  assert.equal((await per.request({ type: 'household.set_share_looks', household: h.id, share_looks: true })).code, 'forbidden', 'admins only');
  const listed = async () => (await anna.request({ type: 'doc.list', household: h.id, kind: 'memory' })).items[0].answers || [];
  assert.deepEqual(await listed(), [], 'nothing kept');

  assert.equal((await anna.request({ type: 'household.set_share_looks', household: h.id, share_looks: true })).type, 'ok');
  assert.equal((await look('l-2')).type, 'ok');
  assert.equal((await look('l-2')).type, 'ok', 'a retry');
  assert.equal((await look('l-3', 'c'.repeat(64))).code, 'not_found', 'no page shows that photo');
  const told = await per.next((m) => m.type === 'doc.answer' && m.kind === 'memory', 10000);
  assert.equal(told.doc, 'cabin');
  assert.ok(Number.isInteger(told.body.looked_at));
  const kept = await listed();
  assert.equal(kept.length, 1, 'stored once per key');
  assert.equal(kept[0].body.looked_at, told.body.looked_at);

  assert.equal((await anna.request({ type: 'household.set_share_looks', household: h.id, share_looks: false })).type, 'ok');
  assert.deepEqual(await listed(), [], 'turned off: the looks kept are forgotten');
  assert.equal((await look('l-4')).code, 'forbidden');
});

// Every plugin-document example of docs/protocol.md is a body the hub accepts for its kind.
test('every plugin document and answer example in docs/protocol.md is accepted by the hub', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const text = fs.readFileSync(path.join(sourceDir, 'docs', 'protocol.md'), 'utf8');
  const frames = [...text.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) => {
    try { return [JSON.parse(m[1])]; } catch { return m[1].split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)); }
  });
  const docs = [];
  for (const f of frames) {
    if ((f.type === 'doc.put' || f.type === 'doc.put_many' || f.type === 'doc.deliver') && !f.deleted) docs.push({ kind: f.kind, doc: f.doc, body: f.body });
    if (f.type === 'doc.items') for (const it of f.items) if (!it.deleted) docs.push({ kind: f.kind, doc: it.doc, body: it.body });
  }
  const answers = frames.filter((f) => f.type === 'plugin.answer' || f.type === 'doc.answer');
  assert.ok(docs.length >= 4 && answers.length >= 2, 'the examples were found');
  const anna = await personClient(hub, t, h.people.Anna);
  let n = 0;
  for (const d of docs) {
    const body = d.kind === 'checkin' ? { ...d.body, person: h.people.Anna.id } : d.body;
    const r = await put(anna, h, d.kind, `${d.doc}-${n++}`, body);
    if (d.kind === 'checkin') assert.equal(r.code, 'forbidden'); // staff only; its body rules are hub-staff's
    else assert.equal(r.type, 'doc.accepted', JSON.stringify([d, r]));
  }
  await put(anna, h, 'reminder', 'walk', docs.find((d) => d.kind === 'reminder').body);
  const k = await kioskClient(hub, t, kiosk);
  for (const a of answers) {
    const r = await k.request({ type: 'plugin.answer', household: h.id, answer: `${a.answer}-${n++}`, kind: a.kind, doc: 'walk', rev: 1, body: a.body });
    assert.equal(r.type, 'plugin.answer.accepted', JSON.stringify([a, r]));
  }
});

test('plugin.answer: stored once per key, delivered to the writer and the right holders, listed with the document', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  const wenche = await personClient(hub, t, h.people.Wenche);
  const olav = await personClient(hub, t, h.people.Olav);
  const d = await put(wenche, h, 'reminder', 'walk', { title: 'Time for your walk', starts_at: AT });
  assert.equal(d.rev, 1);
  const k = await kioskClient(hub, t, kiosk);
  const answer = { type: 'plugin.answer', household: h.id, answer: 'k1-000017', kind: 'reminder', doc: 'walk', rev: 1, body: { state: 'done', at: AT + 60 } };
  const a1 = await k.request({ ...answer });
  assert.deepEqual([a1.type, a1.answer], ['plugin.answer.accepted', 'k1-000017']);
  for (const who of [anna, wenche]) {
    const got = await who.next('doc.answer');
    assert.deepEqual([got.kind, got.doc, got.answer, got.body.state], ['reminder', 'walk', 'k1-000017', 'done']);
  }
  await olav.none('doc.answer');
  // the same key again (a retry after a lost connection): accepted, neither stored nor sent twice
  const again = await kioskClient(hub, t, kiosk);
  const a2 = await again.request({ ...answer, id: undefined });
  assert.equal(a2.type, 'plugin.answer.accepted');
  await anna.none('doc.answer', 500);
  const list = await anna.request({ type: 'doc.list', household: h.id, kind: 'reminder' });
  assert.equal(list.items[0].answers.length, 1);
  assert.equal(list.items[0].answers[0].body.state, 'done');
  // refusals: the manifest's answer fields, an unknown document, a kind nobody declares
  const bad = await again.request({ ...answer, id: undefined, answer: 'k1-000018', body: { state: 'maybe' } });
  assert.deepEqual([bad.code, bad.field], ['out_of_range', 'state']);
  const none = await again.request({ ...answer, id: undefined, answer: 'k1-000019', doc: 'swim' });
  assert.equal(none.code, 'not_found');
  const kind = await again.request({ ...answer, id: undefined, answer: 'k1-000020', kind: 'outing' });
  assert.equal(kind.code, 'unknown_kind');
  // persons may not send answers
  const forbidden = await anna.request({ ...answer, id: undefined, answer: 'p-1' });
  assert.equal(forbidden.code, 'forbidden');
  const list2 = await anna.request({ type: 'doc.list', household: h.id, kind: 'reminder' });
  assert.equal(list2.items[0].answers.length, 1);
});

test('plugin.answer: the newest 100 answers of a document are kept, doc.items shows the newest 20', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  await put(anna, h, 'reminder', 'walk', { title: 'Walk', starts_at: AT });
  const k = await kioskClient(hub, t, kiosk);
  for (let i = 0; i < 105; i++) {
    const a = await k.request({ type: 'plugin.answer', household: h.id, answer: `k1-${i}`, kind: 'reminder', doc: 'walk', rev: 1, body: { state: 'done', at: AT + i } });
    assert.equal(a.type, 'plugin.answer.accepted', JSON.stringify(a));
    await new Promise((r) => setTimeout(r, 60)); // under the 20 messages a second per connection
  }
  const list = await anna.request({ type: 'doc.list', household: h.id, kind: 'reminder' });
  assert.deepEqual(list.items[0].answers.map((a) => a.answer).slice(0, 2), ['k1-104', 'k1-103']);
  assert.equal(list.items[0].answers.length, 20);
  const { execFileSync } = await import('node:child_process');
  const count = execFileSync('sqlite3', [path.join(hub.dataDir, 'hub.db'), 'SELECT COUNT(*) FROM plugin_answers']).toString().trim();
  assert.equal(count, '100');
});

test('kiosk.plugins: persons get the kinds the kiosk runs that their rights allow; admins what is set aside', async (t) => {
  const { hub, h, kiosk } = await setup(t);
  const anna = await personClient(hub, t, h.people.Anna);
  await put(anna, h, 'reminder', 'walk', { title: 'Time for your walk', starts_at: AT });
  const before = await anna.request({ type: 'household.get', household: h.id });
  assert.deepEqual(before.household.plugin_kinds, [], 'no kiosk has said what it runs yet');
  const k = await kioskClient(hub, t, kiosk);
  const ok = await k.request({
    type: 'kiosk.plugins',
    plugins: [
      { name: 'reminders', version: '2.0.0', kinds: ['reminder'], state: 'running' },
      { name: 'activities', version: '2.0.0', kinds: ['activity'], state: 'refused' },
      { name: 'memory-book', version: '2.0.0', kinds: ['memory'], state: 'restarting' },
    ],
    quarantined: [{ plugin: 'reminders', kind: 'reminder', doc: 'walk', rev: 1, faults: 3 }],
  });
  assert.equal(ok.type, 'ok');
  const pushed = await anna.next((m) => m.type === 'household.state' && !m.re && m.household.quarantined?.length);
  assert.deepEqual(pushed.household.plugin_kinds.map((x) => x.kind), ['memory', 'reminder']);
  assert.deepEqual(pushed.household.quarantined, [{ plugin: 'reminders', kind: 'reminder', doc: 'walk', rev: 1, faults: 3, kiosk: kiosk.id, title: 'Time for your walk' }]);
  const reminder = pushed.household.plugin_kinds.find((x) => x.kind === 'reminder');
  assert.equal(reminder.right, 'reminders');
  assert.equal(reminder.fields[0].label.nb, 'Hva skal gjøres');
  const wenche = await personClient(hub, t, h.people.Wenche);
  const ws = await wenche.request({ type: 'household.get', household: h.id });
  assert.deepEqual(ws.household.plugin_kinds.map((x) => x.kind), ['reminder']);
  assert.equal(ws.household.quarantined, undefined, 'only admins hear of set-aside documents');
  const olav = await personClient(hub, t, h.people.Olav);
  const os = await olav.request({ type: 'household.get', household: h.id });
  assert.deepEqual(os.household.plugin_kinds, []);
  // the latest inventory replaces the last one, and survives a restart of the connection
  await k.request({ type: 'kiosk.plugins', plugins: [{ name: 'reminders', version: '2.0.0', kinds: ['reminder'], state: 'running' }], quarantined: [] });
  const after = await anna.request({ type: 'household.get', household: h.id });
  assert.deepEqual(after.household.plugin_kinds.map((x) => x.kind), ['reminder']);
  assert.deepEqual(after.household.quarantined, []);
});
