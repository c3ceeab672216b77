// The memory book with the real kiosk (issue #12): the headless vindu-kiosk runs the real
// memory-book plugin and shows Anna's pages in its photo frame. A touch on a photo shows it
// still; "Call Anna about this photo" rings Anna's page in Chromium, which shows that photo and
// its caption. Which photos Ingebjørg looked at reach Anna's page only after the household
// allowed it (admin page, off by default): a look before is not kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, closeCall, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, repoRoot, startHub, startKiosk, tempDir, waitFor } from './harness.js';

const PLUGIN_DIR = process.env.VINDU_PLUGIN_DIR;
if (!PLUGIN_DIR) throw new Error('set VINDU_PLUGIN_DIR');
const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');

let kioskPlugins;
before(() => {
  kioskPlugins = tempDir('kiosk-plugins');
  symlinkSync(join(PLUGIN_DIR, 'memory-book.so'), join(kioskPlugins, 'memory-book.so'));
});
after(cleanup);

async function screen(kiosk) {
  const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
  kiosk.command('describe');
  return JSON.parse((await line)[1]);
}
const named = (d, name) => (d.widgets || []).find((w) => w.name === name);

async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast-enhanced': { enabled: true } },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.length, 0, `${name}: ${bad.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('\n')}`);
}

test('the real kiosk: a look is kept only once the household allows it; "Call Anna about this photo" rings her page with that photo', async () => {
  const hub = await startHub();
  const home = await createHousehold(hub, 'Ingebjørg');
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'memory_book', 'admin'] });
  const kiosk = await startKiosk(hub, home.provisioning_code, ['--plugins-dir', kioskPlugins, '--size', '1280x800', '--idle-seconds', '1']);
  await waitFor(async () => {
    const s = await kiosk.status();
    return s.paired === 1 && s.connected === 1 && /^([1-9]\d*)\/\1$/.test(String(s.plugins));
  }, { timeoutMs: 60000, what: 'the kiosk ready with its plugin' });

  const browser = await launchBrowser();
  const { page } = await newPerson(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.plugin-kind[data-kind="memory"] .plugin-docs li');
  const captions = ['Summer at the cabin, 1974', 'Jonas at football'];
  for (const [i, caption] of captions.entries()) {
    await page.click('#plugin-memory-new');
    await page.setInputFiles('#pf-memory-file', await makeJpeg(page, 640 + i * 160, 480));
    await page.fill('#pf-memory-caption', caption);
    await page.click('#pf-memory-form button[type=submit]');
    await page.locator('.plugin-doc h3', { hasText: caption }).waitFor();
  }
  await waitFor(async () => (await kiosk.status()).photos === 2, { timeoutMs: 60000, what: 'both pages on the kiosk' });

  // the frame (idle after a second), a touch: the photo still — a look, while not allowed
  const frame = async () => {
    let touched = 0;
    await waitFor(async () => {
    const d = await screen(kiosk);
    // home since before the photos came: a touch beside the targets arms the idle timer again
    if (d.screen === 'home' && Date.now() - touched > 4000) {
      kiosk.command('touch orientation');
      touched = Date.now();
    }
    return d.screen === 'photo-frame' && named(d, 'caption');
    }, { timeoutMs: 60000, intervalMs: 500, what: 'the photo frame with a caption' });
  };
  await frame();
  const refused = kiosk.waitLine(/hub error forbidden/, 20000); // the hub says no to that look
  kiosk.command('touch photo');
  const first = await waitFor(async () => { const d = await screen(kiosk); return d.screen === 'memory-view' && d; }, { what: 'the photo still' });
  const firstCaption = named(first, 'caption').text;
  await refused;

  // Anna allows it on the admin page (off by default)
  await page.goto(`${hub.origin}/#/h/${home.household}/admin`);
  const box = page.locator('#share-looks');
  assert.equal(await box.isChecked(), false, 'off by default');
  await audit(page, 'admin page with the memory-book setting');
  await box.check();
  await waitFor(async () => /^On\./.test(await page.locator('#looks-result').textContent()), { what: 'the setting saved' });
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.plugin-kind[data-kind="memory"] .plugin-doc');

  // on the kiosk (the still view went back to the frame meanwhile): the photo still, then the
  // next one — this look is kept and shows on Anna's page at once
  await frame();
  kiosk.command('touch photo');
  await waitFor(async () => (await screen(kiosk)).screen === 'memory-view', { what: 'the photo still again' });
  kiosk.command('touch next');
  const second = await waitFor(async () => {
    const d = await screen(kiosk);
    return d.screen === 'memory-view' && named(d, 'caption') && named(d, 'caption').text !== firstCaption && d;
  }, { what: 'the other photo still' });
  const secondCaption = named(second, 'caption').text;
  const looked = page.locator('.plugin-doc').filter({ has: page.locator('h3', { hasText: secondCaption }) });
  await waitFor(async () => /Ingebjørg looked at it/.test(await looked.textContent()), { what: 'the look on Anna\'s page' });
  const notLooked = page.locator('.plugin-doc').filter({ has: page.locator('h3', { hasText: firstCaption }) });
  assert.doesNotMatch(await notLooked.textContent(), /looked at it/, 'the look before it was allowed was not kept');
  await audit(page, 'the book with a look');

  // "Call Anna about this photo": her page rings with that very photo and its caption
  await frame();
  kiosk.command('touch photo');
  const still = await waitFor(async () => { const d = await screen(kiosk); return d.screen === 'memory-view' && d; }, { what: 'a photo still to call about' });
  const about = named(still, 'caption').text;
  kiosk.command('touch call-about');
  await page.waitForSelector('#call[data-state=incoming]', { timeout: 30000 });
  await waitFor(async () => (await page.locator('#call-about-caption').textContent()).includes(about), { what: 'the caption on the ringing page' });
  await waitFor(() => page.locator('#call-about img').evaluate((img) => img.complete && img.naturalWidth > 0).catch(() => false), { what: 'the photo on the ringing page' });
  const width = await page.locator('#call-about img').evaluate((img) => img.naturalWidth);
  assert.equal(width, about === captions[0] ? 640 : 800, 'the photo of that page');
  await page.click('#call-decline');
  await closeCall(page);
});
