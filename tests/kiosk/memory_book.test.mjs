// The memory book on the kiosk's photo frame, through the real hub and a headless kiosk running
// the memory-book plugin in its runner: a page shows with its caption large; two portrait photos
// stand side by side at 1280×800 (a landscape JPEG turned by EXIF counts as portrait); a touch
// shows the photo still with "Call Anna about this photo", whose call carries the photo to
// Anna; a deleted page leaves the frame; a broken photo is skipped and the frame goes on; at
// night (the kiosk's clock) the idle frame dims to the clock in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startHub, household, personClient, tempDir, jpegOf } from '../hub/lib.mjs';
import { Kiosk } from './kiosk_process.mjs';

// A real, decodable JPEG made by GStreamer (never a committed file).
function realJpeg(t, w, h, pattern = 'smpte') {
  const out = path.join(tempDir(t), `${w}x${h}-${pattern}.jpg`);
  const r = spawnSync('gst-launch-1.0', ['-q', 'videotestsrc', 'num-buffers=1', `pattern=${pattern}`, '!',
    `video/x-raw,width=${w},height=${h}`, '!', 'jpegenc', '!', 'filesink', `location=${out}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

// The same JPEG with an EXIF APP1 segment saying orientation o (1–8), right after SOI.
export function withOrientation(jpeg, o) {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), len, body, jpeg.subarray(2)]);
}

function upload(hub, h, person, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}/api/files?household=${h.id}`, {
      method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${person.session}`, 'Content-Length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 201) reject(new Error(`upload ${res.statusCode}: ${text}`));
        else resolve(JSON.parse(text).file);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let docSeq = 0;
async function putPage(client, h, body, doc = `page-${++docSeq}`) {
  const r = await client.request({ type: 'doc.put', household: h.id, kind: 'memory', doc, base_rev: 0, body });
  assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  return doc;
}

async function describe(k) {
  const from = k.lines.length;
  k.send('describe');
  const l = await k.line(/^vindu-kiosk: describe /, 30000, from);
  return JSON.parse(l.replace('vindu-kiosk: describe ', ''));
}

const widgets = (d) => d.widgets;

async function untilDescribed(k, pred, what, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let d;
  let touched = 0;
  while (Date.now() < end) {
    d = await describe(k);
    if (pred(d, widgets(d))) return d;
    // home idle since before the first photo came: a touch beside the targets arms the idle
    // timer again (it is armed when a screen is shown or touched)
    if (d.screen === 'home' && Date.now() - touched > 4000) {
      k.send('touch orientation');
      touched = Date.now();
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`not reached: ${what}; last screen ${JSON.stringify(d).slice(0, 3000)}\nstderr:\n${k.stderr.slice(-3000)}`);
}

const named = (ws, name) => ws.find((w) => w.name === name);
const textOf = (w) => w && w.text;

async function setup(t, size = '1280x800') {
  const hub = await startHub(t);
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,memory_book,admin' },
    { name: 'Per', relationship: 'Son', rights: 'call,memory_book' },
  ]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), 'k'), h.code, ['--size', size, '--idle-seconds', '1']);
  await k.until((x) => x.connected === '1' && x.people === '2' && /plugins=[1-9]/.test(`plugins=${x.plugins}`), 90000);
  const anna = await personClient(hub, t, h.people.Anna);
  const per = await personClient(hub, t, h.people.Per);
  return { hub, h, k, anna, per };
}

test('a page shows in the frame with its caption; a touch shows it still and calls Anna about it; deleted, it leaves', async (t) => {
  const { hub, h, k, anna } = await setup(t);
  const file = await upload(hub, h, h.people.Anna, realJpeg(t, 640, 480));
  const doc = await putPage(anna, h, { file, caption: 'Summer at the cabin, 1974', chapter: 'family', people: 'Per and Kari' });
  // the hub writes who added it; the form cannot
  const listed = await anna.request({ type: 'doc.list', household: h.id, kind: 'memory' });
  assert.equal(listed.items[0].body.added_by, h.people.Anna.id);

  const frame = await untilDescribed(k, (d, ws) => d.screen === 'photo-frame' && textOf(named(ws, 'caption')) === 'Summer at the cabin, 1974',
    'the frame with the caption');
  const caption = named(widgets(frame), 'caption');
  assert.ok(caption.font_px >= 40, `caption large: ${caption.font_px} px`);

  k.send('touch photo');
  const still = await untilDescribed(k, (d) => d.screen === 'memory-view', 'the photo still');
  const ws = widgets(still);
  assert.equal(textOf(named(ws, 'caption')), 'Summer at the cabin, 1974');
  for (const name of ['previous', 'next', 'home', 'call-about']) assert.ok(named(ws, name), `${name} on the still view`);
  assert.match(textOf(named(ws, 'call-about')), /Anna/);

  k.send('touch call-about');
  const invite = await anna.next((m) => m.type === 'call.invite', 30000);
  assert.equal(invite.about_photo, file, 'the call names the photo it is about');
  anna.send({ type: 'call.decline', call: invite.call });
  await k.until((x) => x.call === 'idle' || x.call === 'ended', 30000);
  k.send('touch home');

  // deleted: the page leaves the frame (the plugin, the runner and the frame within seconds)
  const r = await anna.request({ type: 'doc.put', household: h.id, kind: 'memory', doc, base_rev: 1, deleted: true, body: {} });
  assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  const t0 = Date.now();
  await k.until((x) => x.photos === '0', 30000);
  console.log(`# the deleted page left the kiosk's frame in ${Date.now() - t0} ms`);
  await k.stop();
});

test('two portrait photos side by side at 1280×800, one turned by EXIF; a broken photo is skipped', async (t) => {
  const { hub, h, k, anna, per } = await setup(t);
  const tall = await upload(hub, h, h.people.Anna, realJpeg(t, 300, 480, 'ball'));
  // stored landscape, EXIF 6: shown a quarter turned, so portrait
  const turned = await upload(hub, h, h.people.Per, withOrientation(realJpeg(t, 480, 300, 'snow'), 6));
  // a JPEG whose header is fine and whose data is not (the hub reads only the header)
  const broken = await upload(hub, h, h.people.Anna, jpegOf(640, 480, 4000));
  await putPage(anna, h, { file: broken, caption: 'Broken' });
  await putPage(anna, h, { file: tall, caption: 'Tall' });
  await putPage(per, h, { file: turned, caption: 'Turned' });
  await k.until((x) => x.photos === '3', 60000);
  const d = await untilDescribed(k, (s, ws) => s.screen === 'photo-frame' && named(ws, 'photo-2'), 'a pair on the frame');
  const ws = widgets(d);
  const [a, b] = [named(ws, 'photo'), named(ws, 'photo-2')];
  assert.ok(a.x + a.w <= b.x, 'side by side');
  assert.ok(a.w <= 1280 / 2 && b.w <= 1280 / 2 && a.h > 400, 'each on half the screen, tall');
  assert.deepEqual(new Set([textOf(named(ws, 'caption')), textOf(named(ws, 'caption-2'))]), new Set(['Tall', 'Turned']));
  // the broken one never shows: it is skipped with one log line, and the frame goes on
  const end = Date.now() + 60000;
  while (!/is not shown: it could not be decoded/.test(k.stderr) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  assert.match(k.stderr, /photo \w+ is not shown: it could not be decoded/);
  assert.ok(!ws.some((w) => textOf(w) === 'Broken'));
  await k.stop();
});

test('at night by the kiosk\'s clock the idle frame dims to the clock in words; a touch wakes it', async (t) => {
  const { hub, h, k, anna } = await setup(t);
  const file = await upload(hub, h, h.people.Anna, realJpeg(t, 640, 480));
  await putPage(anna, h, { file, caption: 'Night test' });
  await untilDescribed(k, (d) => d.screen === 'photo-frame', 'the frame');
  // quiet hours from two to three hours from now, in the kiosk's time zone (TZ)
  const hhmm = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: process.env.TZ || 'UTC' });
  const now = Date.now();
  const q = await anna.request({ type: 'household.set_quiet_hours', household: h.id, quiet_hours: { start: hhmm(now + 2 * 3600e3), end: hhmm(now + 3 * 3600e3) } });
  assert.notEqual(q.type, 'error', JSON.stringify(q));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await describe(k)).screen, 'photo-frame', 'not night yet');
  k.send('clock-advance 7500');
  const night = await untilDescribed(k, (d) => d.screen === 'night', 'the night screen');
  assert.ok(!widgets(night).some((w) => w.role === 'image'), 'no photos at night');
  assert.ok(widgets(night).some((w) => w.name === 'orientation' && /\S/.test(w.text)), 'the day in words');
  // a touch wakes it: home
  const from = k.lines.length;
  k.send('touch night');
  await k.line(/^vindu-kiosk: state home/, 30000, from);
  // morning: out of the quiet hours, the frame comes back when idle
  k.send('clock-advance 3600');
  await untilDescribed(k, (d) => d.screen === 'photo-frame', 'the frame again after the night');
  await k.stop();
});
