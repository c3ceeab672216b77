// An axe-core audit of every page of the web app, served by the real hub, at phone and desktop
// size: no serious or critical violation (WCAG 2.1 A/AA rules plus AAA contrast). The audit
// context bypasses the hub's CSP only so that axe can be injected; the app itself runs unchanged.
// With VINDU_SCREENSHOTS=DIR set, a PNG of every page and size is written there as well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, closeCall, createHousehold, invite, joinByInvite, launchBrowser, makeJpeg, newPerson, repoRoot, startHub } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

const AXE = join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
const shots = process.env.VINDU_SCREENSHOTS;

let hub;
let browser;
let home;
let other; // a second household, for a second sign-in on one browser
let kiosk;
let anna;
let nurse;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  other = await createHousehold(hub, 'Sigrid');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  browser = await launchBrowser();
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
  return result;
}

async function check(page, name) {
  await page.waitForTimeout(150); // let announcements and focus settle
  await audit(page, name);
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: name.includes('call') ? false : true });
}

for (const [sizeName, viewport] of Object.entries(SIZES)) {
  test(`every page at ${sizeName} size has no serious or critical accessibility violation`, async () => {
    anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status', 'admin', 'auto_answer'] });
    nurse = await invite(hub, home.household, { name: 'Kari', relationship: 'Home nurse', role: 'staff', rights: ['call', 'status'] });
    const opts = { viewport, bypassCSP: true };

    const stranger = (await newPerson(browser, opts)).page;
    await stranger.goto(`${hub.origin}/`);
    await stranger.waitForSelector('.notice h1');
    await check(stranger, `${sizeName}-start`);
    // Only the fragment changes: the app starts again by itself to redeem the link.
    await stranger.goto(`${hub.origin}/#join=not-a-real-invite-token`);
    await stranger.waitForSelector('.notice h1:has-text("does not work")');
    await check(stranger, `${sizeName}-join-failed`);

    // A second invite redeemed on the same browser: the home page offers the other sign-in.
    const visitor = await invite(hub, other.household, { name: 'Ola', relationship: 'Grandson' });
    await joinByInvite(stranger, visitor.link);
    const second = await invite(hub, home.household, { name: 'Ola', relationship: 'Grandson' });
    await stranger.goto(`${hub.origin}/#join=${second.token}`);
    await stranger.waitForSelector('.other-sessions button:has-text("Ola")');
    await check(stranger, `${sizeName}-home-other-sign-in`);
    // A household that is not hers, and a page she has no right to.
    await stranger.goto(`${hub.origin}/#/h/h_not_a_household`);
    await stranger.waitForSelector('.notice h1:has-text("Not found")');
    await check(stranger, `${sizeName}-not-found`);
    await stranger.goto(`${hub.origin}/#/h/${home.household}/admin`);
    await stranger.waitForSelector('text=You do not have the right to change people and settings here.');
    await check(stranger, `${sizeName}-admin-no-right`);

    const { page } = await newPerson(browser, opts);
    await joinByInvite(page, anna.link);
    await check(page, `${sizeName}-home`);

    await page.goto(`${hub.origin}/#/h/${home.household}`);
    await page.waitForSelector('#photo-button');
    const photo = await makeJpeg(page, 1200, 900);
    const chooser = page.waitForEvent('filechooser');
    await page.click('#photo-button');
    await (await chooser).setFiles(photo);
    await page.fill('#text-input', 'Hello from the audit');
    await page.click('#text-send');
    await page.waitForSelector('.sent-item.kind-photo .state[data-state=sent]');
    await page.waitForSelector('.sent-item.kind-text .state[data-state=sent]');
    await check(page, `${sizeName}-household`);

    // Every later state of what was sent: the text on the screen, the photo seen, and a photo
    // whose upload failed with its "Try again"; and a message from the kiosk, shown above them.
    const photoMsg = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'photo');
    const textMsg = await kiosk.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'text');
    kiosk.send({ type: 'msg.ack', up_to: Math.max(photoMsg.seq, textMsg.seq) });
    kiosk.send({ type: 'msg.seen', msg: photoMsg.msg.id });
    await page.waitForSelector('.sent-item.kind-text .state[data-state=delivered]');
    await page.waitForSelector('.sent-item.kind-photo .state[data-state=seen]');
    await page.route('**/api/files**', (route) => route.abort());
    const failing = page.waitForEvent('filechooser');
    await page.click('#photo-button');
    await (await failing).setFiles(photo);
    await page.waitForSelector('.sent-item.kind-photo .state[data-state=failed]');
    await page.waitForSelector('.sent-item.kind-photo button.retry');
    await page.unroute('**/api/files**');
    await kiosk.request({ type: 'msg.post', household: home.household, client_msg_id: `a11y-${sizeName}`, to: anna.person, kind: 'text', text: 'Thank you for the photo!' });
    await page.waitForSelector('.received-section:not([hidden]) .received-item:has-text("Thank you for the photo!")');
    await check(page, `${sizeName}-household-states`);

    await page.click('#voice-button');
    await page.waitForSelector('#voice-send');
    await check(page, `${sizeName}-household-recording`);
    await page.click('text=Cancel');

    await page.goto(`${hub.origin}/#/h/${home.household}/admin`);
    await page.waitForSelector('li.person');
    await page.locator(`li.person[data-person="${anna.person}"] summary`).click();
    await page.fill('#invite-name', 'Wenche');
    await page.fill('#invite-relationship', 'Visitor');
    await page.click('#invite-create');
    await page.waitForSelector('#invite-link');
    await check(page, `${sizeName}-admin`);

    await page.goto(`${hub.origin}/#/h/${home.household}`);
    await page.waitForSelector('#call-button');
    await page.click('#call-button');
    const ring = await kiosk.next((m) => m.type === 'call.invite');
    kiosk.send({ type: 'call.ringing', call: ring.call });
    await page.waitForSelector('#call[data-state=ringing]');
    await check(page, `${sizeName}-call-ringing`);
    kiosk.send({ type: 'call.accept', call: ring.call });
    await page.waitForSelector('#call[data-state=connecting]');
    await page.click('#call-mute');
    await page.click('#call-camera');
    await check(page, `${sizeName}-call-connecting-muted`);
    await page.click('#call-hangup');
    await page.waitForSelector('#call[data-state=ended]');
    await check(page, `${sizeName}-call-ended`);
    await closeCall(page);

    await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
    await page.waitForSelector('#call[data-state=incoming]');
    await check(page, `${sizeName}-call-incoming`);
    await page.click('#call-decline');
    await closeCall(page);

    const staff = (await newPerson(browser, opts)).page;
    await joinByInvite(staff, nurse.link);
    await staff.goto(`${hub.origin}/#/staff`);
    await staff.waitForSelector('.kiosk-card');
    await staff.waitForSelector('#checkin-submit');
    await check(staff, `${sizeName}-staff`);
    // The list of planned check-ins (tomorrow at 10:00, the form's first choice).
    await staff.click('#checkin-submit');
    await staff.waitForSelector('.checkin-list li');
    await check(staff, `${sizeName}-staff-checkins`);

    await hub.admin('revoke', '--household', home.household, '--person', nurse.person);
    await staff.waitForSelector('.notice h1:has-text("Your access was removed")', { timeout: 10000 });
    await check(staff, `${sizeName}-revoked`);

    // The same pages in Norwegian: longer words must not break the layout's accessibility.
    await page.selectOption('#lang-select', 'nb');
    await page.goto(`${hub.origin}/#/h/${home.household}`);
    await page.waitForSelector('#photo-button');
    await check(page, `${sizeName}-household-nb`);
    await page.selectOption('#lang-select', 'en');
  });
}
