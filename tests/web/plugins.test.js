// Plugin documents in the browser, against the real hub and its manifests (plugins/*/manifest.json):
// a form per kind the household's kiosk runs, for people holding its right only; every form
// audited by axe-core; a reminder made, answered by the screen, changed and deleted; a body the
// hub refuses is said next to its field; the admin page says plainly what the screen set aside.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, repoRoot, startHub, waitFor } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const shots = process.env.VINDU_SCREENSHOTS; // a PNG of every audited page there, to look at
const ALL = [
  { name: 'reminders', version: '2.0.0', kinds: ['reminder'], state: 'running' },
  { name: 'memory-book', version: '2.0.0', kinds: ['memory'], state: 'running' },
  { name: 'activities', version: '2.0.0', kinds: ['activity'], state: 'running' },
];

let hub;
let browser;
let home;
let kiosk;
let anna;
let annaPage;
const sent = [];
const received = [];

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  await kiosk.request({ type: 'kiosk.plugins', plugins: ALL, quarantined: [] });
  browser = await launchBrowser();
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'reminders', 'memory_book', 'activities', 'admin'] });
  ({ page: annaPage } = await newPerson(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true }));
  annaPage.on('websocket', (ws) => {
    ws.on('framesent', (f) => { try { sent.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
    ws.on('framereceived', (f) => { try { received.push(JSON.parse(f.payload)); } catch { /* not JSON */ } });
  });
  await joinByInvite(annaPage, anna.link);
  await annaPage.goto(`${hub.origin}/#/h/${home.household}`);
  await annaPage.waitForSelector('.plugin-kind[data-kind="reminder"] .plugin-docs li');
});
after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast-enhanced': { enabled: true } },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.equal(report.length, 0, `${name}:\n  ${report.join('\n  ')}`);
  if (shots) await page.screenshot({ path: join(shots, `plugins-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
}

test('every manifest form is drawn from its fields, in the page language, with no accessibility violation', async () => {
  const kinds = await annaPage.$$eval('.plugin-kind', (els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds.sort(), ['activity', 'memory', 'reminder']);
  const expected = {
    reminder: {
      title: 'text', starts_at: 'datetime', rrule: 'repetition', time_zone: 'time_zone', photo: 'photo',
      wait_minutes: 'minutes', tell: 'person', tell_after_minutes: 'minutes',
    },
    memory: { file: 'photo', caption: 'text', voice_file: 'voice', chapter: 'choice', own_chapter: 'text', people: 'text', taken_at: 'datetime', order: 'count' },
    activity: {
      title: 'text', photo: 'photo', place: 'place', address: 'place', starts_at: 'datetime', ends_at: 'datetime',
      invited_by_name: 'text', invited_by: 'person', answer_by: 'datetime', ride_offered: 'yes_no', ride_by: 'text',
      pickup_at: 'datetime', capacity: 'count', cancelled: 'yes_no',
    },
  };
  for (const kind of kinds) {
    await annaPage.click(`#plugin-${kind}-new`);
    const form = annaPage.locator(`#pf-${kind}-form`);
    await form.waitFor();
    const fields = await form.locator('[data-field]').evaluateAll((els) => els.map((e) => e.dataset.field));
    assert.deepEqual(fields, Object.keys(expected[kind]), kind);
    if (expected[kind].rrule) {
      const options = await form.locator('select').first().locator('option').allTextContents();
      assert.deepEqual(options.slice(0, 3), ['Only once', 'Every day', 'Every weekday (Monday to Friday)']);
    }
    if (expected[kind].file || expected[kind].photo) assert.equal(await form.locator('input[type=file]').count(), 1);
    // a new reminder is in the browser's zone (this browser runs in the test's TZ)
    if (expected[kind].time_zone) assert.equal(await form.locator('[data-field=time_zone] input').inputValue(), await annaPage.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
    await audit(annaPage, `form ${kind}`);
    await form.locator('button', { hasText: 'Cancel' }).click();
  }
  // the same page in Norwegian: labels come from the manifest's nb texts
  await annaPage.selectOption('#lang-select', 'nb');
  // the page is drawn again in the new language: a click on the old drawing opens nothing
  await waitFor(async () => {
    await annaPage.click('#plugin-reminder-new');
    return (await annaPage.locator('label[for="pf-reminder-title"]').count()) > 0;
  }, { timeoutMs: 30000, what: 'the reminder form in Norwegian' });
  assert.equal((await annaPage.locator('label[for="pf-reminder-title"]').textContent()).trim(), 'Hva skal gjøres');
  await audit(annaPage, 'form reminder nb');
  await annaPage.locator('#pf-reminder-form button', { hasText: 'Avbryt' }).click();
  await annaPage.selectOption('#lang-select', 'en');
  // and at phone size
  await annaPage.setViewportSize({ width: 390, height: 844 });
  for (const kind of kinds) {
    await annaPage.click(`#plugin-${kind}-new`);
    await annaPage.locator(`#pf-${kind}-form`).waitFor();
    await audit(annaPage, `form ${kind} phone`);
    await annaPage.locator(`#pf-${kind}-form button`, { hasText: 'Cancel' }).click();
  }
  await annaPage.setViewportSize({ width: 1280, height: 900 });
});

test('a reminder made in the form reaches the kiosk, shows the screen\'s answer in words, is changed and deleted', async () => {
  await annaPage.click('#plugin-reminder-new');
  await annaPage.fill('#pf-reminder-title', 'Time for your walk');
  await annaPage.fill('#pf-reminder-starts_at', '2030-06-03');
  await annaPage.fill('#pf-reminder-starts_at-time', '11:00');
  await annaPage.selectOption('#pf-reminder-rrule', 'FREQ=DAILY');
  await annaPage.click('#pf-reminder-form button[type=submit]');
  const d1 = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'reminder' && !m.deleted);
  assert.equal(d1.body.title, 'Time for your walk');
  assert.equal(d1.body.rrule, 'FREQ=DAILY');
  assert.equal(new Date(d1.body.starts_at * 1000).getFullYear(), 2030);
  const item = annaPage.locator(`.plugin-doc[data-doc="${d1.doc}"]`);
  await item.waitFor();
  assert.match(await item.locator('.summary').textContent(), /Repeat: Every day/);

  await kiosk.request({ type: 'plugin.answer', household: home.household, answer: 'k-ans-1', kind: 'reminder', doc: d1.doc, rev: d1.rev, body: { state: 'done', at: Math.floor(Date.now() / 1000) } });
  await waitFor(async () => /Ingebjørg answered: Done/.test(await item.textContent()), { what: 'the answer on the page' });
  await audit(annaPage, 'documents with an answer');

  await item.locator('button', { hasText: 'Change' }).click();
  await annaPage.fill('#pf-reminder-title', 'Walk at noon');
  await annaPage.click('#pf-reminder-form button[type=submit]');
  const d2 = await kiosk.next((m) => m.type === 'doc.deliver' && m.doc === d1.doc && m.rev === 2);
  assert.equal(d2.body.title, 'Walk at noon');
  assert.equal(d2.body.rrule, 'FREQ=DAILY', 'what was not changed is kept');

  const changed = annaPage.locator(`.plugin-doc[data-doc="${d1.doc}"]`);
  await waitFor(async () => /Walk at noon/.test(await changed.locator('h3').textContent()), { what: 'the new title' });
  await changed.locator('button', { hasText: 'Delete' }).click();
  await changed.locator('button', { hasText: 'Yes, delete' }).click();
  const d3 = await kiosk.next((m) => m.type === 'doc.deliver' && m.doc === d1.doc && m.deleted);
  assert.equal(d3.rev, 3);
  await waitFor(async () => (await annaPage.locator(`.plugin-doc[data-doc="${d1.doc}"]`).count()) === 0, { what: 'the item gone' });
});

test('a memory book page with a photo picked in the form: uploaded, kept in the household, shown when changed', async () => {
  const photo = await makeJpeg(annaPage, 1600, 1200);
  await annaPage.click('#plugin-memory-new');
  await annaPage.setInputFiles('#pf-memory-file', photo);
  await annaPage.fill('#pf-memory-caption', 'Summer at the cabin');
  await annaPage.click('#pf-memory-form button[type=submit]');
  const d = await kiosk.next((m) => m.type === 'doc.deliver' && m.kind === 'memory' && !m.deleted)
    .catch(async (e) => { throw new Error(`${e.message}; the form says: ${await annaPage.locator('#pf-memory-form').textContent()}; frames: ${JSON.stringify(received.slice(-3))}`); });
  assert.match(d.body.file, /^[0-9a-f]{64}$/);
  assert.equal(d.body.caption, 'Summer at the cabin');
  const bytes = await kiosk.fetchFile(d.body.file); // the kiosk can fetch it: it belongs to the household
  assert.equal(bytes[0], 0xff);
  const item = annaPage.locator(`.plugin-doc[data-doc="${d.doc}"]`);
  await item.waitFor();
  assert.match(await item.locator('.summary').textContent(), /Photo: a photo/);
  await item.locator('button', { hasText: 'Change' }).click();
  await annaPage.waitForSelector('#pf-memory-form .photo-preview img');
  await annaPage.locator('#pf-memory-form button', { hasText: 'Cancel' }).click();
});

test('a body that breaks its schema is refused by the hub with its code, and the page says so at the field', async () => {
  await annaPage.click('#plugin-reminder-new');
  // what the form itself would never send: the browser's limit removed, 201 characters
  await annaPage.evaluate(() => document.getElementById('pf-reminder-title').removeAttribute('maxlength'));
  await annaPage.fill('#pf-reminder-title', 'x'.repeat(201));
  await annaPage.fill('#pf-reminder-starts_at', '2030-06-03');
  const before = received.length;
  await annaPage.click('#pf-reminder-form button[type=submit]');
  const problem = annaPage.locator('#pf-reminder-title-problem');
  await problem.waitFor({ state: 'visible' });
  assert.equal((await problem.textContent()).trim(), '“What to do” is too long, too short, or not one of the choices.');
  assert.equal(await annaPage.getAttribute('#pf-reminder-title', 'aria-invalid'), 'true');
  const err = received.slice(before).find((m) => m.type === 'error');
  assert.deepEqual([err.code, err.field], ['out_of_range', 'title']);
  // a required field left empty: the hub's missing_field, said at that field
  await annaPage.fill('#pf-reminder-title', 'Lunch');
  await annaPage.fill('#pf-reminder-starts_at', '');
  await annaPage.click('#pf-reminder-form button[type=submit]');
  const when = annaPage.locator('#pf-reminder-starts_at-problem');
  await waitFor(async () => (await when.textContent()) === 'Please fill in “When”.', { what: 'missing_field at When' });
  await audit(annaPage, 'form with problems');
  await annaPage.locator('#pf-reminder-form button', { hasText: 'Cancel' }).click();
  const list = await kiosk.request({ type: 'doc.list', household: home.household, kind: 'reminder' });
  assert.equal(list.items.filter((i) => !i.deleted).length, 0, 'nothing stored');
});

test('a person without the right sees no form; one with a single right sees that one', async () => {
  const olav = await invite(hub, home.household, { name: 'Olav', relationship: 'Grandson', rights: ['call', 'message'] });
  const wenche = await invite(hub, home.household, { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: ['call', 'reminders'] });
  const { page: op } = await newPerson(browser);
  await joinByInvite(op, olav.link);
  await op.goto(`${hub.origin}/#/h/${home.household}`);
  await op.waitForSelector('.household h1');
  await op.waitForTimeout(500);
  assert.equal(await op.locator('.plugin-kind').count(), 0);
  assert.equal(await op.locator('form.plugin-form').count(), 0);
  const { page: wp } = await newPerson(browser);
  await joinByInvite(wp, wenche.link);
  await wp.goto(`${hub.origin}/#/h/${home.household}`);
  await wp.waitForSelector('.plugin-kind');
  assert.deepEqual(await wp.$$eval('.plugin-kind', (els) => els.map((e) => e.dataset.kind)), ['reminder']);
  // a kind the kiosk stops running leaves the page
  await kiosk.request({ type: 'kiosk.plugins', plugins: ALL.map((p) => (p.name === 'reminders' ? { ...p, state: 'refused' } : p)), quarantined: [] });
  await waitFor(async () => (await wp.locator('.plugin-kind').count()) === 0, { what: 'the form gone' });
  await kiosk.request({ type: 'kiosk.plugins', plugins: ALL, quarantined: [] });
});

test('the admin page says plainly which document the screen set aside', async () => {
  const put = await kiosk.request({ type: 'doc.put', household: home.household, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'Walk', starts_at: 1900000000 } });
  await kiosk.request({ type: 'kiosk.plugins', plugins: ALL, quarantined: [{ plugin: 'reminders', kind: 'reminder', doc: 'walk', rev: put.rev, faults: 3 }] });
  await annaPage.goto(`${hub.origin}/#/h/${home.household}/admin`);
  const note = annaPage.locator('.set-aside li[data-doc="walk"]');
  await note.waitFor();
  assert.match(await note.textContent(), /^Reminder “Walk”: Ingebjørg’s screen stopped 3 times on it\. It has been set aside: change it or delete it\./);
  await audit(annaPage, 'admin with a set-aside note');
  await kiosk.request({ type: 'kiosk.plugins', plugins: ALL, quarantined: [] });
  await waitFor(async () => (await annaPage.locator('.set-aside').isHidden()), { what: 'the note gone' });
});
