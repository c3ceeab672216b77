// A person's devices in Chromium against the real hub and the real kiosk: "Use Vindu on another
// device" gives a one-time link (and its QR code); opened in another browser it signs in the SAME
// person (the kiosk still shows one tile for Anna); both devices are listed with their names
// from the user agent; signing out the second from the first ends only the second's session;
// an admin sees a member's devices; axe-core on the devices page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, repoRoot, startHub, startKiosk, waitFor,
} from './harness.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
let hub;
let home;
let kiosk;
let browser;
let anna;
let nils;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status', 'admin'] });
  nils = await invite(hub, home.household, { name: 'Nils', relationship: 'Son', rights: ['call', 'message'] });
  kiosk = await startKiosk(hub, home.provisioning_code);
  browser = await launchBrowser();
});
after(cleanup);

async function kioskScreen() {
  const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
  kiosk.command('describe');
  return JSON.parse((await line)[1]);
}

// Every widget of the kiosk's screen (the description nests them).
function widgets(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => widgets(n, out));
  else if (node && typeof node === 'object') {
    if ('role' in node) out.push(node);
    Object.values(node).forEach((v) => widgets(v, out));
  }
  return out;
}

// The home tiles: the widgets whose touch calls someone, by the id they call.
async function callTiles() {
  return widgets(await kioskScreen()).filter((w) => w.action === 'call').map((w) => w.arg);
}

async function linkFrom(page) {
  await page.goto(`${new URL(page.url()).origin}/#/devices`);
  await page.waitForSelector('#device-link-button');
  await page.click('#device-link-button');
  await page.waitForSelector('.device-link svg.qr');
  return page.inputValue('#device-link');
}

test('a second device added by link is the same person, and signing it out ends only its session', async () => {
  const phone = await newPerson(browser);
  await joinByInvite(phone.page, anna.link);
  assert.equal(await phone.page.textContent('h1'), 'Hello, Anna');
  const link = await linkFrom(phone.page);
  assert.match(link, /#device=[A-Za-z0-9_-]{40,}$/);
  assert.match(await phone.page.textContent('.device-link'), /works once/);

  const { context: tabletContext, page: tablet, errors } = await newPerson(browser);
  await tabletContext.addInitScript((ua) => Object.defineProperty(navigator, 'userAgent', { get: () => ua }), ANDROID_UA);
  await joinByInvite(tablet, link);
  assert.equal(await tablet.textContent('h1'), 'Hello, Anna', 'the same person');
  assert.ok(!tablet.url().includes('device='), 'the one-time token left the address bar');
  const tabletToken = await tablet.evaluate(() => localStorage.getItem('vindu.session'));
  const phoneToken = await phone.page.evaluate(() => localStorage.getItem('vindu.session'));
  assert.ok(tabletToken && tabletToken !== phoneToken, 'a session of its own');

  // the kiosk has one tile for Anna, not two
  await waitFor(async () => (await callTiles()).includes(anna.person), { what: 'Anna on the kiosk' });
  const tiles = await callTiles();
  assert.equal(tiles.filter((id) => id === anna.person).length, 1, JSON.stringify(tiles));
  assert.equal(tiles.length, 2, `Anna and Nils only: ${JSON.stringify(tiles)}`);

  // the used link works once
  const third = await newPerson(browser);
  await joinByInvite(third.page, link);
  assert.equal(await third.page.textContent('.notice h1'), 'This link does not work');

  // the phone lists both devices (read again on opening the page); the tablet by its user agent
  await phone.page.goto(`${hub.origin}/#/`);
  await phone.page.waitForSelector('.home h1');
  await phone.page.goto(`${hub.origin}/#/devices`);
  await phone.page.waitForSelector('.device-list .device >> nth=1');
  const items = await phone.page.$$eval('.device-list .device h3', (hs) => hs.map((x) => x.textContent));
  assert.equal(items.length, 2, JSON.stringify(items));
  assert.ok(items.includes('Chrome on Android'), JSON.stringify(items));
  assert.ok(items.some((x) => x.endsWith('(this device)')), JSON.stringify(items));

  // signing out the tablet: its page says so; the phone stays signed in
  await phone.page.click('.device-list button:has-text("Sign out Chrome on Android")');
  await phone.page.waitForSelector('.devices .result:has-text("Chrome on Android is signed out.")');
  await tablet.waitForSelector('.notice h1:has-text("Signed out")', { timeout: 20000 });
  assert.equal(await tablet.evaluate(() => localStorage.getItem('vindu.session')), null);
  await waitFor(async () => (await phone.page.$$('.device-list .device')).length === 1, { what: 'one device left' });
  await phone.page.reload();
  await phone.page.waitForSelector('.devices h1');
  assert.equal(await phone.page.evaluate(() => localStorage.getItem('vindu.session')), phoneToken);
  await phone.page.goto(`${hub.origin}/#/`);
  await phone.page.waitForSelector('.home h1');
  assert.equal(await phone.page.textContent('h1'), 'Hello, Anna');
  assert.deepEqual(errors.map(String).filter((e) => !/WebSocket|1008/.test(e)), []);
});

test("an admin sees a member's devices on the admin page", async () => {
  const n = await newPerson(browser);
  await joinByInvite(n.page, nils.link);
  const a = await newPerson(browser);
  const again = await invite(hub, home.household, { name: 'Kari', rights: ['call', 'admin'] });
  await joinByInvite(a.page, again.link);
  await a.page.goto(`${hub.origin}/#/h/${home.household}/admin`);
  const person = `li.person:has(h3:text-is("Nils"))`;
  await a.page.waitForSelector(person);
  await a.page.click(`${person} > details > summary`);
  await a.page.click(`${person} .member-devices button.show-devices`);
  await a.page.waitForSelector(`${person} .member-devices .device`);
  assert.equal(await a.page.$$eval(`${person} .member-devices .device`, (l) => l.length), 1);
});

test('the devices page passes axe-core', async () => {
  const { page } = await newPerson(browser, { bypassCSP: true });
  const kari = await invite(hub, home.household, { name: 'Wenche', rights: ['call'] });
  await joinByInvite(page, kari.link);
  await linkFrom(page);
  await page.waitForSelector('.device-list .device');
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`), []);
});

test('the kiosk calls Per: both his devices ring, one answers, the other stops ringing', async () => {
  const per = await invite(hub, home.household, { name: 'Per', relationship: 'Son', rights: ['call', 'message', 'status'] });
  const phone = await newPerson(browser);
  await joinByInvite(phone.page, per.link);
  const link = await linkFrom(phone.page);
  const tablet = await newPerson(browser);
  await joinByInvite(tablet.page, link);
  for (const p of [phone.page, tablet.page]) {
    await p.goto(`${hub.origin}/#/h/${home.household}`);
    await p.waitForSelector('.status[data-status=online]', { timeout: 30000 });
  }
  kiosk.command(`call ${per.person}`);
  await phone.page.waitForSelector('#call[data-state=incoming]', { timeout: 20000 });
  await tablet.page.waitForSelector('#call[data-state=incoming]', { timeout: 20000 });
  await phone.page.click('#call-answer');
  await phone.page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  // the tablet stops ringing at once, and says why in words (not "cancelled")
  await tablet.page.waitForSelector('#call[data-state=ended]', { timeout: 10000 });
  assert.equal(await tablet.page.textContent('#call-title'), 'Answered on another of your devices');
  await tablet.page.waitForSelector('#call', { state: 'hidden', timeout: 15000 });
  assert.equal(await phone.page.getAttribute('#call', 'data-state'), 'connected', 'the answering device keeps the call');
  kiosk.command('hangup');
  await phone.page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
  await waitFor(async () => (await kiosk.status()).call === 'idle', { what: 'the kiosk back to idle', timeoutMs: 15000 });
});
