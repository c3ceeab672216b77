// The installable app and Web Push in Debian's Chromium against the real hub: the manifest and
// service worker pass Chromium's installability check; the "ring me here" section passes
// axe-core; and the kiosk's call to Anna whose page is closed is pushed by the hub to a loopback
// push service (tests/common/push_receiver.mjs: VAPID JWT verified, payload decrypted with
// http_ece), delivered to Vindu's service worker (CDP ServiceWorker.deliverPushMessage — headless
// Chromium has no push service of its own to subscribe to), shown as a notification in the
// household's language, and opening the notification's address answers the call in one step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, repoRoot, startHub, tempDir, waitFor,
} from './harness.js';
import { chromium } from 'playwright-core';
import { ProtocolKiosk } from './protocol-kiosk.js';
import { PushReceiver } from '../common/push_receiver.mjs';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const afterFns = [];
let hub;
let home;
let kiosk;
let receiver;
let browser;

before(async () => {
  receiver = await PushReceiver.start({ after: (fn) => afterFns.push(fn) }, tempDir('push'));
  const conf = join(tempDir('conf'), 'hub.conf');
  writeFileSync(conf, `[push]\nca_file=${receiver.files.ca}\n`);
  hub = await startHub({ args: ['--config', conf] });
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  browser = await launchBrowser();
});

after(async () => {
  if (kiosk) kiosk.close();
  for (const fn of afterFns) fn();
  await cleanup();
});

async function workerReady(page) {
  await page.waitForFunction(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return !!(r && r.active);
  }, null, { timeout: 20000, polling: 200 });
}

test('manifest and service worker: Chromium finds the app installable', async () => {
  const anna = await invite(hub, home.household, { name: 'Anna' });
  // a profile on disk: Chromium never offers to install from an incognito-like context
  const context = await chromium.launchPersistentContext(tempDir('profile'), {
    executablePath: process.env.VINDU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--ignore-certificate-errors',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  afterFns.push(() => context.close());
  const page = await context.newPage();
  await joinByInvite(page, anna.link);
  await workerReady(page);
  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
});

test('the app shell is kept: the page loads again with the network gone', async () => {
  const anna = await invite(hub, home.household, { name: 'Astrid' });
  const { context, page } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  await workerReady(page);
  await page.reload(); // now controlled: every file the page loads goes through the worker
  await page.waitForSelector('.home h1');
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#lang-select option', { state: 'attached', timeout: 20000 });
  assert.equal(await page.evaluate(() => document.querySelector('.brand').textContent), 'Vindu');
  await context.setOffline(false);
});

test('the "ring me here" section passes axe-core', async () => {
  const anna = await invite(hub, home.household, { name: 'Berit' });
  const { page } = await newPerson(browser, { bypassCSP: true });
  await joinByInvite(page, anna.link);
  await page.waitForSelector('#push-enable');
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document.querySelector('section.push'), {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => v.id), []);
});

test("the kiosk calls Anna whose page is closed: her push arrives, and opening it answers", async () => {
  const anna = await invite(hub, home.household, { name: 'Anna K', rights: ['call', 'message'] });
  const { context, page } = await newPerson(browser, { locale: 'nb-NO' });
  await context.grantPermissions(['notifications'], { origin: hub.origin });
  await joinByInvite(page, anna.link);
  await workerReady(page);
  const cdp = await context.newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await waitFor(() => registrations.some((r) => !r.isDeleted), { what: 'the worker registration' });
  const registrationId = registrations.find((r) => !r.isDeleted).registrationId;

  // This browser's subscription, as the push service would hold it (keys made by the receiver).
  const token = await page.evaluate(() => localStorage.getItem('vindu.session'));
  const me = new ProtocolKiosk(hub);
  await me.open({ kind: 'session', token });
  const sub = receiver.subscription('anna-browser');
  const ok = await me.request({ type: 'push.subscribe', endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.authB64 });
  assert.equal(ok.type, 'ok');
  me.close();
  await page.close(); // Anna's page is closed

  const placed = await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
  assert.equal(placed.type, 'call.placed', JSON.stringify(placed));
  const push = await receiver.next((p) => p.payload?.call === placed.call);
  assert.deepEqual(push.errors, []);
  assert.equal(push.payload.kind, 'call');

  const other = await context.newPage();
  await other.goto(`${hub.origin}/manifest.webmanifest`);
  const cdp2 = await context.newCDPSession(other);
  await cdp2.send('ServiceWorker.enable');
  await cdp2.send('ServiceWorker.deliverPushMessage', { origin: hub.origin, registrationId, data: JSON.stringify(push.payload) });
  const shown = await waitFor(async () => {
    const list = await other.evaluate(async () => (await navigator.serviceWorker.ready).getNotifications()
      .then((ns) => ns.map((n) => ({ title: n.title, body: n.body, url: n.data && n.data.url }))));
    return list.length ? list : null;
  }, { what: 'the notification' });
  assert.equal(shown[0].title, 'Ingebjørg ringer');
  assert.equal(shown[0].body, 'Trykk for å svare');
  assert.ok(shown[0].url.endsWith(`#answer=${placed.call}`), shown[0].url);

  // Touching it opens that address (sw.js notificationclick): the page signs in, rings, answers.
  await other.goto(new URL(shown[0].url, hub.origin).href);
  const accepted = await kiosk.next((m) => m.type === 'call.accept' && m.call === placed.call, 30000);
  assert.equal(accepted.call, placed.call);
  kiosk.send({ type: 'call.hangup', call: placed.call, reason: 'hangup' });
});

test('a ring nobody answered stays on the page as a missed call, with Call back', async () => {
  const quick = await startHub({ args: ['--ring-timeout-s', '2'] });
  const house = await createHousehold(quick, 'Ingebjørg');
  const k = await new ProtocolKiosk(quick).pair(house.provisioning_code);
  afterFns.push(() => k.close());
  const anna = await invite(quick, house.household, { name: 'Anna', rights: ['call', 'message'] });
  const { page } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  await page.goto(`${quick.origin}/#/h/${house.household}`);
  await page.waitForSelector('#call-button');
  const placed = await k.request({ type: 'call.invite', household: house.household, to: anna.person });
  assert.equal(placed.type, 'call.placed');
  await page.waitForSelector('#call-answer');
  await k.next((m) => m.type === 'call.missed' && m.call === placed.call, 30000);
  await page.waitForSelector('#call-back', { timeout: 20000 });
  const title = await page.textContent('#call-title');
  assert.match(title, /^Ingebjørg tried to call you at \d\d:\d\d/);
  await page.waitForTimeout(10000); // longer than an ended call stays
  assert.equal(await page.isVisible('#call-back'), true, 'the missed call is still shown');
  await page.click('#call-back');
  const back = await k.next((m) => m.type === 'call.invite' && m.from && m.from.id === anna.person, 20000);
  assert.ok(back.call);
});

test('touching the call notification while the page is open answers the call ringing there', async () => {
  const anna = await invite(hub, home.household, { name: 'Anna O', rights: ['call', 'message'] });
  const { page } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  const placed = await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
  await page.waitForSelector('#call-answer');
  // what sw.js notificationclick does to an open window
  await page.evaluate((call) => { location.hash = `#answer=${call}`; }, placed.call);
  const accepted = await kiosk.next((m) => m.type === 'call.accept' && m.call === placed.call, 30000);
  assert.equal(accepted.call, placed.call);
  kiosk.send({ type: 'call.hangup', call: placed.call, reason: 'hangup' });
});

test("relationships are offered in the household's language, not the admin's page language", async () => {
  const nb = await hub.admin('household', 'create', '--resident', 'Ingebjørg', '--language', 'nb');
  const boss = await invite(hub, nb.household, { name: 'Kari', rights: ['call', 'message', 'admin'] });
  const { page } = await newPerson(browser, { locale: 'en-GB' });
  await joinByInvite(page, boss.link);
  await page.goto(`${hub.origin}/#/h/${nb.household}/admin`);
  await page.waitForSelector('#invite-relationship');
  await waitFor(() => page.evaluate(() => document.querySelectorAll('#invite-relationships option').length > 0), { what: 'the list' });
  const words = await page.evaluate(() => [...document.querySelectorAll('#invite-relationships option')].map((o) => o.value));
  assert.ok(words.includes('Datter'), words.join(', '));
  assert.ok(!words.includes('Daughter'));
  assert.equal(await page.getAttribute('#invite-relationship', 'list'), 'invite-relationships');
});
