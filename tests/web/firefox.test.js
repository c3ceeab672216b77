// The web app in Debian's firefox-esr (headless, WebDriver BiDi through puppeteer-core, Firefox's
// fake camera and microphone) against the real hub and the real, headless kiosk: join by link,
// send a text and a photo, a call each way with video frames and sound arriving on both sides,
// and the camera off on either side: the kiosk must say her camera is off ("stopped", her photo)
// each time, and Firefox that the resident's picture has stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIREFOX, cleanup, createHousehold, invite, launchFirefox, makeJpeg, newFirefoxPerson, startHub, startKiosk,
  waitFor,
} from './harness.js';

const FRAMES = 15; // a few hundred ms of video: the stream really flows
const HEARD_DB = -60; // the kiosk hears her: louder than this in some reading

let hub;
let home;
let kiosk;
let anna;
let page;
let errors;
const kioskStates = []; // every "vindu-kiosk: state" line, to see what the resident was told

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await startKiosk(hub, home.provisioning_code);
  kiosk.onLine((line) => {
    const m = /^vindu-kiosk: state (\S+)/.exec(line);
    if (m) kioskStates.push(m[1]);
  });
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchFirefox();
  assert.ok(browser, `${FIREFOX} is needed for these tests: run make deps`);
  ({ page, errors } = await newFirefoxPerson(browser));
});
after(cleanup);

const attr = (selector, name) => page.$eval(selector, (el, n) => el.getAttribute(n), name).catch(() => null);
const text = (selector) => page.$eval(selector, (el) => el.textContent);
const browserFrames = async () => Number((await attr('#call', 'data-frames-decoded')) || 0);

// Sound the browser receives and sends: inbound / outbound audio RTP of the app's connection.
async function browserAudio() {
  return page.evaluate(async () => {
    const out = { packetsIn: 0, energyIn: 0, packetsOut: 0 };
    const pc = window.__testPeers.at(-1);
    if (!pc) return out;
    (await pc.getStats()).forEach((s) => {
      if (s.kind !== 'audio') return;
      if (s.type === 'inbound-rtp') {
        out.packetsIn += s.packetsReceived || 0;
        out.energyIn += s.totalAudioEnergy || 0;
      }
      if (s.type === 'outbound-rtp') out.packetsOut += s.packetsSent || 0;
    });
    return out;
  });
}

async function kioskLevel() {
  const v = (await kiosk.status()).audio_level_db;
  return v === 'none' ? -Infinity : Number(v);
}

// In a connected call: frames decoded on both sides, and sound arriving on both sides.
async function mediaBothWays() {
  await waitFor(async () => (await browserFrames()) >= FRAMES, { timeoutMs: 30000, what: 'the kiosk\'s video decoded in Firefox' });
  const start = (await kiosk.status()).frames;
  await waitFor(async () => (await kiosk.status()).frames >= start + FRAMES, { timeoutMs: 30000, what: 'Firefox\'s video shown on the kiosk' });
  const a0 = await browserAudio();
  await waitFor(async () => {
    const a = await browserAudio();
    return a.packetsIn > a0.packetsIn + 20 && a.packetsOut > a0.packetsOut + 20 && a.energyIn > 0;
  }, { timeoutMs: 20000, what: 'the kiosk\'s sound arriving in Firefox (and Firefox sending)' });
  await waitFor(async () => (await kioskLevel()) > HEARD_DB, { timeoutMs: 20000, intervalMs: 50, what: 'Firefox\'s sound heard on the kiosk' });
}

async function hangUpFromBrowser() {
  await click('#call-hangup');
  await page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
  await click('#call-close');
  await page.waitForSelector('#call', { hidden: true, timeout: 15000 });
  await waitFor(async () => (await kiosk.status()).call === 'idle', { what: 'the kiosk back to idle', timeoutMs: 15000 });
}

// The household view is drawn again when household.state changes (the kiosk reports its plugins
// just after it signs in), so a button found a moment ago may have been replaced: click again.
async function click(selector) {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.click(selector);
      return;
    } catch (e) {
      if (attempt >= 5 || !/detached/i.test(String(e.message))) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

test('Firefox joins by the invite link and sees the kiosk online', async () => {
  await page.goto(anna.link);
  await page.waitForSelector('.home h1', { timeout: 20000 });
  assert.equal(await text('.home h1'), 'Hello, Anna');
  assert.ok(!page.url().includes('join='), 'the one-time token left the address bar');
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
  await page.waitForSelector('#call-button', { visible: true });
});

test('Firefox sends a text and a photo; both reach the kiosk', async () => {
  const before = await kiosk.status();
  await page.type('#text-input', 'Hei mamma, vi kommer på søndag!');
  await click('#text-send');
  await page.waitForSelector('.sent-item.kind-text .state[data-state=delivered], .sent-item.kind-text .state[data-state=seen]', { timeout: 30000 });
  const photo = await makeJpeg(page, 1600, 1200); // made by Firefox itself (OffscreenCanvas)
  const input = await page.$('#photo-input');
  await input.uploadFile(photo);
  await page.waitForSelector('.sent-item.kind-photo .state[data-state=delivered], .sent-item.kind-photo .state[data-state=seen]', { timeout: 30000 });
  await waitFor(async () => {
    const s = await kiosk.status();
    return s.messages >= before.messages + 2 && s.photos > before.photos;
  }, { what: 'the kiosk to hold the text, the photo message and the photo' });
});

test('Firefox calls the kiosk: video and sound both ways; camera off on either side is said', async () => {
  const incoming = kiosk.waitLine(/vindu-kiosk: state (\S*incoming\S*)/, 20000);
  await click('#call-button');
  await incoming;
  kiosk.command('answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await mediaBothWays();

  // Her camera off, three times: the kiosk says her camera is off (stopped), with her photo,
  // never "the picture has paused, the connection is weak" on this clean loopback link.
  for (let i = 0; i < 3; i++) {
    const from = kioskStates.length;
    await click('#call-camera');
    await waitFor(async () => (await kiosk.status()).remote_picture === 'stopped', { timeoutMs: 20000, what: `the kiosk to say her camera is off (${i + 1})` });
    await click('#call-camera');
    await waitFor(async () => (await kiosk.status()).remote_picture === 'live', { timeoutMs: 20000, what: `her picture back on the kiosk (${i + 1})` });
    const said = kioskStates.slice(from);
    assert.ok(said.includes('in-call-picture-stopped'), `the kiosk said: ${said.join(', ')}`);
    // A weak link is judged on loss and round trip held for 2 s (media/stats.c); on this
    // shared machine a loaded CPU can make even loopback weak, so it is reported, not failed on.
    if (said.some((s) => s === 'in-call-weak' || s === 'in-call-picture-paused')) {
      console.log(`# note: the kiosk also said the link was weak around camera-off ${i + 1}: ${said.join(', ')}`);
    }
  }

  // The resident's camera off: Firefox says the picture has stopped; on again, the note goes.
  kiosk.command('touch camera');
  await page.waitForSelector('#call[data-remote-paused="1"] #call-paused', { visible: true, timeout: 15000 });
  assert.match(await text('#call-paused'), /has stopped/);
  kiosk.command('touch camera');
  await page.waitForSelector('#call[data-remote-paused="0"]', { timeout: 15000 });

  await hangUpFromBrowser();
});

test('the kiosk calls Firefox: answered with one click, video and sound both ways', async () => {
  kiosk.command(`call ${anna.person}`);
  await page.waitForSelector('#call[data-state=incoming]', { timeout: 20000 });
  await click('#call-answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await mediaBothWays();
  kiosk.command('hangup');
  await page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
  assert.equal(await text('#call-title'), 'Ingebjørg hung up');
  assert.deepEqual(errors.map((e) => e.message), []);
});
