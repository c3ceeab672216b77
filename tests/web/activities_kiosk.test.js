// Activity invitations from the coordinator's side (issue #13), end to end: the real hub with the
// tree's manifests, two real headless kiosks running the real activities plugin, Chromium for
// Kari, a coordinator who serves both households with one sign-in (`admin join`).
// - Kari invites both households with one form (one doc.put_many); each kiosk shows the card;
//   Ingebjørg answers yes with a ride, Arne no; Kari's activity page shows both answers and the
//   pick-up list with the time and Ingebjørg's address; the page passes axe-core; a new time and
//   a cancellation made there reach both kiosks. Wenche, a volunteer without the right, sees no
//   activity form.
// - An answer given while the hub is stopped arrives once, on Kari's page, after it restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolKiosk } from './protocol-kiosk.js';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, repoRoot, startHub, stopHub, startKiosk, tempDir, waitFor } from './harness.js';

const PLUGIN_DIR = process.env.VINDU_PLUGIN_DIR;
if (!PLUGIN_DIR) throw new Error('set VINDU_PLUGIN_DIR');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const shots = process.env.VINDU_SCREENSHOTS;

let manifests;
let kioskPlugins;
before(() => {
  manifests = tempDir('manifests');
  for (const name of readdirSync(join(repoRoot, 'plugins'))) {
    const m = join(repoRoot, 'plugins', name, 'manifest.json');
    if (existsSync(m)) cpSync(m, join(manifests, `${name}.json`));
  }
  kioskPlugins = tempDir('kiosk-plugins');
  symlinkSync(join(PLUGIN_DIR, 'activities.so'), join(kioskPlugins, 'activities.so'));
});
after(cleanup);

const pad = (n) => String(n).padStart(2, '0');
const ready = (s) => s.paired === 1 && s.connected === 1 && /^([1-9]\d*)\/\1$/.test(String(s.plugins));

// Two households, two kiosks, Kari coordinating both (her one sign-in), Wenche volunteering at
// Ingebjørg's without the activities right; each household's address on record.
async function setup() {
  const hub = await startHub({ args: ['--plugins-dir', manifests] });
  const a = await createHousehold(hub, 'Ingebjørg');
  const b = await createHousehold(hub, 'Arne');
  const kari = await invite(hub, a.household, { name: 'Kari', relationship: 'Coordinator', role: 'coordinator', rights: ['call', 'activities'] });
  await hub.admin('join', '--household', b.household, '--person', kari.person, '--relationship', 'Coordinator',
    '--role', 'coordinator', '--rights', 'call,activities');
  const wenche = await invite(hub, a.household, { name: 'Wenche', relationship: 'Visitor', role: 'volunteer', rights: ['call', 'message'] });
  await hub.admin('address', '--household', a.household, '--address', 'Storgata 1, 0155 Oslo');
  await hub.admin('address', '--household', b.household, '--address', 'Kirkeveien 7, 0368 Oslo');
  const ka = await startKiosk(hub, a.provisioning_code, ['--plugins-dir', kioskPlugins]);
  const kb = await startKiosk(hub, b.provisioning_code, ['--plugins-dir', kioskPlugins]);
  for (const k of [ka, kb]) await waitFor(async () => ready(await k.status()), { timeoutMs: 90000, what: 'a kiosk ready with its plugin' });
  return { hub, a, b, kari, wenche, ka, kb };
}

async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast-enhanced': { enabled: true } },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.equal(report.length, 0, `${name}:\n  ${report.join('\n  ')}`);
  if (shots) await page.screenshot({ path: join(shots, `activities-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
}

const card = async (k) => String((await k.status()).card);

// Kari's form on Ingebjørg's page, both households ticked; returns the activity's doc id.
async function inviteBoth(page, hub, a, b, title, start) {
  await page.goto(`${hub.origin}/#/h/${a.household}`);
  await page.locator('#plugin-activity-new').click();
  await page.locator('#invite-households').waitFor();
  assert.equal(await page.isChecked(`#invite-${a.household}`), true, 'the page\'s own household is ticked');
  assert.equal(await page.isChecked(`#invite-${b.household}`), false, 'another household is not, until chosen');
  await page.check(`#invite-${b.household}`);
  const date = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const pickup = new Date(start.getTime() - 20 * 60000);
  await page.fill('#pf-activity-title', title);
  await page.fill('#pf-activity-place', 'Dagsenteret');
  await page.fill('#pf-activity-starts_at', date(start));
  await page.fill('#pf-activity-starts_at-time', time(start));
  await page.fill('#pf-activity-invited_by_name', 'Kari');
  await page.check('#pf-activity-ride_offered');
  await page.fill('#pf-activity-ride_by', 'Wenche');
  await page.fill('#pf-activity-pickup_at', date(pickup));
  await page.fill('#pf-activity-pickup_at-time', time(pickup));
  await page.click('#pf-activity-form button[type=submit]');
  const item = page.locator('.plugin-doc', { hasText: title });
  await item.waitFor({ timeout: 20000 });
  return item.getAttribute('data-doc');
}

test('Kari invites two households at once; yes with a ride and no on her page with the pick-up list; new time and cancellation reach both kiosks', async () => {
  const { hub, a, b, kari, wenche, ka, kb } = await setup();
  const browser = await launchBrowser();
  const { page, errors } = await newPerson(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const frames = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => { try { frames.push(JSON.parse(f.payload)); } catch { /* not JSON */ } }));
  await joinByInvite(page, kari.link);
  const start = new Date(Math.ceil((Date.now() + 3 * 3600 * 1000) / 60000) * 60000);
  const doc = await inviteBoth(page, hub, a, b, 'Julekonsert', start);
  const puts = frames.filter((f) => f.type === 'doc.put_many' || f.type === 'doc.put');
  assert.deepEqual(puts.map((f) => f.type), ['doc.put_many'], 'one request for both households');
  assert.deepEqual(puts[0].targets.map((x) => x.household).sort(), [a.household, b.household].sort());

  for (const k of [ka, kb]) await waitFor(async () => (await card(k)) === `invite:${doc}`, { timeoutMs: 60000, what: 'the invitation card on each kiosk' });
  for (const k of [ka, kb]) assert.ok(Number((await k.status()).said) >= 1, 'the card was read aloud');
  ka.command('touch card:yes');
  await waitFor(async () => (await card(ka)) === `ride:${doc}`, { timeoutMs: 30000, what: 'the ride question' });
  ka.command('touch card:ride-yes');
  kb.command('touch card:no');
  for (const k of [ka, kb]) await waitFor(async () => (await card(k)) === `confirm:${doc}`, { timeoutMs: 30000, what: 'the confirmation' });

  // her page for the activity, from the household page's link
  await page.locator(`.plugin-doc[data-doc="${doc}"] .activity-page-link`).click();
  await page.locator('.activity-page h1', { hasText: 'Julekonsert' }).waitFor({ timeout: 20000 });
  const rowA = page.locator(`tr[data-household="${a.household}"]`);
  const rowB = page.locator(`tr[data-household="${b.household}"]`);
  await waitFor(async () => (await rowA.getAttribute('data-reply')) === 'yes' && (await rowB.getAttribute('data-reply')) === 'no',
    { timeoutMs: 30000, what: 'both answers on Kari\'s page' });
  assert.match(await rowA.textContent(), /Ingebjørg.*Will come.*Needs a ride/);
  assert.match(await rowB.textContent(), /Arne.*Will not come/);
  const pickups = page.locator('.pickup-list li');
  assert.equal(await pickups.count(), 1, 'only Ingebjørg needs a ride');
  const line = await pickups.first().textContent();
  const pickupAt = new Date(start.getTime() - 20 * 60000);
  assert.ok(line.includes(`${pad(pickupAt.getHours())}:${pad(pickupAt.getMinutes())}`), `the pick-up time: ${line}`);
  assert.ok(line.includes('Ingebjørg') && line.includes('Storgata 1, 0155 Oslo') && line.includes('Wenche'), `who, where, by whom: ${line}`);
  assert.ok(!line.includes('Kirkeveien'), 'Arne said no: not on the list');
  await audit(page, 'activity page');

  // a new time for everyone: one request, both kiosks say so
  for (const k of [ka, kb]) k.command('touch card-close');
  const later = new Date(start.getTime() + 86400 * 1000);
  await page.fill('#activity-new-date', `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}`);
  await page.fill('#activity-new-time', `${pad(later.getHours())}:${pad(later.getMinutes())}`);
  await page.click('.activity-change button[type=submit]');
  for (const k of [ka, kb]) await waitFor(async () => (await card(k)) === `changed:${doc}`, { timeoutMs: 60000, what: 'the new time on each kiosk' });
  for (const k of [ka, kb]) k.command('touch card-close');

  // cancelled for everyone, after one more question
  await page.locator('#activity-cancel').waitFor({ timeout: 20000 });
  await page.click('#activity-cancel');
  await page.click('#activity-cancel-yes');
  for (const k of [ka, kb]) await waitFor(async () => (await card(k)) === `cancelled:${doc}`, { timeoutMs: 60000, what: 'the cancellation on each kiosk' });
  await page.locator('.activity-page .problem-note').waitFor({ timeout: 20000 });
  assert.equal(frames.filter((f) => f.type === 'doc.put_many').length, 3, 'invite, move and cancel: each one request');

  // Wenche has no activities right in Ingebjørg's household: no form, no section
  const { page: wp } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(wp, wenche.link);
  await wp.goto(`${hub.origin}/#/h/${a.household}`);
  await wp.locator('.household h1, main h1').first().waitFor();
  await wp.waitForTimeout(1500); // the household's state has come: the plugin sections are drawn from it
  assert.equal(await wp.locator('.plugin-kind[data-kind="activity"]').count(), 0, 'no activity section');
  assert.equal(await wp.locator('#plugin-activity-new').count(), 0, 'no activity form');
  assert.deepEqual(errors.map(String), []);
  await browser.close();
});

test('a yes given while the hub is stopped reaches Kari\'s page once after it restarts', async () => {
  let { hub, a, b, kari, ka } = await setup();
  const browser = await launchBrowser();
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(page, kari.link);
  const start = new Date(Math.ceil((Date.now() + 3 * 3600 * 1000) / 60000) * 60000);
  const doc = await inviteBoth(page, hub, a, b, 'Allsang', start);
  await waitFor(async () => (await card(ka)) === `invite:${doc}`, { timeoutMs: 60000, what: 'the card' });
  await page.goto(`${hub.origin}/#/activity/${doc}`);
  const rowA = page.locator(`tr[data-household="${a.household}"]`);
  await waitFor(async () => (await rowA.getAttribute('data-reply')) === 'none', { timeoutMs: 20000, what: 'no answer yet' });

  const { dataDir, port } = hub;
  await stopHub(hub);
  await waitFor(async () => (await ka.status()).connected === 0, { timeoutMs: 30000, what: 'the kiosk offline' });
  ka.command('touch card:yes');
  await waitFor(async () => (await card(ka)) === `ride:${doc}`, { timeoutMs: 30000, what: 'the ride question offline' });
  ka.command('touch card:ride-no');
  await waitFor(async () => (await ka.status()).answers === 1, { timeoutMs: 20000, what: 'the answer waiting on the kiosk' });

  hub = await startHub({ dataDir, port, args: ['--plugins-dir', manifests] });
  await waitFor(async () => (await rowA.getAttribute('data-reply').catch(() => null)) === 'yes',
    { timeoutMs: 90000, intervalMs: 500, what: 'the yes on Kari\'s page after the restart' });
  assert.match(await rowA.textContent(), /No ride needed/);
  await waitFor(async () => (await ka.status()).answers === 0, { timeoutMs: 30000, what: 'the answer accepted' });
  await new Promise((r) => setTimeout(r, 3000)); // a second delivery would have come by now
  const c = new ProtocolKiosk(hub);
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('vindu.sessions'))[0].token);
  await c.open({ kind: 'session', token });
  const list = await c.request({ type: 'doc.list', household: a.household, kind: 'activity' });
  const item = list.items.find((x) => x.doc === doc);
  assert.equal(item.answers.length, 1, `one answer row: ${JSON.stringify(item.answers)}`);
  c.close();
  await browser.close();
});
