// The web app with the real, headless vindu-kiosk through the real hub: a photo from the browser
// is stored and shown on the kiosk, and the resident's recorded voice reply plays in the browser;
// the browser calls the kiosk and the kiosk calls the browser,
// and video frames are decoded on both sides (the browser's getStats(), the kiosk's own count of
// rendered frames); hanging up on either side ends the call on the other; a dropped network is
// redialled by the kiosk and the browser takes the new session; the browser's camera off stops
// the pictures on the kiosk, which then shows her photo and says her camera is off, and mute
// silences what the browser sends and what the kiosk hears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanup, closeCall, createHousehold, instrumentPage, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, startHub,
  startKiosk, waitFor,
} from './harness.js';

const FRAMES = 15; // a few hundred ms of video: enough to show the stream really flows

let hub;
let browser;
let home;
let kiosk;
let anna;
let page;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await startKiosk(hub, home.provisioning_code);
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  browser = await launchBrowser();
  ({ page } = await newPerson(browser));
  await instrumentPage(page); // the app's RTCPeerConnection, for what the browser sends (getStats)
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
});
after(cleanup);

// The browser calls, the kiosk answers, and the browser decodes FRAMES of its picture.
// The kiosk's `frames=` counts since it started, not per call: baseline before each call.
let framesBefore = 0;

async function browserCallsKiosk() {
  framesBefore = (await kiosk.status()).frames;
  const incoming = kiosk.waitLine(/vindu-kiosk: state (\S*incoming\S*)/, 20000);
  await page.click('#call-button');
  await incoming;
  kiosk.command('answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await waitFor(async () => (await browserFrames()) >= FRAMES, { timeoutMs: 30000, what: 'frames decoded in the browser' });
}

async function browserHangsUp() {
  await page.click('#call-hangup');
  await page.waitForSelector('#call[data-state=ended]');
  await closeCall(page);
  await waitFor(async () => (await kiosk.status()).call === 'idle', { what: 'the kiosk back to idle', timeoutMs: 15000 });
}

// Waits until `read()` has stayed the same for `quietMs` (it stopped growing), polling; fails if
// it is still changing after timeoutMs.
async function waitStill(read, what, { quietMs = 2000, timeoutMs = 20000 } = {}) {
  let last = await read();
  let since = Date.now();
  return waitFor(async () => {
    const now = await read();
    if (now !== last) {
      last = now;
      since = Date.now();
      return false;
    }
    return Date.now() - since >= quietMs ? { value: now } : false;
  }, { timeoutMs, intervalMs: 250, what });
}

// The kiosk's current screen as --describe gives it (every widget's name, text, rectangle).
async function kioskScreen() {
  const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
  kiosk.command('describe');
  return JSON.parse((await line)[1]);
}

// What the kiosk hears: the level of the browser's audio as it plays there (dB RMS over its
// last 100 ms; -100 for silence), or -Infinity for none (no call).
const SILENT_DB = -60;
async function kioskLevel() {
  const v = (await kiosk.status()).audio_level_db;
  return v === 'none' ? -Infinity : Number(v);
}

// Waits until every reading of `read()` has stayed at or below SILENT_DB for `quietMs` in a row.
// The fake microphone beeps, and a reading between two beeps is silent: one proves nothing alone.
async function waitQuiet(read, what, { quietMs = 3000, timeoutMs = 30000 } = {}) {
  let since = null;
  return waitFor(async () => {
    if ((await read()) > SILENT_DB) {
      since = null;
      return false;
    }
    since ??= Date.now();
    return Date.now() - since >= quietMs;
  }, { timeoutMs, intervalMs: 50, what });
}

// The energy of the microphone's audio the browser's call sends (getStats media-source).
async function sentAudioEnergy() {
  return page.evaluate(async () => {
    let energy = null;
    (await window.__testPeers.at(-1).getStats()).forEach((s) => {
      if (s.type === 'media-source' && s.kind === 'audio') energy = s.totalAudioEnergy;
    });
    return energy;
  });
}

async function browserFrames() {
  return Number((await page.getAttribute('#call', 'data-frames-decoded')) || 0);
}

test('a photo from the browser is stored on the kiosk and shown there', async () => {
  const before = await kiosk.status();
  const photo = await makeJpeg(page, 3000, 2000);
  const chooser = page.waitForEvent('filechooser');
  await page.click('#photo-button');
  await (await chooser).setFiles(photo);
  // "On the screen": the kiosk acknowledged only after storing it locally (docs/protocol.md).
  await page.waitForSelector('.sent-item.kind-photo .state[data-state=delivered], .sent-item.kind-photo .state[data-state=seen]', { timeout: 30000 });
  await waitFor(async () => (await kiosk.status()).messages > before.messages, { what: 'the kiosk to hold the message' });
  // ...and the photo itself, fetched over HTTPS with the kiosk's secret and checked against its hash
  await waitFor(async () => (await kiosk.status()).photos > before.photos, { what: 'the kiosk to hold the photo' });
  // The resident touches "messages" on the home screen: the kiosk shows the photo and reports it
  // seen, and the sender's page says so.
  const shown = kiosk.waitLine(/vindu-kiosk: state (\S*messages\S*)/, 10000);
  kiosk.command('touch messages');
  await shown;
  assert.equal((await kiosk.status()).state.startsWith('messages'), true);
  await page.waitForSelector('.sent-item.kind-photo .state[data-state=seen]', { timeout: 30000 });
});

test('the resident answers with a recorded voice reply; it plays in the browser', async () => {
  // the kiosk still shows Anna's photo: "Record a reply", talk (the test tone), "Stop and send"
  const recording = kiosk.waitLine(/vindu-kiosk: state (recording)$/, 15000);
  kiosk.command('touch record-reply');
  await recording;
  await new Promise((r) => setTimeout(r, 1500));
  const sent = kiosk.waitLine(/vindu-kiosk: state (messages-notice)$/, 15000);
  kiosk.command('touch stop-send');
  await sent;
  await waitFor(async () => (await kiosk.status()).outbox === 0, { what: 'the hub to accept the reply' });
  // Anna's page lists it from Ingebjørg; one click fetches it (with her session) and plays it
  const play = '.received-item button';
  await page.waitForSelector(play, { timeout: 20000 });
  await page.click(play);
  await page.waitForSelector('.received-item audio', { timeout: 10000 });
  const audio = await page.waitForFunction(() => {
    const a = document.querySelector('.received-item audio');
    return a && (a.error || a.readyState >= 2) && { error: a.error && a.error.code, duration: a.duration };
  }, null, { timeout: 15000 });
  const { error, duration } = await audio.jsonValue();
  assert.equal(error, null, 'Chromium decodes the kiosk\'s Ogg Opus');
  assert.ok(duration > 1 && duration < 5, `a reply of about 1.5 s, not ${duration}`);
});

test('the browser calls the kiosk: video is decoded on both sides', async () => {
  await browserCallsKiosk();
  await waitFor(async () => (await kiosk.status()).frames >= framesBefore + FRAMES, { timeoutMs: 30000, what: 'frames rendered on the kiosk' });
  assert.ok(Number(await page.getAttribute('#call', 'data-first-remote-frame-ms')) > 0);
  // The resident turns the camera off: the browser says the picture has stopped instead of
  // showing a still face that looks live; back on, the note goes.
  assert.equal(await page.getAttribute('#call', 'data-remote-paused'), '0');
  kiosk.command('touch camera');
  await page.waitForSelector('#call[data-remote-paused="1"] #call-paused', { state: 'visible', timeout: 15000 });
  assert.match(await page.textContent('#call-paused'), /has stopped/);
  kiosk.command('touch camera');
  await page.waitForSelector('#call[data-remote-paused="0"]', { timeout: 15000 });
  assert.equal(await page.isVisible('#call-paused'), false);

  await browserHangsUp();
});

test('the browser\'s camera off: no more pictures on the kiosk, back on they come; mute silences the microphone', async () => {
  await browserCallsKiosk();
  await waitFor(async () => (await kiosk.status()).frames >= framesBefore + FRAMES, { timeoutMs: 30000, what: 'frames rendered on the kiosk' });
  await page.click('#call-camera');
  assert.equal(await page.getAttribute('#call-camera', 'aria-pressed'), 'true');
  assert.equal(await page.textContent('#live-indicator'), 'Your microphone is on, camera off');
  await waitFor(async () => (await kiosk.status()).remote_picture === 'live', { what: 'the kiosk to show her picture' });
  const { value: still } = await waitStill(async () => (await kiosk.status()).frames, 'the kiosk to stop rendering new frames');
  // ...and it says so, with her photo, instead of showing her last frame as if she froze
  const stopped = await waitFor(async () => {
    const s = await kiosk.status();
    return s.remote_picture === 'stopped' && s;
  }, { timeoutMs: 20000, what: 'the kiosk to say her picture stopped' });
  assert.notEqual(stopped.state, 'in-call', 'the state says so too');
  const off = await kioskScreen();
  assert.match(off.widgets.find((w) => w.name === 'picture-stopped')?.text ?? '', /Anna/, 'a sentence about her camera');
  assert.ok(off.widgets.some((w) => w.name === 'face'), 'her photo');
  assert.ok(!off.widgets.some((w) => w.name === 'remote-video'), 'no frozen picture');
  await page.click('#call-camera');
  assert.equal(await page.getAttribute('#call-camera', 'aria-pressed'), 'false');
  await waitFor(async () => (await kiosk.status()).frames >= still + FRAMES, { timeoutMs: 30000, what: 'frames on the kiosk again' });
  assert.equal((await kiosk.status()).remote_picture, 'live', 'her picture is shown again');
  const on = await kioskScreen();
  assert.ok(on.widgets.some((w) => w.name === 'remote-video'), 'her picture again');
  assert.ok(!on.widgets.some((w) => w.name === 'picture-stopped'));

  // Mute: the microphone's track is disabled and what the call sends is silence (its energy no
  // longer grows), and what the kiosk plays falls silent; sound back on, both come back.
  assert.ok((await sentAudioEnergy()) > 0, 'the fake microphone\'s tone is sent');
  await waitFor(async () => (await kioskLevel()) > SILENT_DB, { timeoutMs: 30000, what: 'the browser\'s tone heard on the kiosk' });
  await page.click('#call-mute');
  assert.equal(await page.getAttribute('#call-mute', 'aria-pressed'), 'true');
  assert.equal(await page.textContent('#live-indicator'), 'Your camera is on, microphone off');
  assert.deepEqual(await page.evaluate(() => document.getElementById('local-video').srcObject.getAudioTracks().map((tr) => tr.enabled)), [false]);
  const { value: silent } = await waitStill(sentAudioEnergy, 'the sent audio to fall silent');
  await waitQuiet(kioskLevel, 'the kiosk to hear silence');
  await page.click('#call-mute');
  assert.equal(await page.getAttribute('#call-mute', 'aria-pressed'), 'false');
  await waitFor(async () => (await sentAudioEnergy()) > silent, { what: 'sound sent again' });
  await waitFor(async () => (await kioskLevel()) > SILENT_DB, { timeoutMs: 30000, what: 'the tone heard on the kiosk again' });
  assert.equal((await kiosk.status()).state, 'in-call', 'the call went on throughout');
  await browserHangsUp();
});

test('the network under a call drops: the kiosk redials with a new session and the browser takes it', async () => {
  await browserCallsKiosk();
  const reconnecting = kiosk.waitLine(/vindu-kiosk: state (in-call-reconnecting)$/, 10000);
  kiosk.command('network-drop');
  await reconnecting;
  // a second offer in the same call: a new peer connection, then pictures again both ways
  await page.waitForSelector('#call[data-redials="1"]', { timeout: 20000 });
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await waitFor(async () => (await browserFrames()) >= FRAMES, { timeoutMs: 30000, what: 'frames decoded after the redial' });
  await waitFor(async () => (await kiosk.status()).state === 'in-call', { timeoutMs: 30000, what: 'the kiosk back in the call' });
  const shown = (await kiosk.status()).frames;
  await waitFor(async () => (await kiosk.status()).frames >= shown + FRAMES, { timeoutMs: 30000, what: 'frames on the kiosk after the redial' });
  await browserHangsUp();
});

test('the kiosk calls the browser: answered with one click, video both ways, the kiosk hangs up', async () => {
  framesBefore = (await kiosk.status()).frames;
  kiosk.command(`call ${anna.person}`);
  await page.waitForSelector('#call[data-state=incoming]', { timeout: 20000 });
  await page.click('#call-answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await waitFor(async () => (await browserFrames()) >= FRAMES, { timeoutMs: 30000, what: 'frames decoded in the browser' });
  await waitFor(async () => (await kiosk.status()).frames >= framesBefore + FRAMES, { timeoutMs: 30000, what: 'frames rendered on the kiosk' });

  kiosk.command('hangup');
  await page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
  assert.equal(await page.textContent('#call-title'), 'Ingebjørg hung up');
  await closeCall(page);
  await waitFor(async () => (await kiosk.status()).call === 'idle', { what: 'the kiosk back to idle', timeoutMs: 15000 });
});
