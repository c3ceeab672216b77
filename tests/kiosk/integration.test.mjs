// Kiosk integration: the real vindu-kiosk (headless, --control) against the real vindu-hub on
// 127.0.0.1, with people played by WebSocket clients from the hub's test helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import https from 'node:https';
import path from 'node:path';
import { startHub, stopHub, household, personClient, tempDir, admin } from '../hub/lib.mjs';
import { Kiosk } from './kiosk_process.mjs';

// The pairing code a kiosk shows, read from its screen description. It is shown spaced for
// reading ("033 2-1 801"): the text that is 8 digits once spaces and dashes are gone.
async function shownPairingCode(k) {
  const end = Date.now() + 20000;
  while (Date.now() < end) {
    const at = k.lines.length;
    k.send('describe');
    const d = await k.line(/^vindu-kiosk: describe /, 10000, at);
    const shown = [...d.matchAll(/"text":"([\d -]+)"/g)].map((x) => x[1].replace(/[ -]/g, ''));
    const code = shown.find((x) => /^\d{8}$/.test(x));
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the pairing screen shows no code');
}

test('pairs with the provisioning code and shows home with the household\'s people', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' },
    { name: 'Ola', relationship: 'Neighbour', rights: 'message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  await k.line(/^vindu-kiosk: ready screen=pairing$/);
  await k.line(/^vindu-kiosk: state home$/);
  // only people one touch can call are on the home screen
  const s = await k.until((x) => x.people === '1' && x.connected === '1');
  assert.match(s.kiosk, /^k_/);
  await k.stop();
});

test('a message sent while the kiosk is offline is shown after reconnect, exactly once', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const dir = path.join(tempDir(t), 'k');
  let k = new Kiosk(t, hub, dir, h.code);
  await k.until((x) => x.connected === '1' && x.paired === '1');
  await k.stop();

  const anna = await personClient(hub, t, h.people.Anna);
  const acc = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'offline-1', kind: 'text', text: 'Hello Mum, see you Sunday' });
  assert.equal(acc.type, 'msg.accepted');

  k = new Kiosk(t, hub, dir, null);
  await k.until((x) => x.connected === '1' && x.messages === '1');
  // the kiosk acknowledged it only after storing it: the hub reports it delivered
  const st = await anna.next((m) => m.type === 'msg.status' && m.msg === acc.msg && m.state === 'delivered', 10000);
  assert.ok(st);
  // the same message again (a retried post) and a restart: still exactly one
  const again = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'offline-1', kind: 'text', text: 'Hello Mum, see you Sunday' });
  assert.equal(again.msg, acc.msg);
  await k.stop();
  k = new Kiosk(t, hub, dir, null);
  const s = await k.until((x) => x.connected === '1');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await k.status()).messages, '1');
  assert.equal(s.messages, '1');
  // the resident reads it (the sender sees "seen") and answers with one touch
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages-text$/);
  await anna.next((m) => m.type === 'msg.status' && m.msg === acc.msg && m.state === 'seen', 10000);
  k.send('touch reply-thanks');
  const reply = await anna.next((m) => m.type === 'msg.deliver', 10000);
  assert.equal(reply.msg.kind, 'text');
  assert.equal(reply.msg.text, 'Takk!'); // the household's language is Norwegian
  await k.stop();
});

test('a photo from the family is fetched, checked against its hash, kept and shown', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const dir = path.join(tempDir(t), 'k');
  let k = new Kiosk(t, hub, dir, h.code);
  await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const up = await upload(hub, h, h.people.Anna, TINY_JPEG);
  assert.equal(up.status, 201);
  const file = JSON.parse(up.body).file;
  await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'photo-1', kind: 'photo', file, caption: 'Snow!' });
  await k.until((x) => x.messages === '1' && x.photos === '1', 20000);
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages-photo$/);
  // kept: after a restart without the hub, the photo is still there
  await k.stop();
  k = new Kiosk(t, { wsUrl: 'wss://127.0.0.1:9/ws' }, dir, null);
  await k.until((x) => x.messages === '1' && x.photos === '1');
  await k.stop();
});

// A 1 s voice note as a browser (WebM) or another recorder (Ogg) makes it.
function voiceNote(dir, container) {
  const file = path.join(dir, `note.${container}`);
  const mux = container === 'ogg' ? 'oggmux' : 'webmmux';
  const r = spawnSync('gst-launch-1.0', ['-q', 'audiotestsrc', 'num-buffers=50', 'samplesperbuffer=960', '!',
    'audio/x-raw,rate=48000,channels=1', '!', 'opusenc', '!', mux, '!', 'filesink', `location=${file}`]);
  assert.equal(r.status, 0, String(r.stderr));
  return readFileSync(file);
}

test('voice notes from the family (Ogg and WebM Opus) play with one touch', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  for (const container of ['ogg', 'webm']) {
    const up = await upload(hub, h, h.people.Anna, voiceNote(tempDir(t), container));
    assert.equal(up.status, 201, up.body);
    await anna.request({ type: 'msg.post', household: h.id, client_msg_id: `voice-${container}`, kind: 'voice', file: JSON.parse(up.body).file, duration_ms: 1000 });
  }
  await k.until((x) => x.messages === '2');
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages-voice$/);
  // the newest (WebM, from a browser) first, then the older (Ogg); each played to its end.
  // Play is touched again while nothing plays: the note's file may still be on its way.
  const play = (times) => k.until((x) => {
    if (x.playing === '0' && Number(x.played) < times) k.send('touch play');
    return Number(x.played) >= times;
  }, 30000);
  await play(1);
  k.send('touch older');
  const s = await play(2);
  assert.equal(s.play_failed, '0');
  await k.stop();
});

test('a reminder from the family reaches the today strip, and stays there offline', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders' }]);
  const dir = path.join(tempDir(t), 'k');
  let k = new Kiosk(t, hub, dir, h.code);
  const s0 = await k.until((x) => x.connected === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const startsAt = Math.floor(Date.now() / 1000) + 60;
  const put = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0,
    body: { title: 'Time for your walk', starts_at: startsAt } });
  assert.equal(put.type, 'doc.accepted');
  await k.until((x) => Number(x.today) === Number(s0.today) + 1, 20000);
  await k.stop();
  // offline, from the cache alone
  k = new Kiosk(t, { wsUrl: 'wss://127.0.0.1:9/ws' }, dir, null);
  await k.until((x) => Number(x.today) === Number(s0.today) + 1, 20000);
  await k.stop();
});

// The strip's text on the home screen, from the kiosk's own description.
async function todayText(k) {
  const at = k.lines.length;
  k.send('describe');
  const screen = JSON.parse((await k.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  assert.equal(screen.state, 'home');
  return screen.widgets.find((w) => w.name === 'today-text').text;
}

test('check-in calls planned by staff reach the today strip on their day, and leave an hour after', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Kari', relationship: 'Home nurse', role: 'staff', rights: 'call,status' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  await k.until((x) => x.connected === '1' && x.people === '1');
  const kari = await personClient(hub, t, h.people.Kari);
  const put = (doc, at, title) => kari.request({ type: 'doc.put', household: h.id, kind: 'checkin', doc, base_rev: 0,
    body: { at: Math.floor(at / 1000), person: h.people.Kari.id, title } });
  // Independent of the wall clock (run at 23:59:58, "now" would be on the next day by the time
  // the kiosk looked): the kiosk's clock first moves on to the next 09:00, and every time below
  // is on the kiosk's day. Its clock is the wall clock plus what the test added.
  let offsetMs = 0;
  const kioskNow = () => new Date(Date.now() + offsetMs);
  const start = kioskNow();
  const nine = new Date(start.getFullYear(), start.getMonth(), start.getDate(), 9, 0);
  if (nine <= start) nine.setDate(nine.getDate() + 1);
  const toNine = Math.ceil((nine.getTime() - start.getTime()) / 1000);
  offsetMs += toNine * 1000;
  k.send(`clock-advance ${toNine}`);
  const s0 = await k.status(); // what the strip holds on that day without the check-ins
  // as the staff form plans it by default: tomorrow; then one for now (09:00 on the kiosk's day,
  // on the strip until 10:00). The hub delivers them in that order, so once today's is on the
  // strip, tomorrow's has arrived and is not on it.
  const now = kioskNow();
  const tomorrow = new Date(nine.getFullYear(), nine.getMonth(), nine.getDate() + 1, 10, 30);
  assert.equal((await put('ci-tomorrow', tomorrow.getTime(), 'Morning chat')).type, 'doc.accepted');
  assert.equal((await put('ci-now', now.getTime(), 'A chat now')).type, 'doc.accepted');
  await k.until((x) => Number(x.today) === Number(s0.today) + 1, 20000);
  // the kiosk's clock moves to tomorrow 10:00: today's has gone with its day, tomorrow's is there
  const toTen = Math.round((tomorrow.getTime() - 30 * 60000 - kioskNow().getTime()) / 1000);
  offsetMs += toTen * 1000;
  k.send(`clock-advance ${toTen}`);
  const s1 = await k.status();
  assert.equal(Number(s1.today), Number(s0.today) + 1);
  assert.match(await todayText(k), /^Kari ringer kl\. 10:30$/);
  // an hour after its time (11:31) it leaves the strip by itself
  k.send(`clock-advance ${91 * 60}`);
  assert.equal((await k.status()).today, s0.today);
  assert.doesNotMatch(await todayText(k), /10:30/);
  await k.stop();
});

test('a plugin answer given while the hub is away is kept and arrives once when it is back', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  await k.until((x) => x.connected === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const put = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0,
    body: { title: 'Time for your walk', starts_at: 1795000000 } });
  assert.equal(put.type, 'doc.accepted', JSON.stringify(put));
  k.send('plugin-answer reminder walk 1 {"state":"done","at":1795000100}');
  const live = await anna.next('doc.answer', 20000);
  assert.equal(live.body.state, 'done');
  await k.until((x) => x.answers === '0');
  const port = hub.port;
  anna.close();
  await stopHub(hub);
  await k.until((x) => x.connected === '0', 10000);
  k.send('plugin-answer reminder walk 1 {"state":"later","at":1795000200}');
  await k.until((x) => x.answers === '1');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await k.status()).answers, '1', 'kept while the hub is away');
  const hub2 = await startHub(t, { dataDir: hub.dataDir, args: ['--port', String(port)] });
  await k.until((x) => x.connected === '1' && x.answers === '0', 60000);
  const anna2 = await personClient(hub2, t, h.people.Anna);
  const list = await anna2.request({ type: 'doc.list', household: h.id, kind: 'reminder' });
  const states = list.items[0].answers.map((a) => a.body.state).sort();
  assert.deepEqual(states, ['done', 'later'], 'each answer stored once');
  // a malformed answer is refused by the kiosk at once, and nothing is queued
  const from = k.lines.length;
  k.send('plugin-answer reminder walk 1 [1,2]');
  await k.line(/^vindu-kiosk: plugin-answer refused: /, 10000, from);
  assert.equal((await k.status()).answers, '0');
  await k.stop();
});

test('answers of one kind waiting for the hub are bounded: the 201st is refused, other kinds still kept', async (t) => {
  const k = new Kiosk(t, { wsUrl: 'wss://127.0.0.1:9/ws' }, path.join(tempDir(t), 'k'), null);
  await k.until((x) => x.connected === '0');
  for (let i = 0; i < 200; i++) k.send(`plugin-answer reminder walk 1 {"state":"done","n":${i}}`);
  await k.until((x) => x.answers === '200');
  const from = k.lines.length;
  k.send('plugin-answer reminder walk 1 {"state":"done"}');
  await k.line(/^vindu-kiosk: plugin-answer refused: 200 answers of this kind already wait/, 10000, from);
  k.send('plugin-answer activity coffee 1 {"reply":"yes"}');
  await k.until((x) => x.answers === '201');
  await k.stop();
});

test('the kiosk tells the hub which plugins run at every sign-in and when it changes', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders,admin' }]);
  // no plugins of its own: what the kiosk reports is only what this test sets (with plugins, the
  // kiosk reports its real runners, as tests/web/plugins_kiosk.test.js shows)
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code, ['--plugins-dir', tempDir(t)]);
  await k.until((x) => x.connected === '1');
  const port = hub.port;
  await stopHub(hub);
  await k.until((x) => x.connected === '0', 10000);
  // set while the hub is away: nothing can be sent now, so it must go at the next sign-in
  k.send('plugin-inventory {"plugins":[{"name":"reminders","version":"2.0.0","state":"running","kinds":["reminder"]}],"quarantined":[]}');
  const hub2 = await startHub(t, { dataDir: hub.dataDir, args: ['--port', String(port)] });
  await k.until((x) => x.connected === '1', 60000);
  const anna = await personClient(hub2, t, h.people.Anna);
  const kinds = async () => (await anna.request({ type: 'household.get', household: h.id })).household.plugin_kinds.map((x) => x.kind);
  for (let i = 0; i < 50 && (await kinds()).length === 0; i++) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(await kinds(), ['reminder']);
  // a change while signed in goes at once: a document set aside reaches the admin
  const put = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'Walk', starts_at: 1795000000 } });
  assert.equal(put.type, 'doc.accepted');
  k.send('plugin-inventory {"plugins":[{"name":"reminders","version":"2.0.0","state":"restarting","kinds":["reminder"]}],"quarantined":[{"plugin":"reminders","kind":"reminder","doc":"walk","rev":1,"faults":3}]}');
  const state = await anna.next((m) => m.type === 'household.state' && m.household.quarantined && m.household.quarantined.length, 20000);
  assert.equal(state.household.quarantined[0].title, 'Walk');
  await k.stop();
});

test('a person\'s call rings the kiosk; "Not now" declines it over the hub', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  const s = await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: s.kiosk });
  assert.equal(placed.type, 'call.placed');
  await anna.next((m) => m.type === 'call.ringing' && m.call === placed.call);
  await k.line(/^vindu-kiosk: state incoming$/);
  k.send('touch decline');
  const d = await anna.next((m) => m.type === 'call.decline' && m.call === placed.call);
  assert.equal(d.reason, 'not_now');
  await k.line(/^vindu-kiosk: state call-ended-declined$/);
  await k.stop();
});

test('without a microphone the kiosk says so and rings nobody; a call to it is declined at once', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code, ['--media-test-no-microphone']);
  const s = await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const from = k.lines.length;
  k.send(`touch tile:${h.people.Anna.id}`);
  await k.line(/^vindu-kiosk: state call-ended-no-microphone$/, 10000, from);
  assert.ok(!k.lines.slice(from).some((l) => l === 'vindu-kiosk: state calling'), 'never "Calling Anna…"');
  const at = k.lines.length;
  k.send('describe');
  const screen = JSON.parse((await k.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  assert.equal(screen.widgets.find((w) => w.name === 'sentence').text,
    'Mikrofonen virker ikke, så Anna ble ikke ringt opp. En hjelper kan se på den.');
  assert.deepEqual(screen.widgets.filter((w) => w.action).map((w) => w.action), ['home']);
  // Anna calls: declined at once, never rung. The hub relays the kiosk's frames to her in order,
  // so a call.invite from the kiosk's touch would be in her inbox before this decline.
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: s.kiosk });
  assert.equal(placed.type, 'call.placed', JSON.stringify(placed));
  const d = await anna.next((m) => m.type === 'call.decline' && m.call === placed.call, 10000);
  assert.equal(d.reason, 'no_microphone'); // her page says why, not "cannot take the call now"
  assert.deepEqual(anna.inbox.filter((m) => m.type.startsWith('call.')), [], 'no invite and no ringing reached Anna');
  await k.line(/^vindu-kiosk: state call-ended-missed-no-microphone$/, 10000, at);
  await k.until((x) => x.messages === '1'); // the missed call is kept for the messages screen
  await k.stop();
});

test('auto-answer only with recorded consent, and one touch stops the countdown', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,auto_answer' }]);
  assert.equal(admin(hub.dataDir, 'consent', '--household', h.id, '--person', h.people.Anna.id, '--agreed-by', 'Ingebjørg').ok, true);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  const s = await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const placed = await anna.request({ type: 'call.invite', household: h.id, to: s.kiosk });
  await k.line(/^vindu-kiosk: state incoming-auto-answer$/);
  k.send('touch face'); // a touch anywhere but the buttons
  await k.line(/^vindu-kiosk: state incoming$/);
  // nothing streams: after the countdown's 10 s the kiosk still rings, no accept was sent
  await anna.none((m) => m.type === 'call.accept', 11000);
  assert.equal((await k.status()).call, 'ringing');
  await anna.request({ type: 'call.cancel', call: placed.call }).catch(() => {});
  await k.line(/^vindu-kiosk: state call-ended-missed$/);
  await k.stop();
});

test('the kiosk comes back by itself after the hub restarts', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  // by name: resolved off the main loop, each of its addresses (::1, 127.0.0.1) tried in turn
  const byName = { wsUrl: hub.wsUrl.replace('127.0.0.1', 'localhost') };
  assert.notEqual(byName.wsUrl, hub.wsUrl);
  const k = new Kiosk(t, byName, path.join(tempDir(t), 'k'), h.code);
  // signed in AND the household's people have arrived (household.get answers after the welcome)
  const before = await k.until((x) => x.connected === '1' && x.people === '1');
  // Anna online: her tile says she is available
  const anna = await personClient(hub, t, h.people.Anna);
  const describe = async () => {
    const at = k.lines.length;
    k.send('describe');
    return JSON.parse((await k.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  };
  const until = Date.now() + 10000;
  while (!(await describe()).widgets.some((w) => w.name === 'available')) {
    assert.ok(Date.now() < until, 'Anna never shown available');
    await new Promise((r) => setTimeout(r, 200));
  }
  const port = hub.port;
  anna.close();
  await stopHub(hub);
  await k.until((x) => x.connected === '0' && x.state === 'home-offline', 5000);
  // offline: the home screen stays, with its people (never a blank screen), nobody shown
  // available, and it says it is not connected, within 5 s of the hub going away
  const off = await k.status();
  assert.equal(off.state, 'home-offline');
  assert.equal(off.people, '1');
  const offScreen = await describe();
  assert.equal(offScreen.widgets.some((w) => w.name === 'available'), false);
  assert.equal(offScreen.widgets.find((w) => w.name === 'offline').text, 'Ikke tilkoblet. En hjelper kan se på det.');
  // a touch on her face: the connection sentence at once, never "cannot talk" / "did not answer"
  const from = k.lines.length;
  k.send(`touch ${offScreen.widgets.find((w) => w.role === 'tile').name}`);
  await k.line(/^vindu-kiosk: state call-ended-not-connected$/, 10000, from);
  const ended = await describe();
  assert.equal(ended.widgets.find((w) => w.name === 'sentence').text,
    'Denne skjermen er ikke tilkoblet akkurat nå, så Anna kan ikke ringes. En hjelper kan se på det.');
  k.send('touch home');
  const hub2 = await startHub(t, { dataDir: hub.dataDir, args: ['--port', String(port)] });
  assert.equal(hub2.port, port);
  const after = await k.until((x) => x.connected === '1' && Number(x.connections) > Number(before.connections), 40000);
  assert.equal(after.paired, '1');
  await k.stop();
});

// A 1×1 JPEG: enough for the hub's content check and the kiosk's decoder.
const TINY_JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=', 'base64');

// POST a file to the hub as a person.
function upload(hub, h, person, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}/api/files?household=${h.id}`, {
      method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: 'Bearer ' + person.session, 'Content-Length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// GET a file from the hub as a person (session token).
function getFile(hub, h, person, hash) {
  return new Promise((resolve, reject) => {
    const req = https.get(`${hub.url}/api/files/${hash}?household=${h.id}`,
      { headers: { Authorization: 'Bearer ' + person.session }, rejectUnauthorized: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      });
    req.on('error', reject);
  });
}

function assertOggOpus(body) {
  assert.equal(body.subarray(0, 4).toString('latin1'), 'OggS', 'an Ogg file');
  assert.ok(body.includes(Buffer.from('OpusHead')), 'an Opus stream');
}

test('a recorded voice reply reaches the person as Ogg Opus; one recorded offline is kept and sent on reconnect', { timeout: 180000 }, async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code, ['--settings-pin', '2468']);
  const s0 = await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'ask-1', kind: 'text', text: 'How are the tomatoes?' });
  await k.until((x) => x.messages === '1');
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages-text$/);
  let from = k.lines.length;
  k.send('touch record-reply');
  await k.line(/^vindu-kiosk: state recording$/, 15000, from);
  assert.equal((await k.status()).recording, '1');
  await new Promise((r) => setTimeout(r, 1500));
  from = k.lines.length;
  k.send('touch stop-send');
  await k.line(/^vindu-kiosk: state messages-notice$/, 15000, from);
  const d = await anna.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'voice', 20000)
    .catch((e) => { throw new Error(e.message + '\nkiosk stderr:\n' + k.stderr.slice(-3000)); });
  assert.equal(d.msg.from.id, s0.kiosk);
  assert.ok(d.msg.duration_ms >= 1000 && d.msg.duration_ms < 10000, `duration ${d.msg.duration_ms} ms`);
  const f = await getFile(hub, h, h.people.Anna, d.msg.file);
  assert.equal(f.status, 200);
  assertOggOpus(f.body);
  await k.until((x) => x.outbox === '0' && x.recording === '0');

  // The hub goes away: a reply recorded now is kept, then sent by itself, once, when it is back.
  const port = hub.port;
  anna.close();
  await stopHub(hub);
  await k.until((x) => x.connected === '0', 10000);
  from = k.lines.length;
  k.send('touch record-reply');
  await k.line(/^vindu-kiosk: state recording$/, 15000, from);
  await new Promise((r) => setTimeout(r, 1200));
  k.send('touch stop-send');
  await k.until((x) => x.outbox === '1' && x.recording === '0');
  k.send('touch reply-thanks'); // a quick reply after it: kept too, and sent after it
  await k.until((x) => x.outbox === '2');
  // a helper sees them waiting in the settings (five taps on the clock, then the code)
  k.send('touch home');
  await k.line(/^vindu-kiosk: state home-offline$/, 10000, from);
  for (let i = 0; i < 5; i++) k.send('touch clock');
  await k.line(/^vindu-kiosk: state settings-pin$/, 10000, from);
  for (const d of '2468') k.send(`touch digit-${d}`);
  await k.line(/^vindu-kiosk: state settings$/, 10000, from);
  const at = k.lines.length;
  k.send('describe');
  const screen = JSON.parse((await k.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  const net = screen.widgets.find((w) => w.name === 'network');
  assert.match(net.text, /^Ikke tilkoblet.* 2 svar venter på å bli sendt\.$/, net.text);
  assert.equal(net.fits, true, 'the longer line still fits its place');
  k.send('touch done');
  const hub2 = await startHub(t, { dataDir: hub.dataDir, args: ['--port', String(port)] });
  await k.until((x) => x.connected === '1' && x.outbox === '0', 60000);
  const anna2 = await personClient(hub2, t, h.people.Anna);
  const got = [];
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    const m = await anna2.next((x) => x.type === 'msg.deliver', 1000).catch(() => null);
    if (m) { got.push(m); anna2.send({ type: 'msg.ack', up_to: m.seq }); }
  }
  const fresh = got.filter((m) => m.msg.id !== d.msg.id);
  assert.deepEqual(fresh.map((m) => m.msg.kind), ['voice', 'text'],
    'what was sent offline arrives exactly once, in order: ' + JSON.stringify(got.map((m) => [m.msg.id, m.msg.kind])));
  assert.equal(fresh[1].msg.text, 'Takk!');
  assertOggOpus((await getFile(hub2, h, h.people.Anna, fresh[0].msg.file)).body);
  await k.stop();
});

test('two headless kiosks call each other and each renders the other\'s frames and its own self-view; a dropped network is redialled', { timeout: 240000 }, async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const a = new Kiosk(t, hub, path.join(tempDir(t), 'a'), h.code);
  await a.until((x) => x.connected === '1' && x.paired === '1' && x.kiosk.startsWith('k_'));
  // a provisioning code pairs one kiosk: the second is paired with the code it shows
  const b = new Kiosk(t, hub, path.join(tempDir(t), 'b'), null);
  const code = await shownPairingCode(b);
  assert.equal(admin(hub.dataDir, 'pair', '--household', h.id, '--code', code).ok, true);
  // signed in with the device secret (paired), not the pairing connection about to close
  const sb = await b.until((x) => x.connected === '1' && x.paired === '1' && x.kiosk.startsWith('k_'));
  a.send(`call ${sb.kiosk}`);
  await a.line(/^vindu-kiosk: state calling$/);
  await b.line(/^vindu-kiosk: state incoming$/, 15000);
  b.send('touch answer');
  const fa = await a.until((x) => x.call === 'in-call' && Number(x.frames) >= 30, 60000);
  const fb = await b.until((x) => x.call === 'in-call' && Number(x.frames) >= 30, 60000);
  assert.ok(Number(fa.frames) >= 30 && Number(fb.frames) >= 30);
  // Each shows its own camera small, too.
  await a.until((x) => Number(x.self_frames) >= 10, 60000);
  const before = Number((await b.until((x) => Number(x.self_frames) >= 10, 60000)).self_frames);
  // Camera off: the self-view stops (its placeholder says so); the call goes on.
  b.send('touch camera');
  await b.line(/^vindu-kiosk: state in-call-camera-off$/, 15000);
  await new Promise((r) => setTimeout(r, 1000)); // a frame already past the valve may land
  const off = Number((await b.status()).self_frames);
  assert.ok(off >= before);
  await new Promise((r) => setTimeout(r, 1500));
  const still = await b.status();
  assert.equal(Number(still.self_frames), off, 'self-view frames while the camera is off');
  assert.equal(still.call, 'in-call');
  // The other kiosk no longer shows her last frame as if she froze: her photo and a sentence.
  const aStopped = await a.until((x) => x.remote_picture === 'stopped', 30000);
  assert.notEqual(aStopped.state, 'in-call', 'the state says so too');
  const at = a.lines.length;
  a.send('describe');
  const scr = JSON.parse((await a.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  assert.ok(scr.widgets.some((w) => w.name === 'picture-stopped'), 'a sentence about her camera');
  assert.ok(scr.widgets.some((w) => w.name === 'face') && !scr.widgets.some((w) => w.name === 'remote-video'),
    'her photo, not her frozen picture');
  b.send('touch camera');
  await b.until((x) => Number(x.self_frames) >= off + 10, 60000);
  await a.until((x) => x.remote_picture === 'live', 30000);
  // The caller's network drops: it redials with a new offer before the other kiosk noticed
  // anything; that one takes the new session, and pictures flow both ways again.
  const fa2 = Number((await a.status()).frames);
  const fb2 = Number((await b.status()).frames);
  const bFrom = b.lines.length;
  a.send('network-drop');
  await a.line(/^vindu-kiosk: state in-call-reconnecting$/, 10000);
  await a.until((x) => x.state === 'in-call' && Number(x.frames) >= fa2 + 30, 60000);
  await b.until((x) => x.call === 'in-call' && Number(x.frames) >= fb2 + 30, 60000);
  // ...at once: it never had to find out for itself that the old session was dead
  assert.ok(!b.lines.slice(bFrom).some((l) => l.includes('state in-call-reconnecting')),
    'the callee took the redial offer instead of waiting to lose the old session');
  a.send('touch hangup');
  await a.line(/^vindu-kiosk: state call-ended-hung-up$/);
  await b.line(/^vindu-kiosk: state call-ended-remote-hung-up$/, 15000);
  await a.stop();
  await b.stop();
});

// Before: the kiosk fell back to its provisioning code when its secret was revoked and was
// paired again, as a new kiosk, within 3 s, with no admin step.
test('a removed kiosk stops, shows a new code, and is back only when an admin types it', { timeout: 120000 }, async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  const first = await k.until((x) => x.connected === '1' && x.paired === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  const gone = await anna.request({ type: 'household.revoke', household: h.id, person: first.kiosk });
  assert.equal(gone.type, 'ok');
  await k.until((x) => x.paired === '0' && x.state === 'pairing' && x.connected === '1');
  // it waits with a new code; nothing pairs it in the meantime
  const code = await shownPairingCode(k);
  await new Promise((r) => setTimeout(r, 4000));
  const listed = admin(hub.dataDir, 'list').households.find((x) => x.id === h.id);
  assert.equal((listed.kiosks || []).length, 0, 'no kiosk came back by itself');
  assert.equal((await k.status()).paired, '0');
  // an admin types the code: a new kiosk, home again
  const ok = await anna.request({ type: 'household.pair', household: h.id, code });
  assert.equal(ok.type, 'ok', JSON.stringify(ok));
  const back = await k.until((x) => x.connected === '1' && x.paired === '1' && x.kiosk !== '-');
  assert.notEqual(back.kiosk, first.kiosk);
  await k.stop();
});

// A PNG that declares 30000×30000 pixels (1-bit grey, deflated to ~110 KB): decoding it needs
// 3.6 GB. Before: the kiosk peaked at 4.3 GB and tried again on every redraw.
function bombPng() {
  const crc32 = (buf) => {
    let c = ~0;
    for (const b of buf) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
    return (~c) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const side = 30000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0); ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; ihdr[9] = 0; // 1 bit, greyscale
  const raw = Buffer.alloc(side * (1 + side / 8)); // filter byte 0 + zero pixels, every row
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

test('a decompression-bomb photo that got onto the kiosk is skipped with bounded memory, once', { timeout: 120000 }, async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code);
  await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  // the hub refuses it now, so it is put into the hub's store the way an older hub kept it
  const png = bombPng();
  assert.equal((await upload(hub, h, h.people.Anna, png)).status, 413);
  const hash = crypto.createHash('sha256').update(png).digest('hex');
  const dir = path.join(hub.dataDir, 'files', hash.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, hash), png);
  const now = Math.floor(Date.now() / 1000);
  const sql = `INSERT INTO files(sha256, kind, mime, size, created_at) VALUES('${hash}','photo','image/png',${png.length},${now});` +
    `INSERT INTO file_households(sha256, household_id, uploaded_by) VALUES('${hash}','${h.id}','${h.people.Anna.id}');`;
  assert.equal(spawnSync('sqlite3', [path.join(hub.dataDir, 'hub.db'), sql]).status, 0);
  const r = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'bomb', kind: 'photo', file: hash, caption: 'Big' });
  assert.equal(r.type, 'msg.accepted', JSON.stringify(r));
  await k.until((x) => x.messages === '1' && x.photos === '1', 30000);
  // show it, and redraw a few times
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages/);
  for (let i = 0; i < 3; i++) {
    const at = k.lines.length;
    k.send('describe');
    await k.line(/^vindu-kiosk: describe /, 10000, at);
  }
  const s = await k.status();
  assert.equal(s.connected, '1');
  const peakKb = Number(readFileSync(`/proc/${k.child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]);
  t.diagnostic(`kiosk peak RSS ${Math.round(peakKb / 1024)} MB`);
  assert.ok(peakKb < 200 * 1024, `peak RSS ${peakKb} kB`);
  const said = k.stderr.match(/is not shown: 30000×30000 pixels/g) || [];
  assert.equal(said.length, 1, 'refused once, never tried again:\n' + k.stderr.slice(-2000));
  await k.stop();
});
