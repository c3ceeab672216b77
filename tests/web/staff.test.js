// The staff view against the real hub: the organisation's kiosks with their state, last call,
// missed check-ins and when a screen was last seen, from real events (a check-in whose hour passed
// without its call, an answered call, a screen that went away); a check-in call planned in the
// browser is delivered to the kiosk (which shows it on its "today" strip) and can be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, waitFor } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let browser;
let kiosk;
let homes;
let page;
const sent = [];
const received = [];

before(async () => {
  hub = await startHub();
  homes = [await createHousehold(hub, 'Ingebjørg'), await createHousehold(hub, 'Sigrid')];
  kiosk = await new ProtocolKiosk(hub).pair(homes[0].provisioning_code);
  const nurse = await invite(hub, homes[0].household, { name: 'Kari', relationship: 'Home nurse', role: 'staff', rights: ['call', 'status'] });
  // The same nurse's second household comes with a second invite; the browser keeps the first.
  browser = await launchBrowser();
  ({ page } = await newPerson(browser, { viewport: { width: 1280, height: 800 } }));
  // Every frame the page sends and receives, from its first WebSocket on (double clicks below).
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => { try { sent.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
    ws.on('framereceived', (f) => { try { received.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
  });
  await joinByInvite(page, nurse.link);
});
// Waits until the element's text matches (the page reloads the overview on presence news).
const waitForText = (locator, re) => waitFor(async () => re.test((await locator.textContent()) || ''), { timeoutMs: 40000, what: `text ${re}` });

after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

test('staff see their kiosks with state, last call and missed check-ins', async () => {
  await page.click('#nav >> text=Staff view');
  await page.waitForSelector('.kiosk-card');
  const card = page.locator(`.kiosk-card[data-household="${homes[0].household}"]`);
  assert.equal((await card.locator('h2').textContent()).trim(), 'Ingebjørg');
  assert.match(await card.locator('.status').textContent(), /On and ready/);
  assert.match(await card.textContent(), /Last call\s*never/);
  assert.match(await card.textContent(), /Missed check-ins\s*0/);

  kiosk.close();
  const status = card.locator('.status');
  await waitForText(status, /Not connected/);
  // The hub says when it was last connected (it just left).
  assert.equal((await status.textContent()).trim(), 'Not connected – last seen just now');
  await kiosk.open({ kind: 'device', kiosk: kiosk.kiosk, secret: kiosk.secret });
  await waitForText(status, /On and ready/);
});

test('a check-in whose hour passed without a call counts as missed; an answered call is the last call', async () => {
  // The nurse's own sign-in, at protocol level, for what the page cannot do: a check-in agreed
  // for two hours ago (the form takes only future times) and a call without camera.
  const nurse = new ProtocolKiosk(hub);
  const welcome = await nurse.open({ kind: 'session', token: await page.evaluate(() => localStorage.getItem('vindu.session')) });
  try {
    const at = Math.floor(Date.now() / 1000) - 2 * 3600;
    const put = await nurse.request({ type: 'doc.put', household: homes[0].household, kind: 'checkin', doc: 'earlier', base_rev: 0, body: { at, person: welcome.self.id, title: 'Morning check-in' } });
    assert.equal(put.type, 'doc.accepted');
    const deliver = await kiosk.next((m) => m.type === 'doc.deliver' && m.doc === 'earlier');
    kiosk.send({ type: 'doc.ack', up_to: deliver.seq });

    const placed = await nurse.request({ type: 'call.invite', household: homes[0].household, to: kiosk.kiosk });
    const ring = await kiosk.next((m) => m.type === 'call.invite' && m.call === placed.call);
    kiosk.send({ type: 'call.accept', call: ring.call });
    await nurse.next((m) => m.type === 'call.accept');
    nurse.send({ type: 'call.hangup', call: ring.call, reason: 'hangup' });
    await kiosk.next((m) => m.type === 'call.hangup');
  } finally {
    nurse.close();
  }
  // In Sigrid's household, where Kari is not staff, another nurse's check-in also went by
  // without its call: it must count there, not on Kari's cards.
  const per = await invite(hub, homes[1].household, { name: 'Per', relationship: 'Home nurse', role: 'staff', rights: ['call', 'status'] });
  const other = new ProtocolKiosk(hub);
  const perWelcome = await other.open({ kind: 'invite', token: per.token });
  try {
    const at = Math.floor(Date.now() / 1000) - 3 * 3600;
    const put = await other.request({ type: 'doc.put', household: homes[1].household, kind: 'checkin', doc: 'sigrid', base_rev: 0, body: { at, person: perWelcome.self.id, title: 'Check-in' } });
    assert.equal(put.type, 'doc.accepted');
  } finally {
    other.close();
  }

  await page.reload();
  const card = page.locator(`.kiosk-card[data-household="${homes[0].household}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Last call\s*just now/);
  assert.match(await card.textContent(), /Missed check-ins\s*1/);
  assert.equal(await card.locator('dd.missed').textContent(), '1', 'only this household\'s missed check-in');
  // Only the household where Kari is staff has a card.
  assert.equal(await page.locator('.kiosk-card').count(), 1);
});

test('a planned check-in call is delivered to the kiosk and listed; it can be cancelled', async () => {
  await page.selectOption('#checkin-household', homes[0].household);
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await page.fill('#checkin-date', day);
  await page.fill('#checkin-time', '10:30');
  await page.fill('#checkin-title', 'Morning chat with Kari');
  await page.click('#checkin-submit');

  const deliver = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'checkin' && !m.deleted);
  assert.equal(deliver.body.title, 'Morning chat with Kari');
  const at = new Date(deliver.body.at * 1000);
  assert.equal(at.getHours(), 10);
  assert.equal(at.getMinutes(), 30);
  assert.ok(deliver.body.person.startsWith('p_'));
  kiosk.send({ type: 'doc.ack', up_to: deliver.seq });

  const item = page.locator(`.checkin-list li[data-doc="${deliver.doc}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /Ingebjørg: Morning chat with Kari/);
  await item.locator('button').click();
  const tomb = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'checkin' && m.doc === deliver.doc && m.deleted);
  assert.equal(tomb.deleted, true);
  await item.waitFor({ state: 'detached' });
});

test('a double click plans one check-in, and a double click on cancel cancels it once without an error', async () => {
  await page.selectOption('#checkin-household', homes[0].household);
  await page.fill('#checkin-time', '11:15');
  await page.fill('#checkin-title', 'Double click');
  const puts = () => sent.filter((m) => m.type === 'doc.put' && m.kind === 'checkin' && !m.deleted && m.body.title === 'Double click');
  const answered = (m) => received.some((a) => a.re === m.id);
  await page.dblclick('#checkin-submit');
  const deliver = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'checkin' && !m.deleted && m.body.title === 'Double click');
  kiosk.send({ type: 'doc.ack', up_to: deliver.seq });
  // Both clicks come before any answer: once the first is answered, a second would have been sent.
  await waitFor(async () => puts().length > 0 && answered(puts()[0]), { what: 'the answer to doc.put' });
  assert.equal(puts().length, 1, `sent ${JSON.stringify(puts())}`);
  await waitFor(async () => page.isEnabled('#checkin-submit'), { what: 'the button back' });

  const item = page.locator(`.checkin-list li[data-doc="${deliver.doc}"]`);
  await item.waitFor();
  const cancels = () => sent.filter((m) => m.type === 'doc.put' && m.doc === deliver.doc && m.deleted);
  await item.locator('button').dblclick();
  await kiosk.next((m) => m.type === 'doc.deliver' && m.doc === deliver.doc && m.deleted);
  await waitFor(async () => cancels().length > 0 && answered(cancels()[0]), { what: 'the answer to the cancel' });
  assert.equal(cancels().length, 1, `sent ${JSON.stringify(cancels())}`);
  await item.waitFor({ state: 'detached' });
  assert.equal(received.filter((a) => a.type === 'error' && a.code === 'conflict').length, 0);
});

test('staff without the status right are told they cannot see whether the screen is on', async () => {
  const eva = await invite(hub, homes[0].household, { name: 'Eva', relationship: 'Home nurse', role: 'staff', rights: ['call'] });
  const p = (await newPerson(browser)).page;
  await joinByInvite(p, eva.link);
  await p.goto(`${hub.origin}/#/staff`);
  const card = p.locator(`.kiosk-card[data-household="${homes[0].household}"]`);
  await card.waitFor();
  // Not "Not connected": without the right the hub sends no presence, so the page does not guess.
  assert.equal((await card.locator('.status').textContent()).trim(), 'You cannot see whether the screen is on');
  await p.close();
});

test('family members do not get the staff view', async () => {
  const anna = await invite(hub, homes[0].household, { name: 'Anna' });
  const p = (await newPerson(browser)).page;
  await joinByInvite(p, anna.link);
  assert.equal(await p.isVisible('#nav >> text=Staff view'), false);
  await p.goto(`${hub.origin}/#/staff`);
  await p.waitForSelector('.staff-list li');
  assert.equal(await p.textContent('.staff-list li'), 'Only care staff and coordinators can see this page.');
});
