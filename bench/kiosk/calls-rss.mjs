// Idle memory after many calls: prints figures, never passes or fails on them. Last line: one
// JSON object. Two headless kiosks of one household on a real hub (loopback), test picture and
// tone; kiosk A calls B N times (B answers, ~2 s of media, A hangs up), and A's resident memory
// is read on the home screen before the first call and after every 10th, 5 s after the call.
//   bench/kiosk-calls-rss BUILD_DIR [N=150]
//   rss_idle_start_mb   before the first call (signed in, media engine started)
//   rss_idle_after_mb   after the N-th call
//   rss_idle_max_mb     the most seen between
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const build = path.resolve(process.argv[2] || 'build');
const calls = Number(process.argv[3] || process.env.VINDU_BENCH_CALLS || 150);
const src = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
process.env.VINDU_HUB = process.env.VINDU_HUB || path.join(build, 'hub/vindu-hub');
process.env.VINDU_SOURCE_DIR = src;
const KIOSK = path.join(build, 'kiosk/vindu-kiosk');
const { startHub, household, admin } = await import(path.join(src, 'tests/hub/lib.mjs'));

const cleanups = [];
const t = { after: (fn) => cleanups.push(fn) };
const env = { ...process.env, SDL_AUDIODRIVER: 'dummy', VINDU_LOCALEDIR: path.join(build, 'locale') };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function startKiosk(args) {
  const child = spawn(KIOSK, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
  const k = { child, lines: [], waiters: [] };
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      k.lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      for (const w of [...k.waiters]) w();
    }
    if (k.lines.length > 2000) k.lines.splice(0, 1000); // bounded: many calls print many lines
  });
  child.stderr.on('data', () => {});
  k.line = (re, timeoutMs = 60000) => new Promise((resolve, reject) => {
    const from = k.lines.length;
    const check = () => {
      for (let i = Math.min(from, k.lines.length); i < k.lines.length; i++) if (re.test(k.lines[i])) { done(); resolve(k.lines[i]); return true; }
      return false;
    };
    const timer = setTimeout(() => { done(); reject(new Error(`no ${re}`)); }, timeoutMs);
    const done = () => { clearTimeout(timer); k.waiters = k.waiters.filter((w) => w !== check); };
    k.waiters.push(check);
  });
  k.send = (c) => child.stdin.write(c + '\n');
  k.status = async () => {
    const p = k.line(/^vindu-kiosk: status /, 20000);
    k.send('status');
    const l = await p;
    return Object.fromEntries(l.replace('vindu-kiosk: status ', '').split(' ').map((kv) => kv.split('=')));
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

function rssMb(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return round(Number(m[1]) / 1024);
}

const figures = { calls };
const series = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-calls-rss-'));
cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
const common = ['--headless', '--control', '--no-speech', '--insecure', '--media-test', '--size', '1280x800',
  '--dpi', '150', '--idle-seconds', '0'];
try {
  const hub = await startHub(t, { dataDir: path.join(tmp, 'hub') });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const a = startKiosk([...common, '--hub', hub.wsUrl, '--data-dir', path.join(tmp, 'a'), '--pair-code', h.code]);
  await a.until((s) => s.connected === '1' && s.state === 'home');
  const b = startKiosk([...common, '--hub', hub.wsUrl, '--data-dir', path.join(tmp, 'b')]);
  let shown = null; // the second kiosk is paired with the code it shows
  for (let i = 0; i < 100 && !shown; i++) {
    const p = b.line(/^vindu-kiosk: describe /, 10000);
    b.send('describe');
    const d = await p;
    shown = [...d.matchAll(/"text":"([\d -]+)"/g)].map((x) => x[1].replace(/[ -]/g, '')).find((x) => /^\d{8}$/.test(x));
    if (!shown) await sleep(200);
  }
  if (!shown || !admin(hub.dataDir, 'pair', '--household', h.id, '--code', shown).ok) throw new Error('second kiosk not paired');
  const sb = await b.until((s) => s.connected === '1' && s.kiosk.startsWith('k_'));
  await sleep(5000);
  figures.rss_idle_start_mb = rssMb(a.child.pid);
  series.push([0, figures.rss_idle_start_mb]);
  for (let n = 1; n <= calls; n++) {
    const ringing = b.line(/^vindu-kiosk: state incoming$/, 20000);
    a.send(`call ${sb.kiosk}`);
    await ringing;
    b.send('touch answer');
    const s0 = await a.until((s) => s.call === 'in-call', 30000);
    await a.until((s) => Number(s.frames) >= Number(s0.frames) + 20, 30000);
    a.send('touch hangup');
    await a.until((s) => s.call === 'idle' || s.call === 'ended', 20000);
    await b.until((s) => s.call === 'idle' || s.call === 'ended', 20000);
    if (n % 10 === 0 || n === calls) {
      await a.until((s) => s.call === 'idle', 30000);
      await sleep(5000);
      series.push([n, rssMb(a.child.pid)]);
      console.log(`after ${n} calls: idle RSS ${series[series.length - 1][1]} MB`);
    }
  }
  figures.rss_idle_after_mb = series[series.length - 1][1];
  figures.rss_idle_max_mb = Math.max(...series.map((x) => x[1]));
  figures.series = series;
  await a.stop();
  await b.stop();
} catch (e) {
  console.error('calls-rss could not finish: ' + e.message);
  figures.error = e.message.split('\n')[0];
}
for (const c of cleanups.reverse()) { try { await c(); } catch { /* already gone */ } }
figures.target = { rss_idle_after_mb: '< 80' };
console.log(JSON.stringify(figures));
process.exit(figures.error ? 1 : 0);
