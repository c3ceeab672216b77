// Joining by invite link against the real hub: signed in with no password, the household shown,
// the one-time token gone from the address bar, still signed in after a reload, a used link refused,
// and the texts switch language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub } from './harness.js';

let hub;
let browser;
let household;
let anna;

before(async () => {
  hub = await startHub();
  household = await createHousehold(hub, 'Ingebjørg');
  anna = await invite(hub, household.household, { name: 'Anna', rights: ['call', 'message', 'status', 'admin'] });
  browser = await launchBrowser();
});
after(cleanup);

test('an invite link signs the person in and shows their household', async () => {
  const { page, errors } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  assert.equal(await page.textContent('h1'), 'Hello, Anna');
  assert.equal((await page.textContent('.card h2')).trim(), 'Ingebjørg');
  // The household has no kiosk yet, and the page says so in words.
  assert.match(await page.textContent('.card .status'), /No Vindu screen set up yet/);
  // The one-time token left the address bar; the session token is kept for next time.
  assert.ok(!page.url().includes('join='), `token still in URL: ${page.url()}`);
  const stored = await page.evaluate(() => localStorage.getItem('vindu.session'));
  assert.ok(stored && stored.length >= 16 && stored !== anna.token);

  await page.reload();
  await page.waitForSelector('.home h1');
  assert.equal(await page.textContent('h1'), 'Hello, Anna');

  await page.click('.card a');
  await page.waitForSelector('.household h1');
  assert.equal(await page.textContent('.household h1'), 'Ingebjørg');
  assert.equal(await page.isVisible('#photo-button'), true);
  assert.equal(await page.isVisible('text=People and settings'), true);
  assert.deepEqual(errors.map(String), []);
});

test('a used invite link is refused in plain words', async () => {
  const { page } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  assert.equal(await page.textContent('.notice h1'), 'This invite link does not work');
  assert.match(await page.textContent('.notice p'), /used already or is too old/);
  assert.equal(await page.evaluate(() => localStorage.getItem('vindu.session')), null);
});

test('without an invite the start page explains what to do', async () => {
  const { page } = await newPerson(browser);
  await page.goto(`${hub.origin}/`);
  await page.waitForSelector('.notice h1');
  assert.equal(await page.textContent('.notice h1'), 'Welcome to Vindu');
});

test('the language can be chosen and is remembered', async () => {
  const bob = await invite(hub, household.household, { name: 'Bjørn', relationship: 'Son' });
  const { page } = await newPerson(browser, { locale: 'sv-SE' });
  await joinByInvite(page, bob.link);
  assert.equal(await page.textContent('h1'), 'Hej, Bjørn');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  for (const [lang, hello] of [['nb', 'Hei, Bjørn'], ['nn', 'Hei, Bjørn'], ['en', 'Hello, Bjørn']]) {
    await page.selectOption('#lang-select', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    assert.equal(await page.textContent('h1'), hello);
  }
  await page.selectOption('#lang-select', 'nn');
  await page.waitForFunction(() => document.documentElement.lang === 'nn');
  await page.reload();
  await page.waitForSelector('.home h1');
  assert.equal(await page.textContent('.lead'), 'Vel kven du vil ringje eller sende noko til.');
});

test('several invites on one browser are all kept; one can switch, and a removal leaves the others', async () => {
  const second = await createHousehold(hub, 'Sigrid');
  const kariA = await invite(hub, household.household, { name: 'Kari', relationship: 'Home nurse', role: 'staff', rights: ['call', 'status'] });
  const kariB = await invite(hub, second.household, { name: 'Kari', relationship: 'Home nurse', role: 'staff', rights: ['call', 'status'] });
  const { page } = await newPerson(browser);
  await joinByInvite(page, kariA.link);
  await joinByInvite(page, kariB.link);
  assert.equal((await page.textContent('.card h2')).trim(), 'Sigrid');
  assert.equal(await page.textContent('.other-sessions button'), 'Switch to Kari – Ingebjørg');

  await page.click('.other-sessions button');
  await page.waitForSelector('.home .card');
  assert.equal((await page.textContent('.card h2')).trim(), 'Ingebjørg');
  assert.equal(await page.textContent('.other-sessions button'), 'Switch to Kari – Sigrid');

  // Removed from Ingebjørg's household while looking at it: signed out of that one at once,
  // and offered the sign-in that is still valid.
  await hub.admin('revoke', '--household', household.household, '--person', kariA.person);
  await page.waitForSelector('.notice h1:has-text("Your access was removed")', { timeout: 5000 });
  assert.equal(await page.textContent('#switch-session'), 'Continue as Kari – Sigrid');
  await page.click('#switch-session');
  await page.waitForSelector('.home .card');
  assert.equal((await page.textContent('.card h2')).trim(), 'Sigrid');
  assert.equal(await page.isVisible('.other-sessions'), false);
});

// A used link opened again and again meets its own limit (5 tries in 10 minutes at the hub): the
// page then says how long to wait, not "No connection"; a person already signed in from the same
// address is not affected.
test('too many tries with one link: the page says to wait N minutes; others still sign in', async () => {
  const jonas = await invite(hub, household.household, { name: 'Jonas', rights: ['call', 'message'] });
  const first = await newPerson(browser);
  await joinByInvite(first.page, jonas.link);
  assert.equal(await first.page.textContent('h1'), 'Hello, Jonas');
  for (let i = 0; i < 4; i++) {
    const { page, context } = await newPerson(browser);
    await joinByInvite(page, jonas.link);
    assert.equal(await page.textContent('h1'), 'This invite link does not work', `try ${i + 1}`);
    await context.close();
  }
  const { page } = await newPerson(browser);
  await joinByInvite(page, jonas.link);
  assert.equal(await page.textContent('h1'), 'Too many tries');
  assert.match(await page.textContent('main'), /Wait 10 min and try again/);
  assert.doesNotMatch(await page.textContent('main'), /No connection/);
  // Jonas, already signed in, reloads: his session is still good
  await first.page.reload();
  await first.page.waitForSelector('.home h1');
  assert.equal(await first.page.textContent('h1'), 'Hello, Jonas');
});
