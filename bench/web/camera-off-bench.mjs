// camera-off-bench: how long after the browser's "Camera off" the kiosk says the other person's
// camera is off (remote_picture=stopped), the first time in a call and later times, in Chromium
// (and Firefox when /usr/bin/firefox-esr is there), against the real hub and headless kiosk on
// loopback. The kiosk's rule is 2 s after the last frame; the figures include the status polling
// (every 50 ms plus a control round trip). Prints one line per camera-off, then medians; the last
// line is one JSON object. Never fails on time.
//   node bench/web/camera-off-bench.mjs [--calls N] [--offs M]
import {
  cleanup, createHousehold, instrumentPage, invite, joinByInvite, launchBrowser, launchFirefox, newFirefoxPerson,
  newPerson, startHub, startKiosk, waitFor,
} from '../../tests/web/harness.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const calls = arg('--calls', 3);
const offs = arg('--offs', 3);
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};

async function browserRows(name, hub, home, kiosk, page) {
  const anna = await invite(hub, home.household, { name: `Anna ${name}`, rights: ['call', 'message', 'status'] });
  await page.goto(anna.link);
  await page.waitForSelector('.home h1', { timeout: 20000 });
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
  const first = [];
  const later = [];
  for (let c = 1; c <= calls; c += 1) {
    const ringing = kiosk.waitLine(/vindu-kiosk: state \S*incoming/, 20000);
    await page.click('#call-button');
    await ringing;
    kiosk.command('answer');
    await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
    const f0 = (await kiosk.status()).frames;
    await waitFor(async () => (await kiosk.status()).frames >= f0 + 15, { timeoutMs: 30000, what: 'frames on the kiosk' });
    for (let o = 1; o <= offs; o += 1) {
      const t0 = Date.now();
      await page.click('#call-camera');
      await waitFor(async () => (await kiosk.status()).remote_picture === 'stopped', { timeoutMs: 30000, intervalMs: 50, what: 'camera off said' });
      const ms = Date.now() - t0;
      (o === 1 ? first : later).push(ms);
      console.log(`${name} call ${c} camera-off ${o}: said on the kiosk after ${ms} ms`);
      await page.click('#call-camera');
      await waitFor(async () => (await kiosk.status()).remote_picture === 'live', { timeoutMs: 30000, intervalMs: 50, what: 'picture back' });
    }
    await page.click('#call-hangup');
    await page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
    await page.click('#call-close').catch(() => {});
    await waitFor(async () => (await kiosk.status()).call === 'idle', { timeoutMs: 15000, what: 'kiosk idle' });
  }
  return { first_ms: median(first), later_ms: median(later), first_max_ms: Math.max(...first) };
}

async function main() {
  const hub = await startHub();
  const home = await createHousehold(hub, 'Ingebjørg');
  const kiosk = await startKiosk(hub, home.provisioning_code);
  const result = { bench: 'camera-off', calls, offs_per_call: offs };
  const chromium = await launchBrowser();
  const { page } = await newPerson(chromium);
  await instrumentPage(page);
  result.chromium = await browserRows('chromium', hub, home, kiosk, page);
  await chromium.close();
  const firefox = await launchFirefox();
  if (firefox) {
    const { page: ff } = await newFirefoxPerson(firefox);
    result.firefox = await browserRows('firefox', hub, home, kiosk, ff);
  }
  console.log(JSON.stringify(result));
}

try {
  await main();
} catch (err) {
  console.log(`camera-off-bench: ${err.message.split('\n')[0]}`);
  console.log(JSON.stringify({ bench: 'camera-off', error: err.message.split('\n')[0] }));
  process.exitCode = 1;
} finally {
  await cleanup();
}
