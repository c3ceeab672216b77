// call-bench: N calls between two Vindu engines in two processes on loopback, then the same
// between two headless Chromium peers (fake camera, same size), and the ratios.
//
// Figures, each as median and p95:
//  - answer -> first remote frame decoded (ms), on the offering side: from the moment the
//    offerer is told to start (the resident's "answer") to its first decoded remote frame.
//    By default both offerers do everything on answer: Vindu builds its session, Chromium
//    opens its camera (getUserMedia) and its peer connection. With --prepare both get ready
//    while it rings: Vindu builds the session (vindu_call_new opens no device and sends
//    nothing; what the kiosk does), Chromium opens its camera. Both answerers are ready before
//    the offer arrives. The JSON says which (answer_start);
//  - glass-to-glass (ms): the sender paints a machine-readable timestamp into every frame
//    before encoding, the receiver reads it back after decoding (both directions, all calls);
//  - CPU % of one core per process (per browser process tree for Chromium), sampled each
//    second during a 20 s two-way 640x480@30 call without timestamp painting;
//  - memory per process: RSS, and PSS (shared pages split; the fair figure for Chromium's
//    many processes), sampled during the same call;
//  - kiosk to kiosk through the real hub (--kiosk, --hub; kiosk_calls.mjs): answer -> both
//    kiosks showing the other's picture, for every call, median AND max, and the media
//    sessions each call needed (1 unless the first stalled), to a kiosk started just before
//    and between running kiosks (--kiosk-calls N of each, default 10);
//  - a detailed picture (snow) at a fixed target, 640x480@30 at 2000 kbit/s and 1280x720@30
//    at 500 (detailed.mjs): sent bitrate / target, decoded frame rate, CPU.
// Never passes or fails on time: it prints figures; the last line is one JSON object.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { benchKioskCalls } from './kiosk_calls.mjs';
import { benchDetailed } from './detailed.mjs';
import {
  VinduPeer, BrowserPeer, pair, servePeerPage, sleep, treeTicks, treeMemory, median,
  percentile, CLK_TCK,
} from './lib.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const peerBinary = option('--peer', process.env.VINDU_CALL_PEER);
const calls = Number(option('--calls', 10));
const holdMs = Number(option('--hold', 3000));
const cpuSeconds = Number(option('--cpu-seconds', 20));
const skipChromium = process.argv.includes('--skip-chromium');
const hubBinary = option('--hub', process.env.VINDU_HUB);
const kioskBinary = option('--kiosk', process.env.VINDU_KIOSK);
const kioskCalls = Number(option('--kiosk-calls', 10));
const detailedSeconds = Number(option('--detailed-seconds', 10));
const skipDetailed = process.argv.includes('--skip-detailed');
const skipVindu = process.argv.includes('--skip-engine-pair');
// --no-prepare is the default now; still accepted.
const prepareWhileRinging = process.argv.includes('--prepare');
const answerStart = prepareWhileRinging
  ? 'both offerers prepared while ringing (Vindu session built, Chromium camera open)'
  : 'both offerers build everything on answer (Vindu session, Chromium camera and connection)';
const log = (...a) => console.log(...a);

const stat = (xs) => ({ median: round(median(xs)), p95: round(percentile(xs, 95)), n: xs.length });
const statMax = (xs) => ({ ...stat(xs), max: xs.length ? Math.max(...xs) : null });
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);

async function untilTrue(fn, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// Samples CPU % (of one core) and memory of each root's process tree once a second.
async function sampleLoad(roots, seconds) {
  const cpu = roots.map(() => []);
  const rss = roots.map(() => []);
  const pss = roots.map(() => []);
  let last = roots.map((r) => treeTicks(r));
  let lastAt = Date.now();
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const now = roots.map((r) => treeTicks(r));
    const at = Date.now();
    roots.forEach((r, i) => {
      cpu[i].push(((now[i] - last[i]) / CLK_TCK / ((at - lastAt) / 1000)) * 100);
      const m = treeMemory(r);
      rss[i].push(m.rss / 1024);
      pss[i].push(m.pss / 1024);
    });
    last = now;
    lastAt = at;
  }
  return { cpu, rss, pss };
}

function loadFigures(load, names) {
  const out = {};
  names.forEach((n, i) => {
    out[n] = { cpu_percent: stat(load.cpu[i]), rss_mb: stat(load.rss[i]), pss_mb: stat(load.pss[i]) };
  });
  const all = (k) => load[k].flat();
  out.all = { cpu_percent: stat(all('cpu')), rss_mb: stat(all('rss')), pss_mb: stat(all('pss')) };
  return out;
}

// ---- Vindu ----------------------------------------------------------------------------

async function vinduPair(paint) {
  const extra = paint ? ['--paint'] : [];
  const a = new VinduPeer(peerBinary, ['--offerer', '--tone', '440', ...extra], 'vindu-offerer');
  const b = new VinduPeer(peerBinary, ['--answerer', '--tone', '660', ...extra], 'vindu-answerer');
  pair(a, b);
  await Promise.all([a.waitFor('ready'), b.waitFor('ready')]);
  return [a, b];
}

async function vinduCall(a, b) {
  const bStarted = b.waitFor('started');
  b.send('start'); // the answerer is ringing, ready for the offer
  await bStarted;
  if (prepareWhileRinging) {
    // The kiosk builds the session (camera closed, nothing sent) while it rings.
    const prepared = a.waitFor('prepared');
    a.send('prepare');
    await prepared;
  }
  const aStarted = a.waitFor('started');
  const aFirst = a.waitFor('first-frame');
  const bFirst = b.waitFor('first-frame');
  a.send('start');
  const t0 = Number(await aStarted);
  const t1 = Number(await aFirst);
  await bFirst;
  return t1 - t0;
}

async function vinduStop(a, b) {
  const stopped = [a.waitFor('stopped'), b.waitFor('stopped')];
  a.send('stop');
  b.send('stop');
  return (await Promise.all(stopped)).map((j) => JSON.parse(j));
}

async function benchVindu() {
  const [a, b] = await vinduPair(true);
  const firstFrame = [];
  let summaries = [];
  for (let i = 0; i < calls; i++) {
    firstFrame.push(await vinduCall(a, b));
    await sleep(holdMs);
    summaries = await vinduStop(a, b);
    log(`vindu call ${i + 1}/${calls}: first frame ${firstFrame[i]} ms, ` +
      `stamps read ${summaries[0].stamps_read}/${summaries[1].stamps_read}`);
  }
  const latency = a.latencies.concat(b.latencies);
  const lastSdp = b.lastRemoteSdp || '';
  await Promise.all([a.quit(), b.quit()]);

  const [c, d] = await vinduPair(false);
  await vinduCall(c, d);
  await sleep(2000);
  const load = await sampleLoad([c.pid, d.pid], cpuSeconds);
  const cpuCall = await vinduStop(c, d);
  await Promise.all([c.quit(), d.quit()]);
  log(`vindu ${cpuSeconds} s call: offerer ${JSON.stringify(cpuCall[0])}`);
  return {
    answer_to_first_frame_ms: stat(firstFrame),
    glass_to_glass_ms: stat(latency),
    load: loadFigures(load, ['offerer', 'answerer']),
    offer_has_twcc: /transport-cc/.test(lastSdp) && /transport-wide-cc/.test(lastSdp),
    cpu_call_fps: cpuCall.map((s) => s.fps),
  };
}

// ---- Chromium ---------------------------------------------------------------------------

async function browserPair(url, paint) {
  const a = await BrowserPeer.launch(url, 'chromium-offerer');
  const b = await BrowserPeer.launch(url, 'chromium-answerer');
  pair(a, b);
  await a.call('prepare', 'offerer', paint);
  await b.call('prepare', 'answerer', paint);
  return [a, b];
}

async function browserCall(a, b, paint) {
  await b.call('start');
  if (prepareWhileRinging) await a.call('prepare', 'offerer', paint, true);
  await a.call('start');
  const sa = await untilTrue(async () => {
    const s = await a.call('status');
    return s.firstFrameMs !== null ? s : null;
  }, 20000, `first frame at the Chromium offerer ${a.errors}${b.errors}`);
  await untilTrue(async () => (await b.call('status')).frames > 0, 20000, 'Chromium answerer frames');
  return sa.firstFrameMs;
}

async function benchChromium() {
  const { server, url } = await servePeerPage();
  try {
    const [a, b] = await browserPair(url, true);
    const firstFrame = [];
    const latency = [];
    for (let i = 0; i < calls; i++) {
      firstFrame.push(await browserCall(a, b, true));
      await sleep(holdMs);
      const [sa, sb] = [await a.call('status'), await b.call('status')];
      latency.push(...sa.latencies, ...sb.latencies);
      await a.call('stop');
      await b.call('stop');
      log(`chromium call ${i + 1}/${calls}: first frame ${Math.round(firstFrame[i])} ms, ` +
        `stamps read ${sa.latencies.length}/${sb.latencies.length}`);
    }
    await a.close();
    await b.close();

    const [c, d] = await browserPair(url, false);
    await browserCall(c, d, false);
    await sleep(2000);
    const framesBefore = [(await c.call('status')).frames, (await d.call('status')).frames];
    const loadStart = Date.now();
    const load = await sampleLoad([c.pid, d.pid], cpuSeconds);
    const frames = [(await c.call('status')).frames, (await d.call('status')).frames];
    const seconds = (Date.now() - loadStart) / 1000;
    await c.close();
    await d.close();
    return {
      answer_to_first_frame_ms: stat(firstFrame),
      glass_to_glass_ms: stat(latency),
      load: loadFigures(load, ['offerer', 'answerer']),
      cpu_call_frames: frames,
      // frames shown per second at each side during the load call (requestVideoFrameCallback)
      cpu_call_fps: frames.map((f, i) => round((f - framesBefore[i]) / seconds)),
    };
  } finally {
    server.close();
  }
}

function ratio(v, c) {
  return v === null || c === null || !c ? null : Math.round((v / c) * 1000) / 1000;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

async function main() {
  if (!peerBinary) throw new Error('give --peer <path to vindu-call-peer>');
  const loadBefore = loadavg();
  log(`call-bench: ${calls} calls each, ${holdMs} ms held, ${cpuSeconds} s load call, 640x480@30; ` +
    answerStart);
  const vindu = skipVindu ? null : await benchVindu();
  if (vindu) {
    log(`vindu: first frame ${JSON.stringify(vindu.answer_to_first_frame_ms)}, ` +
      `glass-to-glass ${JSON.stringify(vindu.glass_to_glass_ms)}, ` +
      `cpu ${JSON.stringify(vindu.load.all.cpu_percent)}, rss ${JSON.stringify(vindu.load.all.rss_mb)}`);
  }
  let kiosks = null;
  if (hubBinary && kioskBinary && kioskCalls > 0) {
    const k = await benchKioskCalls({ hubBinary, kioskBinary, calls: kioskCalls });
    const figures = (xs) => ({
      answer_to_first_frame_ms: statMax(xs.map((x) => x.ms)),
      calls_over_2s: xs.filter((x) => x.ms > 2000).length,
      calls_redialled: xs.filter((x) => x.sessions > 1).length,
    });
    kiosks = { to_kiosk_just_started: figures(k.fresh), between_running_kiosks: figures(k.warm) };
    log(`kiosk to kiosk: ${JSON.stringify(kiosks)}`);
  } else {
    log('kiosk to kiosk: skipped (give --hub and --kiosk)');
  }
  const detailed = [];
  if (!skipDetailed) {
    for (const [width, height, targetKbps] of [[640, 480, 2000], [1280, 720, 500]]) {
      const d = await benchDetailed({ peerBinary, width, height, fps: 30, targetKbps,
        seconds: detailedSeconds, sampleLoad });
      d.cpu_percent = { offerer: stat(d.cpu_percent.offerer), answerer: stat(d.cpu_percent.answerer) };
      detailed.push(d);
      log(`detailed picture ${d.resolution} at ${targetKbps} kbit/s: sent ${d.sent_kbps} kbit/s ` +
        `(${d.sent_over_target} of the target), ${d.decoded_fps} fps decoded, last ${d.last_frame_size}, ` +
        `cpu ${d.cpu_percent.offerer.median} / ${d.cpu_percent.answerer.median} %`);
    }
  }
  let chromium = null;
  let ratios = null;
  if (!skipChromium && vindu) {
    chromium = await benchChromium();
    log(`chromium: first frame ${JSON.stringify(chromium.answer_to_first_frame_ms)}, ` +
      `glass-to-glass ${JSON.stringify(chromium.glass_to_glass_ms)}, ` +
      `cpu ${JSON.stringify(chromium.load.all.cpu_percent)}, pss ${JSON.stringify(chromium.load.all.pss_mb)}, ` +
      `load-call fps ${JSON.stringify(chromium.cpu_call_fps)} (vindu ${JSON.stringify(vindu.cpu_call_fps)})`);
    const r = {};
    for (const [key, pick] of Object.entries({
      answer_to_first_frame_median: (x) => x.answer_to_first_frame_ms.median,
      answer_to_first_frame_p95: (x) => x.answer_to_first_frame_ms.p95,
      glass_to_glass_median: (x) => x.glass_to_glass_ms.median,
      glass_to_glass_p95: (x) => x.glass_to_glass_ms.p95,
      cpu_median: (x) => x.load.all.cpu_percent.median,
      cpu_p95: (x) => x.load.all.cpu_percent.p95,
      pss_median: (x) => x.load.all.pss_mb.median,
      pss_p95: (x) => x.load.all.pss_mb.p95,
      rss_median: (x) => x.load.all.rss_mb.median,
      rss_p95: (x) => x.load.all.rss_mb.p95,
    })) r[key] = ratio(pick(vindu), pick(chromium));
    ratios = r;
    log(`vindu / chromium: ${JSON.stringify(ratios)}`);
  }
  // Other work on the machine skews every figure: say how busy it was.
  console.log(JSON.stringify({ bench: 'call', calls, resolution: '640x480@30', answer_start: answerStart,
    cpus: os.cpus().length,
    loadavg_before: loadBefore, loadavg_after: loadavg(), vindu, kiosk_to_kiosk: kiosks,
    detailed_picture: detailed, chromium,
    ratio_vindu_over_chromium: ratios }));
}

main().catch((e) => {
  console.error(`call-bench: ${e.stack || e}`);
  process.exit(1);
});
