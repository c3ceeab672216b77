// web-weight: what the relative's page costs on a poor phone link.
//  1. Weight on loopback (headless Chromium, the real hub, a protocol kiosk): the first visit by
//     invite link up to the household page with its call button, then a second visit in the same
//     browser profile — requests that went to the network and the bytes received for them
//     (headers + bodies as sent, from the DevTools protocol), WebSocket frames apart.
//  2. Invite → ring through bench/web/paced-proxy.mjs (default 400 kbit/s each way, 400 ms round
//     trip): from opening the invite link in a fresh profile to the kiosk receiving call.invite,
//     the clicks made as soon as their buttons exist; also a warm visit (stored session, cache).
// Options: --root packed|source (the packed build/web-root, or web/ as it was served before),
// --runs N, --kbps K, --rtt MS, --cpu-slowdown X (DevTools CPU throttling). Last line: JSON.
// VINDU_BENCH_TIMELINE=1 also prints each invite's timeline on the paced link: ms from the start
// of navigation to each request, its end, the WebSocket's opening and each frame's type.
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  cleanup, createHousehold, invite, newPerson, repoRoot, startHub,
} from '../../tests/web/harness.js';
import { ProtocolKiosk } from '../../tests/web/protocol-kiosk.js';
import { startPacedProxy } from './paced-proxy.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const buildDir = process.env.VINDU_BUILD_DIR || join(repoRoot, 'build');
const rootKind = arg('--root', 'packed');
const runs = Number(arg('--runs', 3));
const kbps = Number(arg('--kbps', 400));
const rttMs = Number(arg('--rtt', 400));
const cpuSlowdown = Number(arg('--cpu-slowdown', 1));

// A frame's type only: hello and welcome carry tokens, which a bench never prints.
function frameType(payload) {
  try {
    return JSON.parse(payload).type;
  } catch {
    return '(not JSON)';
  }
}

// Counts what a page fetched over the network (not from the browser's cache).
async function watch(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (cpuSlowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  const requests = new Map();
  const tally = { requests: 0, bytes: 0, status: {}, wsBytes: 0, list: [], timeline: [] };
  const path = (url) => new URL(url).pathname;
  const mark = (timestamp, what) => tally.timeline.push([timestamp, what]);
  cdp.on('Network.responseReceived', ({ requestId, response, type }) => {
    if (response.fromDiskCache || response.fromServiceWorker || response.fromPrefetchCache) return;
    requests.set(requestId, { url: response.url, status: response.status, type });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = requests.get(requestId);
    if (!r) return;
    tally.requests += 1;
    tally.bytes += encodedDataLength;
    tally.status[r.status] = (tally.status[r.status] || 0) + 1;
    tally.list.push(`${r.status} ${encodedDataLength} ${new URL(r.url).pathname}`);
  });
  cdp.on('Network.webSocketFrameReceived', ({ response, timestamp }) => {
    tally.wsBytes += response.payloadData.length;
    mark(timestamp, `ws< ${frameType(response.payloadData)}`);
  });
  cdp.on('Network.webSocketFrameSent', ({ response, timestamp }) => mark(timestamp, `ws> ${frameType(response.payloadData)}`));
  cdp.on('Network.webSocketCreated', ({ url }) => mark(null, `ws ${path(url)} created`));
  cdp.on('Network.webSocketHandshakeResponseReceived', ({ timestamp }) => mark(timestamp, 'ws open'));
  cdp.on('Network.requestWillBeSent', ({ request, timestamp }) => mark(timestamp, `req ${path(request.url)}`));
  cdp.on('Network.loadingFinished', ({ requestId, timestamp }) => {
    const r = requests.get(requestId);
    if (r) mark(timestamp, `done ${path(r.url)}`);
  });
  return tally;
}

async function householdPage(page, household) {
  await page.waitForSelector('.home h1', { timeout: 60000 });
  await page.goto(page.url().replace(/#.*$/, `#/h/${household}`));
  await page.waitForSelector('#call-button', { timeout: 60000 });
}

async function weigh(hub, home, browser) {
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const { context, page } = await newPerson(browser);
  const first = await watch(context, page);
  await page.goto(anna.link);
  await householdPage(page, home.household);
  await page.waitForLoadState('networkidle');
  await page.close();
  const again = await context.newPage();
  const second = await watch(context, again);
  await again.goto(`${hub.origin}/#/`);
  await householdPage(again, home.household);
  await again.waitForLoadState('networkidle');
  await context.close();
  return { first, second };
}

// Opens `url` through the proxy and calls; ms from the start to each step and to the ring.
async function callThroughProxy(page, url, household, kiosk) {
  kiosk.inbox = [];
  const t0 = performance.now();
  const at = {};
  await page.goto(url, { waitUntil: 'commit', timeout: 120000 });
  try {
    await householdPage(page, household);
  } catch (err) {
    console.error(`stuck at ${page.url()}: ${(await page.textContent('body')).slice(0, 300)}`);
    throw err;
  }
  at.callButton = Math.round(performance.now() - t0);
  await page.click('#call-button');
  await kiosk.next((m) => m.type === 'call.invite', 60000);
  at.ring = Math.round(performance.now() - t0);
  return at;
}

// webSocketCreated has no timestamp: it is shown at the time of the event before it.
function printTimeline(timeline) {
  const t0 = timeline.find(([t]) => t !== null)[0];
  let last = t0;
  for (const [t, what] of timeline) {
    if (t !== null) last = t;
    console.log(`  ${String(Math.round((last - t0) * 1000)).padStart(5)} ${what}`);
  }
}

async function inviteToRing(hub, home, browser, kiosk, proxy) {
  const origin = `https://127.0.0.1:${proxy.port}`;
  const results = [];
  for (let i = 0; i < runs; i++) {
    const anna = await invite(hub, home.household, { name: `Anna ${i}`, rights: ['call', 'message', 'status'] });
    const { context, page } = await newPerson(browser);
    const seen = await watch(context, page);
    const cold = await callThroughProxy(page, `${origin}/#join=${anna.token}`, home.household, kiosk);
    if (process.env.VINDU_BENCH_TIMELINE) printTimeline(seen.timeline);
    await page.close();
    const warmPage = await context.newPage();
    await watch(context, warmPage);
    const warm = await callThroughProxy(warmPage, `${origin}/#/`, home.household, kiosk);
    await context.close();
    console.log(`run ${i + 1}: invite→call button ${cold.callButton} ms, invite→ring ${cold.ring} ms; `
      + `warm visit→ring ${warm.ring} ms`);
    results.push({ cold, warm });
  }
  return results;
}

// Chromium keeps nothing in its HTTP cache from a host whose certificate it had to ignore, so the
// hub's self-signed key is trusted by its SPKI hash instead (no --ignore-certificate-errors).
async function trustingBrowser(hub) {
  const cert = join(hub.dataDir, 'tls', 'cert.pem');
  const spki = execSync(`openssl x509 -in ${cert} -pubkey -noout | openssl pkey -pubin -outform der `
    + '| openssl dgst -sha256 -binary | base64').toString().trim();
  return chromium.launch({
    executablePath: process.env.VINDU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream', `--ignore-certificate-errors-spki-list=${spki}`],
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

async function main() {
  const webRoot = rootKind === 'source' ? join(repoRoot, 'web') : join(buildDir, 'web-root');
  const hub = await startHub({ args: ['--web-root', webRoot] });
  const home = await createHousehold(hub, 'Ingebjørg');
  const kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  const browser = await trustingBrowser(hub);
  const { first, second } = await weigh(hub, home, browser);
  for (const [name, v] of [['first', first], ['second', second]]) {
    console.log(`${name} visit: ${v.requests} requests, ${v.bytes} bytes (${JSON.stringify(v.status)}), `
      + `WebSocket ${v.wsBytes} bytes`);
    if (process.env.VINDU_BENCH_VERBOSE) for (const line of v.list) console.log(`  ${line}`);
  }
  const proxy = await startPacedProxy(hub.port, { kbps, rttMs });
  const rings = await inviteToRing(hub, home, browser, kiosk, proxy);
  await proxy.close();
  kiosk.close();
  await browser.close();
  const cold = rings.map((r) => r.cold.ring);
  const warm = rings.map((r) => r.warm.ring);
  console.log(JSON.stringify({
    bench: 'web-weight', root: rootKind, link: { kbps, rtt_ms: rttMs }, cpu_slowdown: cpuSlowdown,
    first_visit: { requests: first.requests, bytes: first.bytes, ws_bytes: first.wsBytes },
    second_visit: { requests: second.requests, bytes: second.bytes, ws_bytes: second.wsBytes, status: second.status },
    invite_to_ring_ms: { median: median(cold), max: Math.max(...cold), runs: cold },
    warm_visit_to_ring_ms: { median: median(warm), max: Math.max(...warm) },
  }));
}

main().then(cleanup, async (err) => {
  console.error(err);
  console.log(JSON.stringify({ bench: 'web-weight', error: String(err.message || err) }));
  await cleanup();
  process.exit(1);
});
