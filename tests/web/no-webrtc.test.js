// A browser that cannot make video calls (Debian's WebKitGTK, embedded web views, hardened
// browsers) is never offered a call and never rings: Chromium with RTCPeerConnection removed by
// an init script stands in for it, against the real hub and the real, headless kiosk. Anna's page
// says plainly that this browser cannot make video calls and which can; when the kiosk calls her,
// her page declines with `no_webrtc` before it rings, says who tried, and the kiosk tells the
// resident in plain words (state call-ended-remote-no-webrtc), never asking anyone to answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, startKiosk,
} from './harness.js';

let hub;
let home;
let kiosk;
let anna;
let page;
let errors;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await startKiosk(hub, home.provisioning_code);
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchBrowser();
  ({ page, errors } = await newPerson(browser));
  // What such a browser lacks: the peer connection (getUserMedia may still be there).
  await page.addInitScript(() => {
    delete window.RTCPeerConnection;
    delete window.webkitRTCPeerConnection;
  });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
});
after(cleanup);

test('no call button; the page says this browser cannot make video calls, and which can', async () => {
  assert.equal(await page.evaluate(() => typeof window.RTCPeerConnection), 'undefined', 'the init script took effect');
  const note = page.locator('#call-unsupported');
  await note.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await note.textContent(), /cannot make video calls.*Firefox, Chrome, Edge or Safari/);
  assert.equal(await page.locator('#call-button').count(), 0, 'no call button');
  // sending still works without WebRTC
  assert.equal(await page.isVisible('#photo-button'), true);
});

test('the kiosk calls her: declined before it rings, and both sides are told why', async () => {
  const said = kiosk.waitLine(/vindu-kiosk: state (call-ended-\S+)/, 20000);
  kiosk.command(`call ${anna.person}`);
  assert.equal((await said)[1], 'call-ended-remote-no-webrtc', 'the kiosk says why, not "cannot talk right now"');
  // her page never rang: straight to the note of who tried
  await page.waitForSelector('#call[data-state=declined-no-webrtc]', { timeout: 10000 });
  assert.equal(await page.textContent('#call-title'), 'Ingebjørg tried to call you, but this browser cannot make video calls.');
  assert.match(await page.textContent('#call-detail'), /Firefox, Chrome, Edge or Safari/);
  assert.equal(await page.locator('#call-answer').count(), 0, 'nothing to answer');
  const screen = await (async () => {
    const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
    kiosk.command('describe');
    return JSON.parse((await line)[1]);
  })();
  const sentence = screen.widgets.find((w) => w.name === 'sentence')?.text ?? '';
  // in the household's language (bokmål)
  assert.equal(sentence, 'Anna kan ikke ta en videosamtale på telefonen eller datamaskinen som er i bruk nå.');
  await page.click('#call-close');
  await page.waitForSelector('#call', { state: 'hidden', timeout: 5000 });
  kiosk.command('home');
  assert.deepEqual(errors, []);
});
