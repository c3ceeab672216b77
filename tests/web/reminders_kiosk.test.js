// Reminders end to end with the real kiosk (issue #11): Anna, with the reminders right, makes
// "Heart pills" in Chromium; the household's screen is the real headless vindu-kiosk running the
// real reminders plugin. The reminder reaches it; its clock is moved on to the due time
// (--control clock-advance); the card is on screen with a Done button at least 20 mm each way,
// and it chimed; Done is touched; Anna's page says "Done at HH:MM" (the due time).
// Then: a second reminder answered Done while the hub is stopped arrives once after it restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolKiosk } from './protocol-kiosk.js';
import { cleanup, createHousehold, invite, joinByInvite, launchBrowser, newPerson, repoRoot, startHub, stopHub, startKiosk, tempDir, waitFor } from './harness.js';

const PLUGIN_DIR = process.env.VINDU_PLUGIN_DIR;
if (!PLUGIN_DIR) throw new Error('set VINDU_PLUGIN_DIR');

let manifests;
let kioskPlugins;
before(() => {
  manifests = tempDir('manifests');
  for (const name of readdirSync(join(repoRoot, 'plugins'))) {
    const m = join(repoRoot, 'plugins', name, 'manifest.json');
    if (existsSync(m)) cpSync(m, join(manifests, `${name}.json`));
  }
  kioskPlugins = tempDir('kiosk-plugins');
  symlinkSync(join(PLUGIN_DIR, 'reminders.so'), join(kioskPlugins, 'reminders.so'));
});
after(cleanup);

const pad = (n) => String(n).padStart(2, '0');

async function screen(kiosk) {
  const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
  kiosk.command('describe');
  return JSON.parse((await line)[1]);
}

test('Heart pills from Anna\'s page: card on the real kiosk at its time, Done, "Done at HH:MM" on her page', async () => {
  const hub = await startHub({ args: ['--plugins-dir', manifests] });
  const home = await createHousehold(hub, 'Ingebjørg');
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'reminders'] });
  const kiosk = await startKiosk(hub, home.provisioning_code, ['--plugins-dir', kioskPlugins]);
  await waitFor(async () => {
    const s = await kiosk.status();
    return s.paired === 1 && s.connected === 1 && /^([1-9]\d*)\/\1$/.test(String(s.plugins));
  }, { timeoutMs: 60000, what: 'the kiosk paired with its plugin running' });
  const start = await kiosk.status();

  const browser = await launchBrowser();
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.locator('#plugin-reminder-new').click();
  // a whole minute at least two minutes ahead: the kiosk must not reach it by itself first
  const due = new Date(Math.ceil((Date.now() + 120000) / 60000) * 60000);
  await page.fill('#pf-reminder-title', 'Heart pills');
  await page.fill('#pf-reminder-starts_at', `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}`);
  await page.fill('#pf-reminder-starts_at-time', `${pad(due.getHours())}:${pad(due.getMinutes())}`);
  await page.click('#pf-reminder-form button[type=submit]');
  const item = page.locator('.plugin-doc', { hasText: 'Heart pills' });
  await item.waitFor({ timeout: 20000 });

  // it reaches the kiosk (today's strip), and no card before its time
  await waitFor(async () => (await kiosk.status()).today > start.today, { timeoutMs: 30000, what: 'the reminder on the kiosk' });
  assert.notEqual((await kiosk.status()).state, 'card', 'no card before its time');

  kiosk.command(`clock-advance ${Math.ceil((due.getTime() - Date.now()) / 1000) + 2}`);
  const s = await waitFor(async () => { const st = await kiosk.status(); return st.state === 'card' && st; }, { timeoutMs: 20000, what: 'the card on the kiosk' });
  assert.match(String(s.card), /@/, `the card is the reminder's: ${s.card}`);
  assert.ok(Number(s.chimed) >= 1, `a chime: ${JSON.stringify(s)}`);
  const d = await screen(kiosk);
  assert.equal(d.screen, 'card');
  assert.ok(d.widgets.some((w) => w.text.includes('Heart pills')), 'the title on the card');
  const done = d.widgets.find((w) => w.name === 'card:done');
  assert.ok(done, `a Done button: ${d.widgets.map((w) => w.name).join(' ')}`);
  assert.ok(done.w_mm >= 20 && done.h_mm >= 20, `Done is ${done.w_mm} × ${done.h_mm} mm`);

  kiosk.command(`touch ${done.name}`);
  await waitFor(async () => (await kiosk.status()).state !== 'card', { timeoutMs: 10000, what: 'the card gone' });
  const words = `Done at ${pad(due.getHours())}:${pad(due.getMinutes())}`;
  await waitFor(async () => ((await item.locator('.today-state').textContent().catch(() => '')) || '').includes(words),
    { timeoutMs: 30000, what: `${words} on Anna's page` });
  await browser.close();
});

// Done answered while the hub is down reaches Anna's page once the hub is back, exactly once.
test('Done while the hub is stopped arrives once after it restarts', async () => {
  let hub = await startHub({ args: ['--plugins-dir', manifests] });
  const home = await createHousehold(hub, 'Ingebjørg');
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'reminders'] });
  const per = await invite(hub, home.household, { name: 'Per', rights: ['reminders'] });
  const kiosk = await startKiosk(hub, home.provisioning_code, ['--plugins-dir', kioskPlugins]);
  await waitFor(async () => { const s = await kiosk.status(); return s.paired === 1 && s.connected === 1 && /^([1-9]\d*)\/\1$/.test(String(s.plugins)); }, { timeoutMs: 60000, what: 'the kiosk ready' });
  const start = await kiosk.status();
  const browser = await launchBrowser();
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 900 } });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.locator('#plugin-reminder-new').click();
  const due = new Date(Math.ceil((Date.now() + 120000) / 60000) * 60000);
  await page.fill('#pf-reminder-title', 'Eye drops');
  await page.fill('#pf-reminder-starts_at', `${due.getFullYear()}-${pad(due.getMonth() + 1)}-${pad(due.getDate())}`);
  await page.fill('#pf-reminder-starts_at-time', `${pad(due.getHours())}:${pad(due.getMinutes())}`);
  await page.click('#pf-reminder-form button[type=submit]');
  const item = page.locator('.plugin-doc', { hasText: 'Eye drops' });
  await item.waitFor({ timeout: 20000 });
  await waitFor(async () => (await kiosk.status()).today > start.today, { timeoutMs: 30000, what: 'the reminder on the kiosk' });

  const { dataDir, port } = hub;
  await stopHub(hub);
  await waitFor(async () => (await kiosk.status()).connected === 0, { timeoutMs: 30000, what: 'the kiosk offline' });
  kiosk.command(`clock-advance ${Math.ceil((due.getTime() - Date.now()) / 1000) + 2}`);
  await waitFor(async () => (await kiosk.status()).state === 'card', { timeoutMs: 20000, what: 'the card' });
  kiosk.command('touch card:done');
  await waitFor(async () => (await kiosk.status()).answers === 1, { timeoutMs: 20000, what: 'the answer waiting' });

  hub = await startHub({ dataDir, port, args: ['--plugins-dir', manifests] });
  const words = `Done at ${pad(due.getHours())}:${pad(due.getMinutes())}`;
  await waitFor(async () => ((await item.locator('.today-state').textContent().catch(() => '')) || '').includes(words),
    { timeoutMs: 90000, intervalMs: 500, what: `${words} on Anna's page after the restart` });
  await waitFor(async () => (await kiosk.status()).answers === 0, { timeoutMs: 30000, what: 'the answer accepted' });
  await new Promise((r) => setTimeout(r, 3000));
  const c = new ProtocolKiosk(hub);
  await c.open({ kind: 'invite', token: per.token });
  const list = await c.request({ type: 'doc.list', household: home.household, kind: 'reminder' });
  const doc = list.items.find((x) => x.body?.title === 'Eye drops') ?? list.items[0];
  assert.equal(doc.answers.length, 1, `one answer row: ${JSON.stringify(doc.answers)}`);
  c.close();
  await browser.close();
});
