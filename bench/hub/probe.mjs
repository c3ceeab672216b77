// bench/hub-load's latency probe: a child process that does nothing but relay call.ice on a few
// dedicated calls and time each message from send to receipt by the other party. The load
// (10,000 sockets, the bulk of the relay rate, durable messages) runs in the parent, so the
// parent's GC pauses and busy event loop never land in these timings: they measure the hub.
// Driven over IPC: {url, pairs} -> {ready}; {go, rate, seconds} -> {done, lat, ...}.
import path from 'node:path';
import { createRequire } from 'node:module';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(import.meta.dirname, '../..');
const WebSocket = require(path.join(sourceDir, 'node_modules/ws'));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

const sockets = [];
const sent = new Map(); // seq -> send time
const lat = [];

function connect(url, pair, role) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['vindu.v1'], { rejectUnauthorized: false, perMessageDeflate: false });
    sockets.push(ws);
    const c = { ws, pair, role, waiters: new Map(), call: null };
    ws.on('open', () => {
      const auth = role === 'kiosk' ? { kind: 'device', kiosk: pair.kiosk, secret: pair.secret } : { kind: 'session', token: pair.session };
      ws.send(JSON.stringify({ type: 'hello', id: 'h', version: 1, client: 'hub-load-probe/0.1', auth }));
    });
    ws.on('message', (buf) => {
      const m = JSON.parse(buf);
      if (m.type === 'call.ice') {
        const seq = Number(m.candidate.split(' ')[0].slice(10));
        const t0 = sent.get(seq);
        if (t0 !== undefined) { lat.push(nowMs() - t0); sent.delete(seq); }
        return;
      }
      if (m.type === 'welcome') resolve(c);
      if (m.type === 'error' && !c.ready) reject(new Error(m.code));
      if (m.type === 'call.invite' && role === 'kiosk') ws.send(JSON.stringify({ type: 'call.accept', call: m.call }));
      const key = m.re ?? (m.type === 'call.accept' ? 'accept' : undefined);
      const w = key !== undefined ? c.waiters.get(key) : undefined;
      if (w) { c.waiters.delete(key); w(m); }
    });
    ws.on('error', reject);
  });
}
const waitFor = (c, key) => new Promise((r) => c.waiters.set(key, r));

let calls = [];
process.on('message', async (msg) => {
  if (msg.url) {
    let failed = 0;
    const made = await Promise.all(msg.pairs.map(async (pair) => {
      try {
        const k = await connect(msg.url, pair, 'kiosk');
        const p = await connect(msg.url, pair, 'person');
        const acc = waitFor(p, 'accept');
        p.ws.send(JSON.stringify({ type: 'call.invite', id: 'ci', household: pair.household, to: pair.kiosk }));
        const placed = await waitFor(p, 'ci');
        if (placed.type !== 'call.placed') return null;
        await acc;
        p.call = k.call = placed.call;
        return [p, k];
      } catch { failed++; return null; }
    }));
    calls = made.filter(Boolean);
    process.send({ ready: true, held: sockets.filter((s) => s.readyState === WebSocket.OPEN).length, failed, calls: calls.length });
  } else if (msg.go) {
    const gcPauses = [];
    const gcObs = new PerformanceObserver((l) => { for (const e of l.getEntries()) gcPauses.push(e.duration); });
    gcObs.observe({ entryTypes: ['gc'] });
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    let seq = 0;
    const start = nowMs();
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        // as many as are due by now, each stamped just before its own send
        const due = Math.floor(((nowMs() - start) / 1000) * msg.rate);
        while (seq < due) {
          const [p, k] = calls[seq % calls.length];
          const from = seq % 2 ? p : k;
          sent.set(seq, nowMs());
          from.ws.send(JSON.stringify({ type: 'call.ice', call: from.call, candidate: `candidate:${seq} 1 UDP 2015363327 127.0.0.1 50000 typ host`, sdp_mline_index: 0 }));
          seq++;
        }
        if (nowMs() - start >= msg.seconds * 1000) { clearInterval(timer); resolve(); }
      }, 1);
    });
    await new Promise((r) => setTimeout(r, 1000));
    loopDelay.disable();
    gcObs.disconnect();
    process.send({
      done: true, sent: seq, lat, cpu: process.cpuUsage(),
      stalls: {
        gc_pauses: gcPauses.length, gc_total_ms: Math.round(gcPauses.reduce((a, b) => a + b, 0)),
        gc_max_ms: Math.round(Math.max(0, ...gcPauses) * 10) / 10,
        loop_delay_p99_ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
        loop_delay_max_ms: Math.round(loopDelay.max / 1e4) / 100,
      },
    });
    for (const s of sockets) s.terminate();
    process.disconnect();
  }
});
