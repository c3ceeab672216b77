// Household administration in the browser against the real hub: invite someone with rights,
// change their rights (their page follows at once), their short name on the screen, quiet hours, the resident's consent to
// auto-answer, pairing a new screen with the code it shows, and removing a person — who is
// signed out at once — or a screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, waitFor } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let browser;
let household;
let anna; // admin
let admin; // Anna's page
let wenche; // invited from the web app
let screen; // an unpaired kiosk (protocol level) waiting with its code

before(async () => {
  hub = await startHub();
  household = await createHousehold(hub, 'Ingebjørg');
  anna = await invite(hub, household.household, { name: 'Anna', rights: ['call', 'message', 'status', 'admin'] });
  browser = await launchBrowser();
  admin = (await newPerson(browser, { viewport: { width: 1280, height: 800 } })).page;
  await joinByInvite(admin, anna.link);
  await admin.goto(`${hub.origin}/#/h/${household.household}/admin`);
  await admin.waitForSelector('.admin h1');
});
after(async () => {
  if (screen) screen.close();
  await cleanup();
});

// Draw the SVG into a canvas in the page and return its pixels; decode them here with jsQR.
async function decodeQr(page, selector) {
  const { width, height, data } = await page.$eval(selector, async (svg) => {
    const size = 400;
    const image = new Image();
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, size, size);
    return { width: size, height: size, data: Array.from(context.getImageData(0, 0, size, size).data) };
  });
  const code = jsQR(Uint8ClampedArray.from(data), width, height);
  assert.ok(code, 'the QR code on the page does not decode');
  return code.data;
}

test('an admin invites a volunteer with chosen rights; the link signs them in', async () => {
  await admin.fill('#invite-name', 'Wenche');
  await admin.fill('#invite-relationship', 'Visitor');
  await admin.selectOption('#invite-role', 'volunteer');
  // Volunteer defaults: call + message. Add auto_answer for the consent test below.
  assert.equal(await admin.isChecked('#invite-call'), true);
  assert.equal(await admin.isChecked('#invite-status'), false);
  await admin.check('#invite-auto_answer');
  await admin.click('#invite-create');
  const link = await (await admin.waitForSelector('#invite-link')).inputValue();
  assert.match(link, /#join=[A-Za-z0-9_-]+$/);
  // The QR code beside it is the same link: rasterise the SVG the page shows and decode it.
  assert.equal(await decodeQr(admin, '.invite-qr svg'), link);

  // The link carries the public URL the hub knows; open it on the test hub's origin.
  const token = link.split('#join=')[1];
  wenche = await newPerson(browser);
  await joinByInvite(wenche.page, `${hub.origin}/#join=${token}`);
  assert.equal(await wenche.page.textContent('h1'), 'Hello, Wenche');

  await admin.waitForSelector('li.person:has-text("Wenche")');
  assert.match(await admin.textContent('li.person:has-text("Wenche")'), /Visitor · Volunteer/);
});

test('changing rights takes effect on the other person\'s open page', async () => {
  const page = wenche.page;
  await page.goto(`${hub.origin}/#/h/${household.household}`);
  await page.waitForSelector('#text-input');
  assert.equal(await page.isVisible('#call-button, .actions .hint'), true);

  const person = admin.locator('li.person:has-text("Wenche")');
  await person.locator('summary').click();
  await person.locator('input[value=message]').uncheck();
  await person.locator('form:not(.short-name-form) button[type=submit]').click();
  await person.locator('.result:has-text("Saved.")').waitFor();

  // Pushed by the hub (household.state): the send section goes away without a reload.
  await page.waitForSelector('text=You have not been given the right to send messages here.', { timeout: 10000 });
  assert.equal(await page.isVisible('#text-input'), false);
});

test('a short name for the screen is set from the person\'s entry and shown', async () => {
  const person = admin.locator('li.person:has-text("Wenche")');
  if ((await person.locator('details').getAttribute('open')) === null) await person.locator('summary').click();
  const field = person.locator('input[id^=short-]');
  assert.equal(await field.getAttribute('maxlength'), '20');
  await field.fill('Wen');
  await person.locator('button:has-text("Save short name")').click();
  await person.locator('.result:has-text("Short name saved.")').waitFor({ timeout: 10000 });
  await admin.waitForSelector('li.person:has-text("Wenche") .short-name:has-text("Short name on the screen: Wen")', { timeout: 10000 });
  // Kept by the hub (household.state), not only on this page.
  await admin.reload();
  await admin.waitForSelector('li.person:has-text("Wenche") .short-name:has-text("Short name on the screen: Wen")');
  assert.equal(await admin.locator('li.person:has-text("Wenche") input[id^=short-]').inputValue(), 'Wen');
});

test('quiet hours are set and shown', async () => {
  await admin.fill('#quiet-start', '21:30');
  await admin.fill('#quiet-end', '07:45');
  await admin.click('#quiet-save');
  await admin.waitForSelector('#quiet-now:has-text("Quiet from 21:30 to 07:45.")', { timeout: 10000 });
  const state = await admin.evaluate(() => document.querySelector('#quiet-now').textContent);
  assert.equal(state, 'Quiet from 21:30 to 07:45.');
});

test('the resident\'s consent to auto-answer is recorded per person, with who and when', async () => {
  const person = admin.locator('li.person:has-text("Wenche")');
  assert.match(await person.locator('.consent').textContent(), /no agreement recorded/);
  if ((await person.locator('details').getAttribute('open')) === null) await person.locator('summary').click();
  await person.locator('input[id^=consent-by-]').fill('Ingebjørg');
  await person.locator('button:has-text("Record the agreement")').click();
  await admin.waitForSelector('li.person:has-text("Wenche") .consent:has-text("agreed by Ingebjørg")', { timeout: 10000 });
  // Kept by the hub, not only on this page.
  await admin.reload();
  await admin.waitForSelector('li.person:has-text("Wenche") .consent:has-text("agreed by Ingebjørg")');
});

const kioskCount = async () => {
  const list = await hub.admin('list');
  return list.households.find((x) => x.id === household.household).kiosks.length;
};

test('a new screen is paired with the code it shows; a wrong code says so and changes nothing', async () => {
  screen = new ProtocolKiosk(hub);
  const welcome = await screen.open({ kind: 'pair' });
  assert.equal(welcome.role, 'unpaired');
  const code = welcome.pairing_code;
  assert.match(code, /^\d{4}-\d{4}$/);
  const before = await kioskCount();
  const result = admin.locator('[data-note="pair"]');

  // One digit wrong, typed the way it is read off the screen.
  const wrongDigit = String((Number(code[0]) + 1) % 10);
  await admin.locator('#pair-code').pressSequentially(`${wrongDigit}${code.slice(1, 4)} ${code.slice(5)}`);
  await admin.click('#pair-submit');
  await admin.waitForSelector('[data-note="pair"].problem', { timeout: 10000 });
  assert.equal(await result.textContent(), 'That code does not match a screen waiting to be connected. Check the numbers on the screen and try again.');
  assert.equal(await admin.inputValue('#pair-code'), `${wrongDigit}${code.slice(1, 4)} ${code.slice(5)}`, 'the typed code stays to be corrected');
  assert.equal(await kioskCount(), before, 'no screen was added');
  assert.equal(screen.inbox.some((m) => m.type === 'paired'), false);

  await admin.fill('#pair-code', '');
  await admin.locator('#pair-code').pressSequentially(`${code.slice(0, 4)} ${code.slice(5)}`);
  await admin.click('#pair-submit');
  const paired = await screen.next((m) => m.type === 'paired');
  assert.equal(paired.household, household.household);
  assert.match(paired.kiosk, /^k_/);
  await admin.waitForSelector('[data-note="pair"]:has-text("The screen is connected.")', { timeout: 10000 });
  assert.equal(await result.getAttribute('class'), 'result');
  assert.equal(await admin.inputValue('#pair-code'), '');
  assert.equal(await kioskCount(), before + 1);
  screen.close();

  // The screen now signs in with what it was given.
  const signedIn = await screen.open({ kind: 'device', kiosk: paired.kiosk, secret: paired.secret });
  assert.equal(signedIn.role, 'kiosk');
  screen.close();
});

test('a double click on "Connect the screen" sends the code once and says it is connected', async () => {
  // A second admin's page, watched from its first WebSocket frame: what the page sends is counted.
  const bjorn = await invite(hub, household.household, { name: 'Bjørn', relationship: 'Son', rights: ['call', 'admin'] });
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 800 } });
  const sent = [];
  const answers = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => { try { sent.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
    ws.on('framereceived', (f) => { try { answers.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
  });
  await joinByInvite(page, bjorn.link);
  await page.goto(`${hub.origin}/#/h/${household.household}/admin`);
  await page.waitForSelector('#pair-code');

  const waiting = new ProtocolKiosk(hub);
  const { pairing_code: code } = await waiting.open({ kind: 'pair' });
  try {
    await page.fill('#pair-code', code.replace('-', ' '));
    await page.dblclick('#pair-submit');
    await waiting.next((m) => m.type === 'paired');
    await page.waitForSelector('[data-note="pair"]:has-text("The screen is connected.")', { timeout: 10000 });
    // Once the first request has its answer, a second one sent by the second click would have
    // been sent already (both clicks come before any answer).
    const pairs = () => sent.filter((m) => m.type === 'household.pair');
    await waitFor(async () => pairs().length > 0 && answers.some((a) => a.re === pairs()[0].id), { what: 'the answer to household.pair' });
    assert.equal(pairs().length, 1, `sent ${JSON.stringify(pairs())}`);
    await waitFor(async () => page.isEnabled('#pair-submit'), { what: 'the button back' });
    assert.equal(await page.textContent('[data-note="pair"]'), 'The screen is connected.');
    assert.equal(await page.getAttribute('[data-note="pair"]', 'class'), 'result');
  } finally {
    waiting.close();
  }

  // Wrong codes are limited per person: after ten, the page says to wait, in words.
  const direct = new ProtocolKiosk(hub);
  await direct.open({ kind: 'session', token: await page.evaluate(() => localStorage.getItem('vindu.session')) });
  try {
    for (let i = 0; i < 10; i++) {
      await assert.rejects(direct.request({ type: 'household.pair', household: household.household, code: `${String(i).padStart(4, '0')}-0001` }), { code: 'not_found' });
    }
  } finally {
    direct.close();
  }
  await page.fill('#pair-code', '1234 5678');
  await page.click('#pair-submit');
  await page.waitForSelector('[data-note="pair"].problem', { timeout: 10000 });
  assert.equal(await page.textContent('[data-note="pair"]'), 'Too many wrong codes were tried. Wait ten minutes, then type the code on the screen again.');
});

test('a removed person is signed out at once', async () => {
  const page = wenche.page;
  await page.goto(`${hub.origin}/#/h/${household.household}`);
  await page.waitForSelector('.household h1');

  const person = admin.locator('li.person:has-text("Wenche")');
  if ((await person.locator('details').getAttribute('open')) === null) await person.locator('summary').click();
  await person.locator('button:has-text("Remove Wenche")').click();
  const started = Date.now();
  await person.locator('button:has-text("Yes, remove")').click();

  await page.waitForSelector('.notice h1:has-text("Your access was removed")', { timeout: 5000 });
  const took = Date.now() - started;
  assert.ok(took < 5000, `signed out after ${took} ms`);
  assert.equal(await page.evaluate(() => localStorage.getItem('vindu.session')), null);
  assert.equal(await page.isVisible('#nav a'), false);

  // Nothing comes back on reload: the session is gone here and refused by the hub.
  await page.reload();
  await page.waitForSelector('.notice h1');
  assert.equal(await page.textContent('.notice h1'), 'Welcome to Vindu');
  await waitFor(async () => !(await admin.isVisible('li.person:has-text("Wenche")')), { what: 'Wenche gone from the list' });
});

test('the household\'s screens are listed; a removed screen is signed out at once and gone from the list', async () => {
  // a screen of its own for this test, paired with the household's provisioning code
  const lost = await new ProtocolKiosk(hub).pair(household.provisioning_code);
  const count = await kioskCount();
  await admin.reload();
  await admin.waitForSelector('#screens-h');
  await waitFor(async () => (await admin.locator('li.screen').count()) === count, { what: `${count} screens listed` });
  const item = admin.locator(`li.screen[data-kiosk="${lost.kiosk}"]`);
  const name = await item.locator('h3').textContent();
  assert.match(name, /^Screen \d+$/);
  await item.locator(`button:has-text("Remove ${name.toLowerCase()}")`).click();
  await item.locator('button:has-text("Yes, remove")').click();
  const refused = await lost.next((m) => m.type === 'error' && m.code === 'revoked');
  assert.equal(refused.code, 'revoked');
  await waitFor(async () => !(await admin.isVisible(`li.screen[data-kiosk="${lost.kiosk}"]`)), { what: 'the screen gone from the list' });
  assert.equal(await kioskCount(), count - 1);
  // its secret and the household's code are both refused now
  const again = new ProtocolKiosk(hub);
  const denied = await again.open({ kind: 'device', kiosk: lost.kiosk, secret: lost.secret }).catch((e) => e);
  assert.equal(denied.code || denied.type, 'bad_credentials');
  again.close();
  lost.close();
});
