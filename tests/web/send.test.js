// Sending from the browser against the real hub, observed at the kiosk's end of the protocol:
// a photo is scaled to ≤ 2560 px in the browser, uploaded with progress and delivered; text and a
// voice note (MediaRecorder, fake microphone) too; each shows sent → on the screen → seen as the
// kiosk acknowledges and marks it seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, startHub } from './harness.js';
import { ProtocolKiosk, jpegSize } from './protocol-kiosk.js';

let hub;
let browser;
let household;
let kiosk;
let page;

before(async () => {
  hub = await startHub();
  household = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(household.provisioning_code);
  const anna = await invite(hub, household.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  browser = await launchBrowser();
  ({ page } = await newPerson(browser));
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${household.household}`);
  await page.waitForSelector('#photo-button');
});
after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

async function stateOf(cidOrFirst) {
  return page.getAttribute(`${cidOrFirst} .state`, 'data-state');
}

// Acknowledges a delivered message the way a kiosk does, then marks it seen, checking each step
// reaches the sender's page.
async function ackAndSee(deliver, itemSelector) {
  await page.waitForSelector(`${itemSelector} .state[data-state=sent]`, { timeout: 10000 });
  kiosk.send({ type: 'msg.ack', up_to: deliver.seq });
  await page.waitForSelector(`${itemSelector} .state[data-state=delivered]`, { timeout: 10000 });
  assert.equal(await page.textContent(`${itemSelector} .state`), 'On the screen');
  kiosk.send({ type: 'msg.seen', msg: deliver.msg.id });
  await page.waitForSelector(`${itemSelector} .state[data-state=seen]`, { timeout: 10000 });
  assert.equal(await page.textContent(`${itemSelector} .state`), 'Seen');
}

test('a large photo is scaled to 2560 px, uploaded with progress and delivered to the kiosk', async () => {
  const photo = await makeJpeg(page, 4000, 3000);
  await page.fill('#photo-caption', 'Jonas at football');
  // Watch the progress bar appear: the upload reports progress while it runs.
  const sawProgress = page.waitForSelector('.sent-item.kind-photo progress', { timeout: 20000 });
  const chooser = page.waitForEvent('filechooser');
  await page.click('#photo-button');
  await (await chooser).setFiles(photo);
  await sawProgress;

  const deliver = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'photo');
  assert.equal(deliver.msg.caption, 'Jonas at football');
  assert.equal(deliver.msg.from.name, 'Anna');
  const bytes = await kiosk.fetchFile(deliver.msg.file);
  const size = jpegSize(bytes);
  assert.deepEqual(size, { width: 2560, height: 1920 });
  await ackAndSee(deliver, '.sent-item.kind-photo');
  assert.equal(await stateOf('.sent-item.kind-photo') === 'seen', true);
});

test('a small photo is not enlarged', async () => {
  const photo = await makeJpeg(page, 800, 600);
  const chooser = page.waitForEvent('filechooser');
  await page.click('#photo-button');
  await (await chooser).setFiles(photo);
  const deliver = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'photo');
  assert.equal(deliver.msg.caption, undefined);
  assert.deepEqual(jpegSize(await kiosk.fetchFile(deliver.msg.file)), { width: 800, height: 600 });
  kiosk.send({ type: 'msg.ack', up_to: deliver.seq });
});

test('a text message goes to the kiosk and its states follow', async () => {
  await page.fill('#text-input', 'Good morning, Mum!');
  await page.click('#text-send');
  const deliver = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'text');
  assert.equal(deliver.msg.text, 'Good morning, Mum!');
  const item = '.sent-item.kind-text';
  assert.equal(await page.textContent(`${item} .what`), 'Good morning, Mum!');
  await ackAndSee(deliver, item);
});

test('a voice note is recorded with MediaRecorder and delivered with its length', async () => {
  await page.click('#voice-button');
  await page.waitForSelector('#voice-send');
  await page.waitForTimeout(2200);
  await page.click('#voice-send');
  const deliver = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'voice');
  assert.ok(deliver.msg.duration_ms >= 1500 && deliver.msg.duration_ms < 10000, `duration ${deliver.msg.duration_ms}`);
  const bytes = await kiosk.fetchFile(deliver.msg.file);
  // WebM (EBML magic) from Chromium's MediaRecorder.
  assert.equal(bytes.subarray(0, 4).toString('hex'), '1a45dfa3');
  await ackAndSee(deliver, '.sent-item.kind-voice');
});

test('the states survive a reload', async () => {
  await page.reload();
  await page.waitForSelector('.sent-item');
  const states = await page.$$eval('.sent-item .state', (els) => els.map((e) => e.dataset.state));
  assert.deepEqual(states.sort(), ['delivered', 'seen', 'seen', 'seen'].sort());
});

test('a message from the kiosk is shown, acknowledged and marked seen', async () => {
  const annaId = (await kiosk.request({ type: 'household.get', household: household.household }))
    .household.people.find((p) => p.name === 'Anna').id;
  const accepted = await kiosk.request({
    type: 'msg.post', household: household.household, client_msg_id: 'k-1', to: annaId, kind: 'text', text: 'Thank you for the photo!',
  });
  await page.waitForSelector(`.received-item[data-msg="${accepted.msg}"]`, { timeout: 10000 });
  assert.equal(await page.textContent('#received-h'), 'From Ingebjørg');
  assert.equal(await page.textContent(`.received-item[data-msg="${accepted.msg}"] .text`), 'Thank you for the photo!');
  const delivered = await kiosk.next((m) => m.type === 'msg.status' && m.msg === accepted.msg && m.state === 'delivered');
  assert.equal(delivered.state, 'delivered');
  await kiosk.next((m) => m.type === 'msg.status' && m.msg === accepted.msg && m.state === 'seen');
  // Kept on this browser, shown once after a reload.
  await page.reload();
  await page.waitForSelector('.received-item');
  assert.equal(await page.locator('.received-item').count(), 1);
});
