// Nothing lost when the hub goes away: the page says so in plain words, a message written
// meanwhile waits as "Sending …", and when the hub is back the page reconnects by itself (backoff)
// and the message is delivered exactly once (client_msg_id makes the retry idempotent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, startHub, stopHub } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let page;
let home;
let kiosk;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchBrowser();
  ({ page } = await newPerson(browser));
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('#text-input');
});
after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

test('a message written while the hub is down is sent once when it is back', async () => {
  kiosk.close();
  await stopHub(hub);
  await page.waitForSelector('#connection:not([hidden])', { timeout: 10000 });
  assert.equal(await page.textContent('#connection'), 'No connection to Vindu right now. Trying again …');

  await page.fill('#text-input', 'Are you there?');
  await page.click('#text-send');
  await page.waitForSelector('.sent-item.kind-text .state[data-state=sending]');
  assert.equal(await page.textContent('.sent-item.kind-text .state'), 'Sending …');
  await page.waitForTimeout(1500);

  hub = await startHub({ dataDir: hub.dataDir, port: hub.port });
  await page.waitForSelector('#connection', { state: 'hidden', timeout: 30000 });
  await page.waitForSelector('.sent-item.kind-text .state[data-state=sent]', { timeout: 15000 });

  kiosk.hub = hub;
  await kiosk.open({ kind: 'device', kiosk: kiosk.kiosk, secret: kiosk.secret });
  const deliver = await kiosk.next((m) => m.type === 'msg.deliver');
  assert.equal(deliver.msg.text, 'Are you there?');
  kiosk.send({ type: 'msg.ack', up_to: deliver.seq });
  await page.waitForSelector('.sent-item.kind-text .state[data-state=delivered]', { timeout: 10000 });
  // Exactly once: nothing else is delivered.
  await page.waitForTimeout(1000);
  assert.equal(kiosk.inbox.filter((m) => m.type === 'msg.deliver').length, 0);
  assert.equal(await page.locator('.sent-item').count(), 1);
});

test('a photo whose upload failed while the hub was down is sent with one touch on "Try again"', async () => {
  const photo = await makeJpeg(page, 1600, 1200);
  kiosk.close();
  await stopHub(hub);
  await page.waitForSelector('#connection:not([hidden])', { timeout: 10000 });
  const chooser = page.waitForEvent('filechooser');
  await page.click('#photo-button');
  await (await chooser).setFiles(photo);
  const item = page.locator('.sent-item.kind-photo');
  await item.locator('.state[data-state=failed]').waitFor({ timeout: 15000 });
  assert.match(await item.locator('.state').textContent(), /Not sent\. No connection/);

  hub = await startHub({ dataDir: hub.dataDir, port: hub.port });
  await page.waitForSelector('#connection', { state: 'hidden', timeout: 30000 });
  await item.locator('button.retry').click();
  await item.locator('.state[data-state=sent]').waitFor({ timeout: 15000 });
  kiosk.hub = hub;
  await kiosk.open({ kind: 'device', kiosk: kiosk.kiosk, secret: kiosk.secret });
  const deliver = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'photo');
  assert.match(deliver.msg.file, /^[0-9a-f]{64}$/);
});
