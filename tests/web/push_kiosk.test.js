// Web Push end to end with the real kiosk: the kiosk calls Anna whose page is closed; the hub
// pushes to her subscription (the loopback push service of tests/common/push_receiver.mjs checks
// the VAPID JWT and decrypts the payload); the push is delivered to Vindu's service worker in
// Chromium (CDP ServiceWorker.deliverPushMessage), which shows the call's notification; opening
// its address signs in, answers in one step, and real media frames flow both ways (the browser's
// getStats() and the kiosk's own count of rendered frames).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanup, createHousehold, instrumentPage, invite, joinByInvite, launchBrowser, newPerson, startHub, startKiosk, tempDir, waitFor,
} from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';
import { PushReceiver } from '../common/push_receiver.mjs';

const FRAMES = 15;
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
  kiosk = await startKiosk(hub, home.provisioning_code);
  browser = await launchBrowser();
});

after(async () => {
  for (const fn of afterFns) fn();
  await cleanup();
});

test('the kiosk calls Anna whose page is closed: the push arrives, opening it answers, frames flow', async () => {
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const { context, page } = await newPerson(browser);
  await context.grantPermissions(['notifications'], { origin: hub.origin });
  await joinByInvite(page, anna.link);
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active, null, { timeout: 20000, polling: 200 });
  const cdp = await context.newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await waitFor(() => registrations.some((r) => !r.isDeleted), { what: 'the worker registration' });
  const registrationId = registrations.find((r) => !r.isDeleted).registrationId;
  // this browser's subscription as the push service would hold it (headless Chromium has none)
  const token = await page.evaluate(() => localStorage.getItem('vindu.session'));
  const me = new ProtocolKiosk(hub);
  await me.open({ kind: 'session', token });
  const sub = receiver.subscription('anna-browser');
  assert.equal((await me.request({ type: 'push.subscribe', endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.authB64 })).type, 'ok');
  me.close();
  await page.close(); // Anna's page is closed

  const framesBefore = (await kiosk.status()).frames;
  kiosk.command(`call ${anna.person}`);
  const push = await receiver.next((p) => p.payload?.kind === 'call', 30000);
  assert.deepEqual(push.errors, []);
  assert.equal(push.payload.from, 'Ingebjørg');

  const other = await context.newPage();
  await instrumentPage(other);
  await other.goto(`${hub.origin}/manifest.webmanifest`);
  const cdp2 = await context.newCDPSession(other);
  await cdp2.send('ServiceWorker.enable');
  await cdp2.send('ServiceWorker.deliverPushMessage', { origin: hub.origin, registrationId, data: JSON.stringify(push.payload) });
  const shown = await waitFor(async () => {
    const list = await other.evaluate(async () => (await navigator.serviceWorker.ready).getNotifications()
      .then((ns) => ns.map((n) => ({ title: n.title, url: n.data && n.data.url }))));
    return list.length ? list : null;
  }, { what: 'the notification' });
  assert.equal(shown[0].title, 'Ingebjørg is calling');

  // touching it opens its address: the page signs in, rings and answers; frames both ways
  await other.goto(new URL(shown[0].url, hub.origin).href);
  await other.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await waitFor(async () => Number((await other.getAttribute('#call', 'data-frames-decoded')) || 0) >= FRAMES,
    { timeoutMs: 30000, what: 'frames decoded in the browser' });
  await waitFor(async () => (await kiosk.status()).frames >= framesBefore + FRAMES, { timeoutMs: 30000, what: 'frames rendered on the kiosk' });
  kiosk.command('hangup');
  await other.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
});
