// bench/hub-load: N kiosk and N person connections to a real vindu-hub on 127.0.0.1, then call
// signalling relayed at a fixed rate and durable messages. Prints figures; never passes or
// fails on time. The last line is one JSON object.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import { createRequire } from 'node:module';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
// Not import.meta.dirname: that needs Node 20.11, and Debian 12's node is 18.
const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WebSocket = require(path.join(sourceDir, 'node_modules/ws'));

const opt = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const PAIRS = Number(opt.pairs ?? 5000);           // N kiosks + N people
const RATE = Number(opt.rate ?? 2000);             // relayed signalling messages per second
const RELAY_S = Number(opt['relay-s'] ?? 10);
// This process is test equipment standing in for 10,000 remote clients; in deployment the hub has
// its machine to itself. On the shared 2-core bench machine it runs at this nice value (the hub
// and the probe keep 0), so its GC and socket work yield the core to the hub. 0 turns it off.
const LOAD_NICE = Number(opt['load-nice'] ?? 10);
const CALLS = Math.min(PAIRS, Number(opt.calls ?? 1000));
const MSG_S = Number(opt['msg-s'] ?? 5);
const MSG_SENDERS = Math.min(PAIRS, Number(opt['msg-senders'] ?? 200));
// Relay latency is timed only in a separate probe process (hub-bench-probe, bench/hub/probe.c)
// on its own PROBE_PAIRS calls, at PROBE_RATE of the RATE messages/s; this process sends the rest
// untimed-for-the-figure. Timing in this process measured this process: with ~10,000 sockets
// its GC pauses and busy event loop delay the receive timestamps by tens of ms, and a node probe
// had the same stalls on a smaller scale (docs/hub.md, Benchmark).
const PROBE_PAIRS = Math.min(PAIRS - CALLS, Number(opt['probe-pairs'] ?? 50));
const PROBE_RATE = Math.min(RATE, Number(opt['probe-rate'] ?? 500));
const HUB = process.env.VINDU_HUB;
const SETUP = process.env.VINDU_HUB_BENCH_SETUP;
const PROBE = process.env.VINDU_HUB_BENCH_PROBE;
if (!HUB || !SETUP || !PROBE) throw new Error('set VINDU_HUB, VINDU_HUB_BENCH_SETUP and VINDU_HUB_BENCH_PROBE (bench/hub-load does)');

const log = (...a) => console.log('hub-load:', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
function pct(arr, p) {
  if (!arr.length) return null;
  const s = Float64Array.from(arr).sort();
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 1000) / 1000;
}
function cpuSeconds(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 10 ms
}
function faults(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { minor: Number(f[7]), major: Number(f[9]) };
}
// all cores: [busy, total] jiffies from /proc/stat (busy = not idle, not iowait)
function machineJiffies() {
  const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return [total - v[3] - v[4], total];
}
function rssMb(pid) {
  const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k) => Number(st.match(new RegExp(k + ':\\s+(\\d+)'))[1]) / 1024;
  return { rss: Math.round(get('VmRSS') * 10) / 10, peak: Math.round(get('VmHWM') * 10) / 10 };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-hub-load-'));
let hub, probe;
const sockets = [];
async function cleanup() {
  if (probe && probe.exitCode === null) probe.kill('SIGTERM');
  for (const s of sockets) s.terminate();
  if (hub && hub.exitCode === null) {
    hub.kill('SIGTERM');
    await new Promise((r) => { const t = setTimeout(() => { hub.kill('SIGKILL'); r(); }, 5000); hub.once('exit', () => { clearTimeout(t); r(); }); });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
process.on('SIGINT', async () => { await cleanup(); process.exit(130); });

async function main() {
  const data = path.join(dir, 'data');
  log(`setting up ${PAIRS} households (kiosk + person each)`);
  const pairs = execFileSync(SETUP, [data, String(PAIRS)], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .trim().split('\n').map((l) => JSON.parse(l));

  // thousands of connections from one address, and people posting 18 messages/s: above the
  // caps and quotas a real hub has (hub/gate.c, hub/quota.c), which this measures around
  const conf = path.join(dir, 'hub.conf');
  fs.writeFileSync(conf, '[limits]\nunauth_per_address=100000\nunauth_total=100000\n' +
    'person_messages_per_minute=100000\nhousehold_messages_per_minute=100000\n');
  hub = spawn(HUB, ['--config', conf, '--listen', '127.0.0.1', '--port', '0', '--data-dir', data, '--ring-timeout-s', '3600',
    '--web-root', dir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VINDU_HUB_STATS: '1' } });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    hub.stdout.on('data', (d) => { out += d; const m = out.match(/listening on https:\/\/[0-9.]+:(\d+)/); if (m) resolve(Number(m[1])); });
    hub.once('exit', (c) => reject(new Error('hub exited ' + c)));
  });
  const url = `wss://127.0.0.1:${port}/ws`;
  const idle = rssMb(hub.pid);

  // --- the probe process: its calls first, then this process's connections. It speaks JSON
  // lines on stdout and takes "RATE SECONDS" on stdin.
  const probePairs = path.join(dir, 'probe-pairs.jsonl');
  fs.writeFileSync(probePairs, pairs.slice(PAIRS - PROBE_PAIRS).map((p) => JSON.stringify(p)).join('\n') + '\n');
  probe = spawn(PROBE, [String(port), probePairs], { stdio: ['pipe', 'pipe', 'inherit'] });
  const probeLines = [];
  let probeWaiter = null, probeOut = '';
  probe.stdout.on('data', (d) => {
    probeOut += d;
    let nl;
    while ((nl = probeOut.indexOf('\n')) >= 0) {
      probeLines.push(JSON.parse(probeOut.slice(0, nl)));
      probeOut = probeOut.slice(nl + 1);
    }
    if (probeWaiter) probeWaiter();
  });
  const probeMsg = (want) => new Promise((resolve, reject) => {
    const look = () => { const i = probeLines.findIndex((m) => m[want]); if (i >= 0) { probeWaiter = null; resolve(probeLines.splice(i, 1)[0]); } };
    probeWaiter = look;
    look();
    probe.once('exit', (c) => reject(new Error('probe exited ' + c)));
  });
  const probeUp = await probeMsg('ready');
  // the hub and the probe are started: lower this process (every thread; later ones inherit)
  for (const tid of fs.readdirSync('/proc/self/task')) os.setPriority(Number(tid), LOAD_NICE);
  log(`probe process: ${probeUp.calls} calls on ${probeUp.held} connections, ${probeUp.failed} failed`);

  // --- connections
  const relayLat = [];
  const msgLat = [];
  const sent = new Map(); // candidate seq -> send time
  const postedAt = new Map(); // client_msg_id -> time
  let accepted = 0, delivered = 0, errors = 0;
  const errorCodes = {};

  function connect(pair, role) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['vindu.v1'], { rejectUnauthorized: false, perMessageDeflate: false });
      sockets.push(ws);
      const c = { ws, pair, role, waiters: new Map(), call: null };
      ws.on('open', () => {
        const auth = role === 'kiosk' ? { kind: 'device', kiosk: pair.kiosk, secret: pair.secret } : { kind: 'session', token: pair.session };
        ws.send(JSON.stringify({ type: 'hello', id: 'h', version: 1, client: 'hub-load/0.1', auth }));
      });
      ws.on('message', (buf) => {
        const m = JSON.parse(buf);
        switch (m.type) {
          case 'welcome': c.ready = true; resolve(c); break;
          case 'call.ice': {
            const seq = Number(m.candidate.split(' ')[0].slice(10));
            const t0 = sent.get(seq);
            if (t0 !== undefined) { relayLat.push(nowMs() - t0); sent.delete(seq); }
            break;
          }
          case 'call.invite': if (role === 'kiosk') ws.send(JSON.stringify({ type: 'call.accept', call: m.call })); break;
          case 'msg.deliver': {
            delivered++;
            const t0 = postedAt.get(m.msg.text);
            if (t0 !== undefined) { msgLat.push(nowMs() - t0); postedAt.delete(m.msg.text); }
            ws.send(JSON.stringify({ type: 'msg.ack', up_to: m.seq }));
            break;
          }
          case 'error': errors++; errorCodes[m.code] = (errorCodes[m.code] || 0) + 1; if (!c.ready) reject(new Error(m.code)); break;
        }
        const w = m.re !== undefined ? c.waiters.get(m.re) : (m.type === 'call.accept' ? c.waiters.get('accept') : undefined);
        if (w) { c.waiters.delete(m.re ?? 'accept'); w(m); }
      });
      ws.on('error', reject);
      ws.on('close', () => { c.closed = true; });
    });
  }
  const waitFor = (c, key) => new Promise((r) => c.waiters.set(key, r));

  const LOAD_PAIRS = PAIRS - PROBE_PAIRS;
  log(`connecting ${LOAD_PAIRS} kiosks and ${LOAD_PAIRS} people`);
  const t0 = nowMs();
  const kiosks = new Array(PAIRS), people = new Array(PAIRS);
  let next = 0, failed = 0;
  async function worker() {
    while (next < LOAD_PAIRS * 2) {
      const i = next++;
      const idx = i >> 1;
      try {
        if (i & 1) people[idx] = await connect(pairs[idx], 'person');
        else kiosks[idx] = await connect(pairs[idx], 'kiosk');
      } catch (e) { failed++; }
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker));
  const connectS = (nowMs() - t0) / 1000;
  await sleep(2000);
  const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length + probeUp.held;
  const afterConnect = rssMb(hub.pid);
  const healthz = await new Promise((resolve) => https.get(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false }, (r) => {
    let b = ''; r.on('data', (d) => { b += d; }); r.on('end', () => resolve(JSON.parse(b)));
  }));
  log(`held ${held} connections (hub says ${healthz.connections}) after ${connectS.toFixed(1)} s, ${failed} failed; hub RSS ${afterConnect.rss} MB (idle ${idle.rss} MB)`);

  // --- calls: person i calls kiosk i, the kiosk accepts
  log(`placing ${CALLS} calls`);
  const inCall = [];
  for (let i = 0; i < CALLS; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, CALLS - i) }, async (_, j) => {
      const p = people[i + j], k = kiosks[i + j];
      if (!p || !k) return;
      const acc = waitFor(p, 'accept');
      p.ws.send(JSON.stringify({ type: 'call.invite', id: 'ci', household: p.pair.household, to: p.pair.kiosk }));
      const placed = await waitFor(p, 'ci');
      if (placed.type !== 'call.placed') return;
      await acc;
      p.call = k.call = placed.call;
      inCall.push([p, k]);
    }));
  }
  log(`${inCall.length} calls up`);

  // --- relay: call.ice at RATE per second, both directions, across all calls
  log(`relaying call.ice at ${RATE}/s for ${RELAY_S} s (${PROBE_RATE}/s of it timed by the probe process)`);
  const LOAD_RATE = RATE - PROBE_RATE;
  hub.kill('SIGUSR1'); // the hub prints its loop/queue histograms so far and starts afresh
  await sleep(200);
  const probeDone = probeMsg('done');
  probe.stdin.write(`${PROBE_RATE} ${RELAY_S}\n`);
  let seq = 0;
  const tickMs = 5;
  const hubCpu0 = cpuSeconds(hub.pid);
  const hubFaults0 = faults(hub.pid);
  const machine0 = machineJiffies();
  const clientCpu0 = process.cpuUsage();
  // the client's own stalls during the relay: GC pauses and event-loop delay (both delay the
  // receive timestamps, so they count in relay latency unless the client is idle)
  const gcPauses = [];
  const gcObs = new PerformanceObserver((l) => { for (const e of l.getEntries()) gcPauses.push(e.duration); });
  gcObs.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const relayStart = nowMs();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      // as many as are due by now: the rate holds even when timer ticks come late
      const due = Math.floor(((nowMs() - relayStart) / 1000) * LOAD_RATE);
      while (seq < due) {
        const [p, k] = inCall[seq % inCall.length];
        const from = seq % 2 ? p : k;
        sent.set(seq, nowMs());
        from.ws.send(JSON.stringify({ type: 'call.ice', call: from.call, candidate: `candidate:${seq} 1 UDP 2015363327 127.0.0.1 50000 typ host`, sdp_mline_index: 0 }));
        seq++;
      }
      if (nowMs() - relayStart >= RELAY_S * 1000) { clearInterval(timer); resolve(); }
    }, tickMs);
  });
  const relayWall = (nowMs() - relayStart) / 1000;
  loopDelay.disable();
  gcObs.disconnect();
  const clientStalls = {
    gc_pauses: gcPauses.length, gc_total_ms: Math.round(gcPauses.reduce((a, b) => a + b, 0)),
    gc_max_ms: Math.round(Math.max(0, ...gcPauses) * 10) / 10,
    loop_delay_p99_ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
    loop_delay_max_ms: Math.round(loopDelay.max / 1e4) / 100,
  };
  const hubCpuPct = Math.round(((cpuSeconds(hub.pid) - hubCpu0) / relayWall) * 100);
  const hubFaults1 = faults(hub.pid);
  const machine1 = machineJiffies();
  // how busy all cores were during the relay (hub, clients, and whatever else ran), 100 = all
  const machineBusyPct = Math.round(((machine1[0] - machine0[0]) / (machine1[1] - machine0[1])) * 100);
  const cu = process.cpuUsage(clientCpu0);
  const clientCpuPct = Math.round(((cu.user + cu.system) / 1e6 / relayWall) * 100);
  const pr = await probeDone;
  hub.kill('SIGUSR1'); // the hub's histograms of the relay phase
  await sleep(200);
  const relayRate = (seq + pr.sent) / relayWall;
  const afterRelay = rssMb(hub.pid);
  log(`probe relayed ${pr.lat.length}/${pr.sent}; p50 ${pct(pr.lat, 50)} ms p99 ${pct(pr.lat, 99)} ms max ${pct(pr.lat, 100)} ms`);
  log(`(until the kernel had it on the receiving socket: p50 ${pct(pr.lat_kernel, 50)} ms p99 ${pct(pr.lat_kernel, 99)} ms max ${pct(pr.lat_kernel, 100)} ms)`);
  log(`(timed in this loaded process: ${relayLat.length}/${seq}; p50 ${pct(relayLat, 50)} ms p99 ${pct(relayLat, 99)} ms max ${pct(relayLat, 100)} ms)`);

  // --- durable messages: MSG_SENDERS people post text (closed loop, each <= 18/s), kiosks ack
  log(`posting messages from ${MSG_SENDERS} people for ${MSG_S} s`);
  const msgStart = nowMs();
  let posts = 0;
  await Promise.all(Array.from({ length: MSG_SENDERS }, async (_, i) => {
    const p = people[i];
    if (!p) return;
    let n = 0;
    while (nowMs() - msgStart < MSG_S * 1000) {
      const id = `m${i}-${n++}`;
      const t = nowMs();
      postedAt.set(id, t);
      p.ws.send(JSON.stringify({ type: 'msg.post', id, household: p.pair.household, client_msg_id: id, kind: 'text', text: id }));
      const a = await waitFor(p, id);
      if (a.type === 'msg.accepted') accepted++;
      posts++;
      const wait = 1000 / 18 - (nowMs() - t);
      if (wait > 0) await sleep(wait);
    }
  }));
  const msgElapsed = (nowMs() - msgStart) / 1000;
  await sleep(1500);
  const final = rssMb(hub.pid);
  const figures = {
    bench: 'hub-load',
    pairs: PAIRS,
    connections_held: held,
    connections_failed: failed,
    connect_s: Math.round(connectS * 10) / 10,
    hub_rss_mb: afterConnect.rss,
    hub_rss_peak_mb: final.peak,
    hub_rss_idle_mb: idle.rss,
    calls: inCall.length,
    relay_target_per_s: RATE,
    relay_sent_per_s: Math.round(relayRate),
    relayed: pr.lat.length,
    relay_probe_sent: pr.sent,
    relay_probe_calls: probeUp.calls,
    relay_latency_ms: { p50: pct(pr.lat, 50), p99: pct(pr.lat, 99), max: pct(pr.lat, 100) },
    relay_latency_to_socket_ms: { p50: pct(pr.lat_kernel, 50), p99: pct(pr.lat_kernel, 99), max: pct(pr.lat_kernel, 100) },
    relay_probe_stalls: pr.stalls,
    relay_latency_load_client_ms: { n: relayLat.length, p50: pct(relayLat, 50), p99: pct(relayLat, 99), max: pct(relayLat, 100) },
    relay_hub_cpu_pct: hubCpuPct,
    relay_hub_page_faults: { minor: hubFaults1.minor - hubFaults0.minor, major: hubFaults1.major - hubFaults0.major },
    relay_machine_busy_pct: machineBusyPct,
    relay_client_cpu_pct: clientCpuPct,
    relay_client_stalls: clientStalls,
    loadavg_1m: Math.round(os.loadavg()[0] * 10) / 10,
    load_client_nice: LOAD_NICE,
    messages_per_s: Math.round(accepted / msgElapsed),
    messages_accepted: accepted,
    messages_delivered: delivered,
    message_delivery_ms: { p50: pct(msgLat, 50), p99: pct(msgLat, 99) },
    errors: errorCodes,
    cores: os.cpus().length,
  };
  void afterRelay;
  await cleanup();
  console.log(JSON.stringify(figures));
}

main().catch(async (e) => { console.error('hub-load:', e); await cleanup(); process.exit(1); });
