// Shared by the call benchmark and the Chromium interop test: driving vindu-call-peer
// processes and Chromium pages, relaying signalling between any two of them.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function monotonicMs() {
  // The same clock as g_get_monotonic_time() in the peers (CLOCK_MONOTONIC).
  return Number(process.hrtime.bigint() / 1000000n);
}

// One vindu-call-peer process.
export class VinduPeer {
  constructor(binary, args, name) {
    this.name = name;
    this.proc = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.listeners = [];
    this.latencies = [];
    this.lines = [];
    this.stderr = '';
    this.other = null;
    let buffer = '';
    this.proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.onLine(line);
      }
    });
    this.proc.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-20000);
    });
    this.exited = new Promise((r) => this.proc.on('exit', r));
  }
  get pid() {
    return this.proc.pid;
  }
  onLine(line) {
    const space = line.indexOf(' ');
    const word = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1);
    if (word === 'sdp' && this.other) {
      const [type, b64] = rest.split(' ');
      this.other.remoteSdp(type, Buffer.from(b64, 'base64').toString());
    } else if (word === 'ice' && this.other) {
      const s = rest.indexOf(' ');
      this.other.remoteIce(Number(rest.slice(0, s)), rest.slice(s + 1));
    } else if (word === 'lat') {
      this.latencies.push(Number(rest));
    }
    if (word !== 'lat' && word !== 'ice') this.lines.push(line);
    for (const l of this.listeners.slice()) l(word, rest);
  }
  send(line) {
    this.proc.stdin.write(line + '\n');
  }
  remoteSdp(type, sdp) {
    this.lastRemoteSdp = sdp;
    this.send(`sdp ${type} ${Buffer.from(sdp).toString('base64')}`);
  }
  remoteIce(mline, candidate) {
    this.send(`ice ${mline} ${candidate}`);
  }
  // Resolves with the rest of the first line starting with word.
  waitFor(word, timeoutMs = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`${this.name}: no "${word}" within ${timeoutMs} ms; last lines: ` +
          this.lines.slice(-5).join(' | ') + '; stderr: ' + this.stderr.slice(-800)));
      }, timeoutMs);
      const listener = (w, rest) => {
        if (w !== word) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(rest);
      };
      this.listeners.push(listener);
    });
  }
  async quit() {
    try {
      this.send('quit');
    } catch {}
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }
}

export function pair(a, b) {
  a.other = b;
  b.other = a;
}

// A local page server for the browser peers (getUserMedia needs a secure context:
// http://127.0.0.1 is one).
export async function servePeerPage() {
  const files = {
    '/peer.html': ['text/html', readFileSync(join(here, 'chromium', 'peer.html'))],
    '/peer.js': ['text/javascript', readFileSync(join(here, 'chromium', 'peer.js'))],
  };
  const server = createServer((req, res) => {
    const f = files[req.url];
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': f[0] });
    res.end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}/peer.html` };
}

export const CHROMIUM_FLAGS = [
  // fps=30: the fake camera's default is 20 fps; Vindu's test source sends 30.
  '--headless', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream=fps=30',
  '--use-fake-ui-for-media-stream', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

function loadPlaywright() {
  const root = join(here, '..', '..', 'node_modules', 'playwright-core');
  return require(root);
}

// One Chromium instance (its own browser process tree) with one peer page.
export class BrowserPeer {
  static async launch(url, name) {
    const { chromium } = loadPlaywright();
    // Playwright spawns the browser as our child; the new child is this instance's root.
    const before = new Set(childPids(process.pid));
    const browser = await chromium.launch({
      executablePath: process.env.VINDU_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const peer = new BrowserPeer(browser, page, name);
    peer.rootPid = childPids(process.pid).find((p) => !before.has(p));
    await page.exposeFunction('toNode', (msg) => peer.fromPage(msg));
    page.on('pageerror', (e) => (peer.errors += e.message + '\n'));
    await page.goto(url);
    return peer;
  }
  constructor(browser, page, name) {
    this.browser = browser;
    this.page = page;
    this.name = name;
    this.other = null;
    this.errors = '';
  }
  get pid() {
    return this.rootPid;
  }
  fromPage(msg) {
    if (!this.other) return;
    if (msg.type === 'sdp') this.other.remoteSdp(msg.sdpType, msg.sdp);
    else if (msg.type === 'ice') this.other.remoteIce(msg.mline, msg.candidate);
  }
  remoteSdp(type, sdp) {
    this.lastRemoteSdp = sdp;
    this.page.evaluate(([t, s]) => window.peer.setRemote(t, s), [type, sdp]).catch((e) => {
      this.errors += `setRemote: ${e.message}\n`;
    });
  }
  remoteIce(mline, candidate) {
    this.page.evaluate(([m, c]) => window.peer.addIce(m, c), [mline, candidate]).catch((e) => {
      this.errors += `addIce: ${e.message}\n`;
    });
  }
  call(fn, ...args) {
    return this.page.evaluate(([f, a]) => window.peer[f](...a), [fn, args]);
  }
  async close() {
    await this.browser.close().catch(() => {});
  }
}

// CPU time (ticks) and memory of a process and all its descendants.
function procTable() {
  const table = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(d), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {}
  }
  return table;
}

function childPids(parent) {
  return [...procTable()].filter(([, info]) => info.ppid === parent).map(([pid]) => pid);
}

export function processTree(root) {
  const table = procTable();
  const pids = [root];
  for (let i = 0; i < pids.length; i++)
    for (const [pid, info] of table) if (info.ppid === pids[i]) pids.push(pid);
  return pids.filter((p) => table.has(p)).map((p) => ({ pid: p, ticks: table.get(p).ticks }));
}

export function treeTicks(root) {
  return processTree(root).reduce((sum, p) => sum + p.ticks, 0);
}

function memoryOf(pid) {
  let rss = 0, pss = 0;
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    rss = Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] || 0);
    pss = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] || 0);
  } catch {}
  return { rss, pss };
}

// kB: RSS of the tree (shared pages counted once per process) and PSS (shared pages split).
export function treeMemory(root) {
  return processTree(root).reduce((m, p) => {
    const x = memoryOf(p.pid);
    return { rss: m.rss + x.rss, pss: m.pss + x.pss, processes: m.processes + 1 };
  }, { rss: 0, pss: 0, processes: 0 });
}

export const CLK_TCK = 100;

export function median(xs) {
  return percentile(xs, 50);
}

export function percentile(xs, p) {
  if (!xs.length) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
