// hub-connect-cost: what one more connection costs the hub as it holds more. Signed-in
// WebSockets (kiosks and people made by hub-bench-setup) are opened in batches; for the batch
// that ends at each step of --steps (default 1000,5000,10000) the hub's CPU ms per connect
// (utime+stime from /proc, connect + TLS + hello + welcome), its RSS per held connection once
// they have been idle 5 s, its RSS at the last step before that wait, and its RSS once all are
// closed again (after the hub's memory return). Last line: one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.VINDU_SOURCE_DIR, 'package.json'));
const WebSocket = require('ws');
const opt = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const log = (...a) => console.log('hub-connect-cost:', ...a);
// The hub (hub/gate.c) holds at most its descriptor limit less 256; this process inherits the
// same limit. A step past that would wait for ever, so it is left out, and said.
const fdLimit = Number(fs.readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)/)?.[1] ?? 1024);
const REACHABLE = fdLimit - 512;
const ASKED = (opt.steps ?? '1000,5000,10000').split(',').map(Number);
const STEPS = ASKED.filter((n) => n <= REACHABLE);
for (const n of ASKED.filter((x) => x > REACHABLE)) {
  log(`step ${n} left out: the descriptor limit is ${fdLimit} (raise the hard limit, ulimit -Hn, as a privileged user)`);
}
if (!STEPS.length) throw new Error(`no step fits under the descriptor limit ${fdLimit}`);
const BATCH = Number(opt.batch ?? 500);
// hub/memory_return.h: a trim after growth once the count has stayed about the same for 3 s;
// the one-second sweep may see the last batch up to 1 s late, and the trim itself takes time
const IDLE_WAIT_MS = (3 + 1 + 1) * 1000;
const MAX = Math.max(...STEPS);
const HUB = process.env.VINDU_HUB;
const SETUP = process.env.VINDU_HUB_BENCH_SETUP;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stat = (pid) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
const cpuMs = (pid) => { const f = stat(pid); return (Number(f[11]) + Number(f[12])) * 10; };
const openFds = (pid) => fs.readdirSync(`/proc/${pid}/fd`).length;
const rssKb = (pid) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-connect-cost-'));
const sockets = [];
let hub;

function connect(url, auth) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['vindu.v1'], { rejectUnauthorized: false, perMessageDeflate: false });
    sockets.push(ws);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', id: 'h', version: 1, client: 'connect-cost/0.1', auth })));
    ws.on('message', (buf) => { const m = JSON.parse(buf); if (m.type === 'welcome') resolve(); else if (m.type === 'error') reject(new Error(m.code)); });
    ws.on('error', reject);
  });
}

async function main() {
  const data = path.join(dir, 'data');
  const pairs = execFileSync(SETUP, [data, String(Math.ceil(MAX / 2))], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .trim().split('\n').map((l) => JSON.parse(l));
  const auths = pairs.flatMap((p) => [{ kind: 'device', kiosk: p.kiosk, secret: p.secret }, { kind: 'session', token: p.session }]);
  const conf = path.join(dir, 'hub.conf');
  fs.writeFileSync(conf, '[limits]\nunauth_per_address=100000\nunauth_total=100000\n');
  hub = spawn(HUB, ['--config', conf, '--listen', '127.0.0.1', '--port', '0', '--data-dir', data, '--web-root', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    hub.stdout.on('data', (d) => { out += d; const m = out.match(/listening on https:\/\/[0-9.]+:(\d+)/); if (m) resolve(Number(m[1])); });
    hub.once('exit', (c) => reject(new Error(`hub exited ${c}`)));
  });
  const url = `wss://127.0.0.1:${port}/ws`;
  await sleep(500);
  const idleKb = rssKb(hub.pid);
  const idleFds = openFds(hub.pid);
  const curve = [];
  let peakKb = 0; // at MAX held, before the wait
  for (let held = 0; held < MAX;) {
    const n = Math.min(BATCH, MAX - held);
    const cpu0 = cpuMs(hub.pid);
    for (let i = 0; i < n; i += 100) await Promise.all(auths.slice(held + i, held + Math.min(i + 100, n)).map((a) => connect(url, a)));
    held += n;
    const per = (cpuMs(hub.pid) - cpu0) / n;
    if (held === MAX) peakKb = rssKb(hub.pid);
    if (STEPS.includes(held)) {
      await sleep(IDLE_WAIT_MS); // held idle: past the hub's trim after growth
      const perConnKb = (rssKb(hub.pid) - idleKb) / held;
      curve.push({ connections: held, cpu_ms_per_connect: Math.round(per * 1000) / 1000, rss_kb_per_connection: Math.round(perConnKb * 10) / 10 });
      log(`${held} held: ${per.toFixed(3)} CPU ms per connect (last ${n}), ${perConnKb.toFixed(1)} KB RSS per connection`);
    }
  }
  for (const s of sockets) s.terminate();
  // 19,000 closes take the hub a while on a busy machine: wait until it holds its idle
  // descriptors again (at most 60 s), then give its one-second sweep time to return memory
  for (let waited = 0; openFds(hub.pid) > idleFds + 16 && waited < 60000; waited += 250) await sleep(250);
  await sleep(2500);
  const afterKb = rssKb(hub.pid);
  log(`RSS idle ${(idleKb / 1024).toFixed(1)} MB, at ${MAX} ${(peakKb / 1024).toFixed(1)} MB, after all closed ${(afterKb / 1024).toFixed(1)} MB`);
  const first = curve[0].cpu_ms_per_connect;
  console.log(JSON.stringify({
    bench: 'hub-connect-cost', descriptor_limit: fdLimit, steps_left_out: ASKED.filter((x) => x > REACHABLE), curve, cost_ratio_last_to_first: Math.round((curve[curve.length - 1].cpu_ms_per_connect / first) * 100) / 100,
    rss_mb: { idle: Math.round(idleKb / 102.4) / 10, peak: Math.round(peakKb / 102.4) / 10, after_drop: Math.round(afterKb / 102.4) / 10 },
  }));
}

main().catch((err) => { console.error(err); console.log(JSON.stringify({ bench: 'hub-connect-cost', error: String(err.message || err) })); process.exitCode = 1; })
  .finally(async () => {
    for (const s of sockets) s.terminate();
    if (hub && hub.exitCode === null) { hub.kill('SIGTERM'); await new Promise((r) => setTimeout(r, 2000)); if (hub.exitCode === null) hub.kill('SIGKILL'); }
    fs.rmSync(dir, { recursive: true, force: true });
  });
