// Faces in Chromium with the real hub and the real kiosk: Anna picks a photo on her household
// page, it is cropped to a square in the page (canvas) and saved, and the kiosk's home tile for
// her draws that photo (--describe: the tile's image `photo:ID` has `photo: true`, where before it
// showed her initial); an admin sets Nils's from the admin page; axe-core on the face editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  cleanup, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, repoRoot, startHub, startKiosk, waitFor,
} from './harness.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
let hub;
let home;
let kiosk;
let browser;
let anna;
let nils;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status', 'admin'] });
  nils = await invite(hub, home.household, { name: 'Nils', relationship: 'Son', rights: ['call', 'message'] });
  kiosk = await startKiosk(hub, home.provisioning_code);
  browser = await launchBrowser();
});
after(cleanup);

function widgets(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => widgets(n, out));
  else if (node && typeof node === 'object') {
    if ('role' in node) out.push(node);
    Object.values(node).forEach((v) => widgets(v, out));
  }
  return out;
}

// The image on a person's home tile, as the kiosk describes its screen.
async function tileImage(person) {
  const line = kiosk.waitLine(/^vindu-kiosk: describe (.*)$/, 10000);
  kiosk.command('describe');
  return widgets(JSON.parse((await line)[1])).find((w) => w.name === `photo:${person}`) || null;
}

test("a face set on Anna's page is drawn on her tile on the kiosk", async () => {
  const { page, errors } = await newPerson(browser, { bypassCSP: true });
  await joinByInvite(page, anna.link);
  const before = await waitFor(() => tileImage(anna.person), { what: "Anna's tile" });
  assert.equal(before.photo, false, 'her initial, no photo yet');

  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.face-section');
  const photo = await makeJpeg(page, 1600, 1200);
  await page.setInputFiles('.face-section input[type=file]:not([capture])', photo);
  await page.waitForSelector('.face-section canvas.face-preview:not([hidden])');
  await page.fill('.face-section input[type=range]', '1.5');
  await page.click('.face-section button:has-text("Use this photo")');
  await page.waitForSelector('.face-section .result:has-text("Saved. The screen")');

  const after = await waitFor(async () => {
    const img = await tileImage(anna.person);
    return img && img.photo ? img : null;
  }, { what: "Anna's photo on her tile", timeoutMs: 30000 });
  assert.equal(after.photo, true);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document.querySelector('.face-section'), { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`), []);
  assert.deepEqual(errors.map(String), []);
});

test("an admin sets Nils's face from the admin page", async () => {
  const n = await newPerson(browser);
  await joinByInvite(n.page, nils.link);
  const { page } = await newPerson(browser);
  const kari = await invite(hub, home.household, { name: 'Kari', rights: ['call', 'admin'] });
  await joinByInvite(page, kari.link);
  await page.goto(`${hub.origin}/#/h/${home.household}/admin`);
  const person = 'li.person:has(h3:text-is("Nils"))';
  await page.waitForSelector(person);
  await page.click(`${person} > details > summary`);
  await page.setInputFiles(`${person} .member-face input[type=file]:not([capture])`, await makeJpeg(page, 300, 400));
  await page.click(`${person} .member-face button:has-text("Use this photo")`);
  // the person's note under their entry (kept when the page redraws them with the new photo)
  await page.waitForSelector(`${person} .result:has-text("Saved. The screen")`);
  await waitFor(async () => (await tileImage(nils.person))?.photo === true, { what: "Nils's photo on his tile", timeoutMs: 30000 });
});
