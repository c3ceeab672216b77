// Kiosk benchmark: prints figures, never passes or fails on them. Last line: one JSON object.
//   cold_start_ms      spawn to the first presented home frame ("vindu-kiosk: ready"), median of 5
//   idle_cpu_pct       % of one core over 10 s on the home screen, signed in to a real hub
//   idle_cpu_pct_x11   the same, windowed under Xvfb (the X connection's fd on the GLib loop)
//   rss_idle_mb        resident memory on the home screen, signed in
//   rss_call_mb        resident memory in a kiosk-to-kiosk call with test sources
//   input_redraw_ms    an SDL touch event queued -> next frame presented (median and p95 of 40)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const build = path.resolve(process.argv[2] || 'build');
// Not import.meta.dirname: that needs Node 20.11, and Debian 12's node is 18.
const src = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
process.env.VINDU_HUB = process.env.VINDU_HUB || path.join(build, 'hub/vindu-hub');
process.env.VINDU_SOURCE_DIR = src;
const KIOSK = path.join(build, 'kiosk/vindu-kiosk');
const FIXTURE = path.join(src, 'tests/kiosk/fixtures/family.json');
const { startHub, stopHub, household, admin } = await import(path.join(src, 'tests/hub/lib.mjs'));

const cleanups = [];
const t = { after: (fn) => cleanups.push(fn) }; // the hub helpers' test context
const env = { ...process.env, SDL_AUDIODRIVER: 'dummy', VINDU_LOCALEDIR: path.join(build, 'locale') };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function startKiosk(args, { cmd = KIOSK, pre = [] } = {}) {
  const child = spawn(pre.length ? pre[0] : cmd, pre.length ? [...pre.slice(1), cmd, ...args] : args,
    { stdio: ['pipe', 'pipe', 'pipe'], env });
  const k = { child, lines: [], waiters: [], t0: process.hrtime.bigint() };
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      k.lines.push({ at: process.hrtime.bigint(), text: buf.slice(0, i) });
      buf = buf.slice(i + 1);
      for (const w of [...k.waiters]) w();
    }
  });
  child.stderr.on('data', () => {});
  k.line = (re, timeoutMs = 60000, from = 0) => new Promise((resolve, reject) => {
    const check = () => {
      for (let i = from; i < k.lines.length; i++) if (re.test(k.lines[i].text)) { done(); resolve(k.lines[i]); return true; }
      return false;
    };
    const timer = setTimeout(() => { done(); reject(new Error(`no ${re}: ${k.lines.map((l) => l.text).join('\n')}`)); }, timeoutMs);
    const done = () => { clearTimeout(timer); k.waiters = k.waiters.filter((w) => w !== check); };
    if (!check()) k.waiters.push(check);
  });
  k.send = (c) => child.stdin.write(c + '\n');
  k.status = async () => {
    const from = k.lines.length;
    k.send('status');
    const l = await k.line(/^vindu-kiosk: status /, 20000, from);
    return Object.fromEntries(l.text.replace('vindu-kiosk: status ', '').split(' ').map((kv) => kv.split('=')));
  };
  k.until = async (pred, timeoutMs = 60000) => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) { const s = await k.status(); if (pred(s)) return s; await sleep(200); }
    throw new Error('condition not reached');
  };
  k.stop = () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
  cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return k;
}

// the kiosk process itself: under xvfb-run it is a descendant of the process we started
function kioskPid(k) {
  const root = k.child.pid;
  const parent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const isDescendant = (pid) => { for (let p = pid; p > 1; p = parent.get(p)) if (p === root) return true; return false; };
  for (const pid of parent.keys()) {
    if (pid === root || !isDescendant(pid)) continue;
    try { if (fs.readlinkSync(`/proc/${pid}/exe`) === KIOSK) return pid; } catch { /* gone */ }
  }
  return root;
}
function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}
function rssMb(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return round(Number(m[1]) / 1024, 1);
}
async function idleCpu(pid, seconds = 10) {
  const hz = 100; // USER_HZ on Linux
  const a = cpuTicks(pid);
  await sleep(seconds * 1000);
  return round(((cpuTicks(pid) - a) / hz) / seconds * 100, 3);
}

const figures = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-kiosk-bench-'));
cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
const common = ['--no-speech', '--size', '1280x800', '--dpi', '150', '--idle-seconds', '0'];
try {
  // 1. cold start to the first home frame
  const starts = [];
  for (let i = 0; i < 5; i++) {
    const k = startKiosk(['--headless', '--fixture', FIXTURE, ...common]);
    const l = await k.line(/^vindu-kiosk: ready screen=home$/);
    starts.push(Number(l.at - k.t0) / 1e6);
    await k.stop();
  }
  figures.cold_start_ms = round(median(starts), 1);
  figures.cold_start_ms_max = round(Math.max(...starts), 1);
  console.log(`cold start to first home frame: ${starts.map((x) => round(x, 1)).join(', ')} ms`);

  // 2. idle, signed in to a real hub
  const hub = await startHub(t, { dataDir: path.join(tmp, 'hub') });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const a = startKiosk(['--headless', '--control', '--insecure', '--media-test', '--hub', hub.wsUrl,
    '--data-dir', path.join(tmp, 'a'), '--pair-code', h.code, ...common]);
  await a.until((s) => s.connected === '1' && s.state === 'home');
  await sleep(3000); // let start-up work (media init, photo fetches) finish
  figures.idle_cpu_pct = await idleCpu(a.child.pid);
  figures.rss_idle_mb = rssMb(a.child.pid);
  console.log(`idle (headless, signed in): ${figures.idle_cpu_pct} % of a core, RSS ${figures.rss_idle_mb} MB`);

  // 3. input to redraw: real SDL events through the queue, home <-> messages, full rebuilds
  const lat = [];
  for (let i = 0; i < 40; i++) {
    const from = a.lines.length;
    a.send(i % 2 === 0 ? 'tap messages' : 'tap home');
    const l = await a.line(/^vindu-kiosk: redraw latency_us=\d+$/, 10000, from);
    lat.push(Number(l.text.split('=')[1]) / 1000);
    await sleep(50);
  }
  figures.input_redraw_ms_median = round(median(lat));
  figures.input_redraw_ms_p95 = round(pct(lat, 0.95));
  console.log(`input to redraw: median ${figures.input_redraw_ms_median} ms, p95 ${figures.input_redraw_ms_p95} ms`);

  // 4. in a call: two kiosks of one household, test picture and tone
  // a provisioning code pairs one kiosk: the second is paired with the code it shows
  const b = startKiosk(['--headless', '--control', '--insecure', '--media-test', '--hub', hub.wsUrl,
    '--data-dir', path.join(tmp, 'b'), ...common]);
  let shown = null;
  for (let i = 0; i < 100 && !shown; i++) {
    const from = b.lines.length;
    b.send('describe');
    const d = await b.line(/^vindu-kiosk: describe /, 10000, from);
    shown = [...d.text.matchAll(/"text":"([\d -]+)"/g)].map((x) => x[1].replace(/[ -]/g, '')).find((x) => /^\d{8}$/.test(x));
    if (!shown) await sleep(200);
  }
  if (!shown || !admin(hub.dataDir, 'pair', '--household', h.id, '--code', shown).ok) throw new Error('second kiosk not paired');
  const sb = await b.until((s) => s.connected === '1' && s.kiosk.startsWith('k_'));
  a.send(`call ${sb.kiosk}`);
  await b.line(/^vindu-kiosk: state incoming$/, 20000);
  b.send('touch answer');
  await a.until((s) => s.call === 'in-call' && Number(s.frames) >= 60, 60000);
  const s0 = await a.status();
  const cpuCall = await idleCpu(a.child.pid, 5);
  const s1 = await a.status();
  const f0 = Number(s0.frames), f1 = Number(s1.frames);
  figures.call_frames_decoded_per_s = round((Number(s1.decoded) - Number(s0.decoded)) / 5, 1);
  figures.rss_call_mb = rssMb(a.child.pid);
  figures.call_cpu_pct = cpuCall;
  figures.call_frames_per_s = round((f1 - f0) / 5, 1);
  console.log(`in a call: RSS ${figures.rss_call_mb} MB, ${cpuCall} % of a core, ${figures.call_frames_per_s} frames/s shown of ${figures.call_frames_decoded_per_s} decoded`);
  a.send('touch hangup');
  await a.stop();
  await b.stop();
  await stopHub(hub);

  // 5. idle windowed under Xvfb: the X connection fd drives the loop (no polling)
  if (spawnSync('which', ['xvfb-run']).status === 0) {
    const x = startKiosk(['--fixture', FIXTURE, ...common], { pre: ['xvfb-run', '-a', '-s', '-screen 0 1280x800x24'] });
    await x.line(/^vindu-kiosk: ready screen=home$/, 30000);
    await sleep(2000);
    const pid = kioskPid(x);
    figures.idle_cpu_pct_x11 = await idleCpu(pid);
    console.log(`idle (Xvfb window): ${figures.idle_cpu_pct_x11} % of a core`);
    process.kill(pid, 'SIGTERM'); // the kiosk we started; xvfb-run then stops its server
    await new Promise((r) => { x.child.once('exit', r); setTimeout(r, 5000); });
  }
} catch (e) {
  console.error('kiosk-bench could not finish: ' + e.message);
  figures.error = e.message.split('\n')[0];
}
for (const c of cleanups.reverse()) { try { await c(); } catch { /* already gone */ } }
figures.targets = { cold_start_ms: '< 1000', idle_cpu_pct: '< 1', rss_idle_mb: '< 80', input_redraw_ms: '< 50' };
console.log(JSON.stringify(figures));
process.exit(figures.error ? 1 : 0);
