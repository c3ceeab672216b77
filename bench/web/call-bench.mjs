// web-call-bench: N calls from the web app (headless Chromium, fake camera) to the real headless
// kiosk through the real hub on loopback. For each call, from the click on "Call":
//  - kiosk rings: the kiosk prints its incoming state (it is answered at once by its test control,
//    so no human reaction time is in the figures);
//  - browser first remote frame: the first frame painted in the browser's remote <video>
//    (requestVideoFrameCallback, kept by the app on #call as data-first-remote-frame-ms), and the
//    first frame decoded (getStats() polled every 50 ms until then: data-first-decoded-ms);
//  - kiosk first remote frame: the kiosk's rendered-frame count grows past its value before the
//    call (it counts since the kiosk started; polled every 25 ms, so
//    the figure is late by ≤ 25 ms plus one control round trip).
// Prints one line per call, then medians; the last line is one JSON object. Never fails on time.
import {
  cleanup, closeCall, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, startKiosk,
} from '../../tests/web/harness.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const calls = Number(arg('--calls', process.env.VINDU_BENCH_CALLS || 10));
const holdMs = Number(arg('--hold', 1500));

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const hub = await startHub();
  const home = await createHousehold(hub, 'Ingebjørg');
  const kiosk = await startKiosk(hub, home.provisioning_code);
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchBrowser();
  const { page } = await newPerson(browser);
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
  const rows = [];
  let failed = 0;

  for (let n = 1; n <= calls; n += 1) {
    try {
      const incoming = kiosk.waitLine(/vindu-kiosk: state (\S*incoming\S*)/, 20000);
      const framesBefore = (await kiosk.status()).frames; // frames= counts since the kiosk started
      const t0 = Date.now();
      await page.click('#call-button');
      await incoming;
      const ring = Date.now() - t0;
      kiosk.command('answer');
      let kioskFirst = null;
      while (kioskFirst === null && Date.now() - t0 < 30000) {
        if ((await kiosk.status()).frames > framesBefore) kioskFirst = Date.now() - t0;
        else await sleep(25);
      }
      await page.waitForSelector('#call[data-first-remote-frame-ms]', { timeout: 30000 });
      const browserFirst = Number(await page.getAttribute('#call', 'data-first-remote-frame-ms'));
      await page.waitForSelector('#call[data-first-decoded-ms]', { timeout: 5000 }).catch(() => {});
      const browserDecoded = Number(await page.getAttribute('#call', 'data-first-decoded-ms')) || null;
      rows.push({ ring_ms: ring, browser_first_frame_ms: browserFirst, browser_first_decoded_ms: browserDecoded, kiosk_first_frame_ms: kioskFirst });
      console.log(`call ${n}: kiosk rings ${ring} ms, first frame in browser ${browserFirst} ms (decoded ${browserDecoded ?? '?'} ms), on kiosk ${kioskFirst ?? 'none'} ms`);
      await sleep(holdMs);
      await page.click('#call-hangup');
      await closeCall(page);
      for (let i = 0; i < 100 && (await kiosk.status()).call !== 'idle'; i += 1) await sleep(100);
    } catch (err) {
      failed += 1;
      console.log(`call ${n}: failed: ${err.message.split('\n')[0]}`);
      await page.click('#call-hangup').catch(() => {});
      await closeCall(page).catch(() => {});
      kiosk.command('hangup');
      await sleep(2000);
    }
  }
  const result = {
    bench: 'web-call',
    calls,
    completed: rows.length,
    failed,
    median_kiosk_rings_ms: median(rows.map((r) => r.ring_ms)),
    median_click_to_browser_first_frame_ms: median(rows.map((r) => r.browser_first_frame_ms)),
    median_click_to_browser_first_decoded_ms: median(rows.map((r) => r.browser_first_decoded_ms)),
    median_click_to_kiosk_first_frame_ms: median(rows.map((r) => r.kiosk_first_frame_ms)),
  };
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.log(`web-call-bench: ${err.message.split('\n')[0]}`);
  console.log(JSON.stringify({ bench: 'web-call', error: err.message.split('\n')[0] }));
  process.exitCode = 1;
}).finally(cleanup);
