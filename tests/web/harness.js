// Shared set-up for the browser tests: the real vindu-hub on 127.0.0.1 serving web/, households
// and invites made with its admin commands (all from tests/common/hub_process.mjs, as the node
// tests have them), Debian's Chromium driven by playwright-core with a fake camera and microphone
// (or Debian's firefox-esr over WebDriver BiDi with puppeteer-core: launchFirefox), and the real
// kiosk when a test needs it.
// Everything started here is stopped, and every temp dir removed, even when a test fails.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import * as hubProcess from '../common/hub_process.mjs';
import { KioskProcess, kioskArgs } from '../common/kiosk_process.mjs';

export { repoRoot, webRoot, hubBinary, kioskBinary, stopHub, createHousehold, invite } from '../common/hub_process.mjs';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--ignore-certificate-errors',
  '--autoplay-policy=no-user-gesture-required',
];

const cleanups = [];
let exitHookInstalled = false;

// Registers fn to run at cleanup(); runs in reverse order of registration.
function onCleanup(fn) {
  cleanups.push(fn);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort if a test forgot after(cleanup) or the runner is interrupted.
    process.on('exit', () => { for (const fn2 of cleanups.splice(0).reverse()) { try { fn2(true); } catch { /* exiting */ } } });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  }
}

export async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn(false);
    } catch {
      // keep cleaning the rest
    }
  }
}

// What the browser tests start lives until their after(cleanup) (or the process's exit).
const scope = { after: onCleanup };

export const tempDir = (prefix) => hubProcess.tempDir(scope, `web-${prefix}`);
export const haveKiosk = () => existsSync(hubProcess.kioskBinary());

// The real hub serving web/ (or VINDU_WEB_TEST_ROOT: the built, bundled web root): returns
// {origin, wsUrl, dataDir, port, admin(...args)}. Pass the dataDir and port of a stopped hub
// (stopHub) to start it again as the same hub.
export function startHub({ dataDir = tempDir('hub'), port = 0, args = [] } = {}) {
  const webRoot = process.env.VINDU_WEB_TEST_ROOT || hubProcess.webRoot;
  return hubProcess.startHub(scope, { dataDir, port, args, webRoot, readyTimeoutMs: 30000 });
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.VINDU_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  onCleanup(() => browser.close());
  return browser;
}

// A fresh browser profile (its own localStorage) for one person.
export async function newPerson(browser, { viewport = { width: 390, height: 844 }, locale = 'en-GB', bypassCSP = false } = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, viewport, locale, bypassCSP, permissions: ['camera', 'microphone'],
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(new Error(msg.text())); });
  return { context, page, errors };
}

// Opens an invite link and waits until the person's households are shown.
export async function joinByInvite(page, link) {
  await page.goto(link);
  await page.waitForSelector('.home h1, .notice h1', { timeout: 20000 });
  return page;
}

// The real kiosk (tests/common/kiosk_process.mjs), headless, paired with the household's
// provisioning code, driven through its test-only --control line protocol on stdin
// (kiosk/control.h): "call ID", "answer", "status" ... Resolves once it is ready; at cleanup it
// gets SIGTERM (SIGKILL after 5 s).
export async function startKiosk(hub, provisioningCode, extraArgs = []) {
  const dataDir = tempDir('kiosk');
  const proc = new KioskProcess(scope, kioskArgs(hub, dataDir, provisioningCode, extraArgs), { endSignal: 'SIGTERM' });
  await kioskReady(proc, 60000);
  const kiosk = {
    child: proc.child,
    dataDir,
    onLine: (fn) => proc.onLine(fn),
    command(line) {
      proc.send(line);
    },
    // The next output line matching re (after now), or an error after timeoutMs.
    waitLine(re, timeoutMs = 20000) {
      return new Promise((resolveLine, reject) => {
        const off = proc.onLine((line) => {
          const m = re.exec(line);
          if (m) { off(); clearTimeout(timer); resolveLine(m); }
        });
        const timer = setTimeout(() => { off(); reject(new Error(`kiosk: no line matching ${re} in ${timeoutMs} ms`)); }, timeoutMs);
      });
    },
    // "vindu-kiosk: status state=home call=idle connected=1 frames=0 ..." as an object.
    async status() {
      const line = kiosk.waitLine(/^vindu-kiosk: status (.*)$/, 5000);
      kiosk.command('status');
      const m = await line;
      return Object.fromEntries(m[1].trim().split(/\s+/).map((kv) => kv.split('=')).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
    },
  };
  return kiosk;
}

// Its "ready" line, or an error if it exits first or has not said it in timeoutMs.
function kioskReady(proc, timeoutMs) {
  return Promise.race([
    proc.line(/^vindu-kiosk: ready screen=(\w+)/, timeoutMs),
    proc.exited.then((code) => {
      throw new Error(`vindu-kiosk exited (${code}) before it was ready; output:\n${proc.lines.join('\n').slice(-2000)}\n${proc.stderr.slice(-2000)}`);
    }),
  ]);
}

export async function waitFor(predicate, { timeoutMs = 20000, intervalMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// A small JPEG made by the browser itself (no binary fixture in the repo): w × h pixels.
export async function makeJpeg(page, width, height) {
  const b64 = await page.evaluate(async ([w, hgt]) => {
    const c = new OffscreenCanvas(w, hgt);
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, w, hgt);
    grad.addColorStop(0, '#1d4ed8');
    grad.addColorStop(1, '#f59e0b');
    g.fillStyle = grad;
    g.fillRect(0, 0, w, hgt);
    g.fillStyle = '#fff';
    g.font = `${Math.round(hgt / 6)}px sans-serif`;
    g.fillText('Vindu', w / 10, hgt / 2);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [width, height]);
  const file = join(tempDir('photo'), `photo-${width}x${height}.jpg`);
  writeFileSync(file, Buffer.from(b64, 'base64'));
  return file;
}

// Closes the "call ended" screen (it also goes away by itself after a few seconds).
export async function closeCall(page) {
  await page.locator('#call-close').click({ timeout: 2000 }).catch(() => {});
  await page.waitForSelector('#call', { state: 'hidden', timeout: 15000 });
}

// Test-side instruments in a page, installed before the app loads (the app itself has no test
// hooks for these): every RTCPeerConnection the app creates is kept in window.__testPeers, so a
// test reads the real connection's getConfiguration(), senders and getStats(); and
// getUserMedia waits while window.__testMediaHeld (a promise the test sets) is pending, as a
// slow phone camera would. Nothing is changed in what the app's calls do.
export async function instrumentPage(page) {
  await page.addInitScript(keepPeers);
}

// The init script of instrumentPage(), as a named function so that Firefox pages
// (evaluateOnNewDocument) get the very same one.
function keepPeers() {
  {
    const peers = [];
    window.__testPeers = peers;
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(...args) {
        super(...args);
        peers.push(this);
      }
    };
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      if (window.__testMediaHeld) await window.__testMediaHeld;
      return getUserMedia(constraints);
    };
  }
}

// Holds getUserMedia in a page made with instrumentPage(); returns a function that lets it go.
export async function holdMedia(page) {
  await page.evaluate(() => { window.__testMediaHeld = new Promise((r) => { window.__testReleaseMedia = r; }); });
  return () => page.evaluate(() => { window.__testReleaseMedia(); window.__testMediaHeld = null; });
}

// Debian's firefox-esr, headless, driven over WebDriver BiDi by puppeteer-core: a fake camera and
// microphone (Firefox's own test streams), no permission prompts, the hub's self-signed
// certificate accepted. Returns null when firefox-esr is not installed (the caller says so).
export const FIREFOX = process.env.VINDU_FIREFOX || '/usr/bin/firefox-esr';

export async function launchFirefox() {
  if (!existsSync(FIREFOX)) return null;
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    // a display is never needed: headless, and the environment's DISPLAY is not passed on
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', MOZ_HEADLESS: '1' },
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
      'media.autoplay.block-webaudio': false,
      'intl.accept_languages': 'en-GB',
    },
  });
  onCleanup(() => browser.close());
  return browser;
}

// A fresh Firefox profile context for one person, with the same page instruments as
// instrumentPage() (window.__testPeers) and the page's errors collected.
export async function newFirefoxPerson(browser) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 390, height: 844 });
  await page.evaluateOnNewDocument(keepPeers);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(new Error(msg.text())); });
  return { context, page, errors };
}
