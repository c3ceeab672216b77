// Reminders in the browser against the real hub: Anna makes two in the form, each telling Kari
// if not confirmed after one minute; the screen (a protocol kiosk) answers Done for one, and
// Anna's list says "Done at HH:MM" today; for the other, nothing comes, and Kari's page shows
// the hub's notice with a button to call Ingebjørg — and none for the one done. Wenche, without
// the right, sees no form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, waitFor } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let browser;
let home;
let kiosk;
before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  await kiosk.request({ type: 'kiosk.plugins', plugins: [{ name: 'reminders', version: '2.1.0', kinds: ['reminder'], state: 'running' }], quarantined: [] });
  browser = await launchBrowser();
});
after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

const pad = (n) => String(n).padStart(2, '0');

async function makeReminder(page, title, when, kariId) {
  await page.click('#plugin-reminder-new');
  await page.fill('#pf-reminder-title', title);
  await page.fill('#pf-reminder-starts_at', `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`);
  await page.fill('#pf-reminder-starts_at-time', `${pad(when.getHours())}:${pad(when.getMinutes())}`);
  await page.selectOption('#pf-reminder-rrule', 'FREQ=DAILY');
  await page.selectOption('#pf-reminder-tell', kariId);
  await page.fill('#pf-reminder-tell_after_minutes', '1');
  await page.click('#pf-reminder-form button[type=submit]');
  return kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'reminder' && m.body.title === title);
}

test('done shows on Anna\'s page; not confirmed reaches Kari with a call button; no form without the right', async () => {
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'reminders'] });
  const kari = await invite(hub, home.household, { name: 'Kari', relationship: 'Niece', rights: ['call', 'message'] });
  const wenche = await invite(hub, home.household, { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: ['call'] });
  const { page: annaPage } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(annaPage, anna.link);
  await annaPage.goto(`${hub.origin}/#/h/${home.household}`);
  await annaPage.locator('#plugin-reminder-new').waitFor();
  const { page: kariPage } = await newPerson(browser);
  await joinByInvite(kariPage, kari.link);
  await kariPage.goto(`${hub.origin}/#/h/${home.household}`);
  await kariPage.locator('h1').waitFor();

  const next = new Date(Math.ceil((Date.now() + 1000) / 60000) * 60000);
  const pills = await makeReminder(annaPage, 'Heart pills', next, kari.person);
  const walk = await makeReminder(annaPage, 'Walk', next, kari.person);
  assert.equal(pills.body.starts_at, next.getTime() / 1000);
  assert.equal(pills.body.tell, kari.person);
  assert.equal(pills.body.time_zone, await annaPage.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));

  // the screen: Done for the walk, at its time
  const due = walk.body.starts_at;
  await kiosk.request({ type: 'plugin.answer', household: home.household, answer: 'k-walk-1', kind: 'reminder', doc: walk.doc, rev: walk.rev, body: { state: 'done', at: due, due } });
  const item = annaPage.locator(`.plugin-doc[data-doc="${walk.doc}"]`);
  await waitFor(async () => (await item.locator('.today-state').textContent()).includes(`Done at ${pad(next.getHours())}:${pad(next.getMinutes())}`),
    { what: 'Done at … on Anna\'s page', timeoutMs: 10000 });
  assert.equal(await item.locator('.fourteen-days li').count(), 14);
  assert.equal(await item.locator('.fourteen-days li[data-state="done"]').count(), 1);

  // not confirmed a minute after its time: Kari is told, with a button to call
  const notice = kariPage.locator(`.escalation[data-doc="${pills.doc}"]`);
  await notice.waitFor({ timeout: 150000 });
  assert.match(await notice.textContent(), /Ingebjørg has not confirmed “Heart pills”/);
  assert.equal((await notice.locator('button').textContent()).trim(), 'Call Ingebjørg');
  assert.equal(await notice.locator('.offline-since').count(), 0, 'the screen is online');
  await new Promise((r) => setTimeout(r, 6000)); // one more check on the hub
  assert.equal(await kariPage.locator(`.escalation[data-doc="${walk.doc}"]`).count(), 0, 'done first: nobody told');
  assert.equal(await kariPage.locator('#plugin-reminder-new').count(), 0, 'Kari has no reminders right');

  const { page: wenchePage } = await newPerson(browser);
  await joinByInvite(wenchePage, wenche.link);
  await wenchePage.goto(`${hub.origin}/#/h/${home.household}`);
  await wenchePage.locator('h1').waitFor();
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await wenchePage.locator('#plugin-reminder-new, #pf-reminder-form').count(), 0, 'no form without the right');
});

// Repetition on chosen weekdays, ticked in the form, and each reminder's next time in the list.
test('chosen weekdays make their rule, and the list says when it is next', async () => {
  const anna = await invite(hub, home.household, { name: 'Anna T', rights: ['call', 'message', 'reminders'] });
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.locator('#plugin-reminder-new').click();
  await page.fill('#pf-reminder-title', 'Choir tablets');
  const start = new Date();
  await page.fill('#pf-reminder-starts_at', `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`);
  await page.fill('#pf-reminder-starts_at-time', '09:00');
  assert.ok(await page.locator('.chosen-days').isHidden(), 'the days only when asked for');
  await page.selectOption('#pf-reminder-rrule', 'chosen-days');
  await page.check('#pf-reminder-rrule-TU');
  await page.check('#pf-reminder-rrule-TH');
  await page.click('#pf-reminder-form button[type=submit]');
  const doc = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'reminder' && m.body.title === 'Choir tablets');
  assert.equal(doc.body.rrule, 'FREQ=WEEKLY;BYDAY=TU,TH');

  // the next Tuesday or Thursday at 09:00 after now, as this machine's clock counts
  const next = new Date(start.getFullYear(), start.getMonth(), start.getDate(), 9, 0);
  while (next <= new Date() || ![2, 4].includes(next.getDay())) next.setDate(next.getDate() + 1);
  const when = await page.evaluate((ms) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(ms)), next.getTime());
  const words = `Next time: ${when}`;
  const item = page.locator(`.plugin-doc[data-doc="${doc.doc}"] .next-time`);
  await waitFor(async () => (await item.count()) === 1 && (await item.textContent()) === words, { what: words, timeoutMs: 10000 });

  // opened again, the form shows the days ticked
  await page.locator(`.plugin-doc[data-doc="${doc.doc}"] button`, { hasText: /change/i }).first().click();
  assert.equal(await page.locator('#pf-reminder-rrule').inputValue(), 'chosen-days');
  assert.ok(await page.locator('#pf-reminder-rrule-TU').isChecked());
  assert.ok(!(await page.locator('#pf-reminder-rrule-MO').isChecked()));
});
