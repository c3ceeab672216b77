// Photo-frame benchmark: prints figures, never passes or fails on them. Last line: one JSON object.
// A headless kiosk (1280×800, software renderer) plays a book of FRAME_BENCH_BOOK photos (500)
// made of 12 distinct 12 MP JPEGs (videotestsrc → jpegenc, made here, never committed), one
// every FRAME_BENCH_PACE seconds (4), for FRAME_BENCH_SLIDES slides (15). Figures:
//   due_to_screen_ms   a slide's turn (the pace's timer) → its photo drawn and presented:
//                      median and p95 over the slides after the first; first_ms the first one
//                      (entering the frame, nothing decoded ahead)        target ≤ 300 ms
//   fade_frame_ms_p99  the UI thread's time to draw one frame during the crossfades, p99 over
//                      all their frames (and the slowest)                  target < 20 ms
//   prepare_ms         the frame before each fade that draws the new slide (scaled photo,
//                      caption) while the old one still shows whole: nothing moves on the
//                      screen then, so it misses no step of the fade; median and slowest
//   rss_mb             resident memory with the 500-photo book after the last slide (and the
//                      peak, VmHWM)                                        target < 120 MB
//   idle_cpu_pct       % of one core between photos: from each fade's end + 0.2 s to 0.2 s
//                      before the next turn, summed over the slides        target < 1 %
//   held_max           photos held at screen size as a slide comes (the one shown; the next is
//                      decoded just after, so never more than 2 between changes)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const build = path.resolve(process.argv[2] || 'build');
const KIOSK = path.join(build, 'kiosk/vindu-kiosk');
const env = (k, d) => Number(process.env[k] || d);
const SLIDES = env('FRAME_BENCH_SLIDES', 15);
const BOOK = env('FRAME_BENCH_BOOK', 500);
const PACE = env('FRAME_BENCH_PACE', 4);
const MP = env('FRAME_BENCH_MP', 12);
const DISTINCT = 12;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : null; };
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-frame-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

// 4:3 photos of MP megapixels, each a different test pattern (some compress poorly, as photos do)
const w = Math.round(Math.sqrt(MP * 1e6 * 4 / 3) / 16) * 16, h = Math.round(w * 3 / 4 / 16) * 16;
const patterns = ['smpte', 'snow', 'ball', 'pinwheel', 'spokes', 'gradient', 'circular', 'zone-plate',
  'colors', 'checkers-8', 'blink', 'smpte100'];
const distinct = [];
for (let i = 0; i < DISTINCT; i++) {
  const out = path.join(dir, `photo-${i}.jpg`);
  const r = spawnSync('gst-launch-1.0', ['-q', 'videotestsrc', 'num-buffers=1', `pattern=${patterns[i]}`, '!',
    `video/x-raw,width=${w},height=${h}`, '!', 'jpegenc', 'quality=90', '!', 'filesink', `location=${out}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gst-launch: ${r.stderr}`);
  distinct.push(out);
}
// the book: BOOK names, each a link to one of the distinct photos (each name is decoded anew)
const photos = [];
for (let i = 0; i < BOOK; i++) {
  const p = path.join(dir, `book-${String(i).padStart(3, '0')}.jpg`);
  fs.symlinkSync(distinct[i % DISTINCT], p);
  photos.push(p);
}
const fixture = path.join(dir, 'book.json');
fs.writeFileSync(fixture, JSON.stringify({ language: 'en', people: [], messages: [], photos }));
const sizeMb = (fs.statSync(distinct[0]).size / 1e6).toFixed(1);
console.log(`${DISTINCT} JPEGs of ${w}×${h} (${(w * h / 1e6).toFixed(1)} MP, the first ${sizeMb} MB), a book of ${BOOK}`);

const child = spawn(KIOSK, ['--headless', '--control', '--no-speech', '--fixture', fixture, '--size', '1280x800',
  '--dpi', '150', '--lang', 'en', '--idle-seconds', '1', '--frame-seconds', String(PACE)],
{ stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SDL_AUDIODRIVER: 'dummy' } });
let stderr = '';
child.stderr.on('data', (d) => { stderr += d; });
const events = [];
let buf = '';
child.stdout.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    events.push({ at: performance.now(), text: buf.slice(0, i) });
    buf = buf.slice(i + 1);
  }
});
function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, USER_HZ (100)
}
const memKb = (key) => Number(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+) kB`))[1]);

const arrivals = [];
const fadeFrames = [];
const prepares = [];
let idleTicks = 0, idleSeconds = 0, seen = 0, fadesSeen = 0, heldMax = 0;
const deadline = performance.now() + (SLIDES * PACE + 60) * 1000;
while (arrivals.length < SLIDES && performance.now() < deadline) {
  await sleep(20);
  for (; seen < events.length; seen++) {
    const t = events[seen].text;
    let m = t.match(/^vindu-kiosk: frame slide=\d+ prepare_ms=([\d.]+)/);
    if (m) { prepares.push(Number(m[1])); continue; }
    m = t.match(/^vindu-kiosk: frame slide=(\d+) on_screen_ms=([\d.]+) held=(\d+)/);
    if (m) { arrivals.push(Number(m[2])); heldMax = Math.max(heldMax, Number(m[3])); continue; }
    m = t.match(/^vindu-kiosk: frame fade frames_us=([\d,]+)/);
    if (!m) continue;
    fadeFrames.push(...m[1].split(',').map((x) => Number(x) / 1000));
    fadesSeen++;
    // between photos: from the fade's end (+0.2 s) to 0.2 s before the next turn
    const quiet = PACE - 1.2 /* the fade */ - 0.4;
    if (quiet > 0.5 && arrivals.length < SLIDES) {
      await sleep(200);
      const a = cpuTicks(child.pid);
      await sleep(quiet * 1000);
      idleTicks += cpuTicks(child.pid) - a;
      idleSeconds += quiet;
    }
  }
}
const rss = memKb('VmRSS') / 1024, peak = memKb('VmHWM') / 1024;
child.stdin.write('quit\n');
await new Promise((r) => { child.on('exit', r); setTimeout(() => { child.kill('SIGKILL'); r(); }, 5000); });
if (arrivals.length < Math.min(2, SLIDES)) throw new Error(`the frame showed ${arrivals.length} slides; stderr:\n${stderr.slice(-2000)}`);

const later = arrivals.slice(1);
const figures = {
  photo_mp: round(w * h / 1e6), book: BOOK, slides: arrivals.length, pace_s: PACE,
  due_to_screen_ms: { median: round(pct(later, 0.5)), p95: round(pct(later, 0.95)), first_ms: round(arrivals[0]) },
  fade_frame_ms_p99: round(pct(fadeFrames, 0.99), 2), fade_frame_ms_max: round(Math.max(...fadeFrames, 0), 2),
  fade_frames: fadeFrames.length, fades: fadesSeen,
  prepare_ms: { median: round(pct(prepares, 0.5)), max: round(Math.max(...prepares, 0)) },
  rss_mb: round(rss), rss_peak_mb: round(peak),
  idle_cpu_pct: idleSeconds ? round(idleTicks / 100 / idleSeconds * 100, 2) : null,
  held_max: heldMax,
};
console.log(`due → on screen: median ${figures.due_to_screen_ms.median} ms, p95 ${figures.due_to_screen_ms.p95} ms (first ${figures.due_to_screen_ms.first_ms} ms)`);
console.log(`crossfade frames: p99 ${figures.fade_frame_ms_p99} ms, slowest ${figures.fade_frame_ms_max} ms over ${fadeFrames.length} frames of ${fadesSeen} fades; the new slide drawn before each fade: median ${figures.prepare_ms.median} ms, slowest ${figures.prepare_ms.max} ms`);
console.log(`RSS ${figures.rss_mb} MB (peak ${figures.rss_peak_mb} MB) with a book of ${BOOK}; idle CPU between photos ${figures.idle_cpu_pct} % over ${round(idleSeconds)} s`);
console.log(JSON.stringify(figures));
