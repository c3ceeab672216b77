// Plugin platform benchmark (figures only, never pass/fail): node plugin-bench.mjs BUILD_DIR
// - due time to card on screen: a plugin's card due at a second of the kiosk's clock, from that
//   second to the first frame that shows it (the runner's timer, IPC, the plugin, the card screen),
//   over 10 cards;
// - the kiosk's idle CPU with every plugin of the tree loaded (and 200 repeating reminders), and
//   the runners' together, over 20 s;
// - memory per runner (PSS, /proc/PID/smaps_rollup);
// - the cost of one "today" query of the reminders plugin with 200 repeating reminders
//   (plugin-bench-today).
// Last line: one JSON object.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const build = path.resolve(process.argv[2] || 'build');
const KIOSK = path.join(build, 'kiosk', 'vindu-kiosk');
const PROBE = path.join(build, 'tests', 'plugins', 'probes', 'probe.so');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : null; };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-plugin-bench-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const data = path.join(dir, 'data');
const plugins = path.join(dir, 'plugins');
fs.mkdirSync(plugins);
for (const name of ['reminders', 'activities', 'memory-book', 'weather'])
  fs.symlinkSync(path.join(build, 'plugins', `${name}.so`), path.join(plugins, `${name}.so`));
fs.symlinkSync(PROBE, path.join(plugins, 'probe.so'));

// the kiosk's cache, as a paired kiosk that met its hub would have it
const first = spawnSync(KIOSK, ['--headless', '--no-speech', '--data-dir', data, '--plugins-dir',
  path.join(dir, 'none'), '--exit-after-ms', '200'], { encoding: 'utf8' });
if (first.status !== 0) throw new Error(first.stderr);
const now = Math.floor(Date.now() / 1000);
const rows = ["INSERT INTO kv (key, value) VALUES ('secret', 'x');"];
const doc = (kind, id, body) => rows.push(`INSERT INTO docs (kind, doc, rev, body, deleted) VALUES ('${kind}', '${id}', 1, '${JSON.stringify(body)}', 0);`);
const rules = ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=TU', 'FREQ=MONTHLY', 'FREQ=DAILY;INTERVAL=2'];
for (let i = 0; i < 200; i++) doc('reminder', `r${i}`, { title: `Reminder ${i}`, starts_at: now - 365 * 86400 + i * 300, rrule: rules[i % 4] });
doc('activity', 'coffee', { title: 'Coffee', starts_at: now + 7200, place: 'Day centre' });
doc('weather', 'today', { date: new Date().toISOString().slice(0, 10), words: 'Sun' });
const CARDS = 10;
const startIn = 8; // seconds: time for every runner to start
const due = [];
for (let i = 0; i < CARDS; i++) {
  due.push(now + startIn + 3 * i);
  doc('probe', `card${i}`, { at: due[i], card: { title: `Card ${i}`, buttons: [{ id: 'ok', label: 'OK' }] } });
}
const sql = spawnSync('sqlite3', [path.join(data, 'kiosk.db')], { input: rows.join('\n'), encoding: 'utf8' });
if (sql.status !== 0) throw new Error(sql.stderr);

const kiosk = spawn(KIOSK, ['--headless', '--control', '--no-speech', '--data-dir', data,
  '--plugins-dir', plugins], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, SDL_AUDIODRIVER: 'dummy' } });
let buf = '';
const waiting = [];
kiosk.stdout.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (line.startsWith('vindu-kiosk: status ') && waiting.length)
      waiting.shift()(Object.fromEntries(line.slice(20).split(' ').map((kv) => kv.split('='))));
  }
});
const status = () => new Promise((r) => { waiting.push(r); kiosk.stdin.write('status\n'); });

const latencies = [];
let last = '0';
for (let i = 0; i < CARDS; i++) {
  const end = Date.now() + (due[i] - now + 30) * 1000;
  let s;
  do { await sleep(40); s = await status(); } while (s.card_shown_at_ms === last && Date.now() < end);
  if (s.card_shown_at_ms === last) break;
  last = s.card_shown_at_ms;
  latencies.push(Number(s.card_shown_at_ms) - due[i] * 1000);
  kiosk.stdin.write('touch card-close\n');
}
const st = await status();

const ticks = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const children = () => fs.readFileSync(`/proc/${kiosk.pid}/task/${kiosk.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
const runners = children();
await sleep(2000);
const hz = 100; // USER_HZ on Linux
const k0 = ticks(kiosk.pid), r0 = runners.reduce((a, p) => a + ticks(p), 0), t0 = Date.now();
await sleep(20000);
const k1 = ticks(kiosk.pid), r1 = runners.reduce((a, p) => a + ticks(p), 0), secs = (Date.now() - t0) / 1000;
const pss = runners.map((p) => Number((fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m) || [0, 0])[1]) / 1024);
kiosk.stdin.write('quit\n');
await new Promise((r) => kiosk.on('exit', r));

const today = spawnSync(path.join(build, 'bench', 'plugins', 'plugin-bench-today'), [path.join(build, 'plugins', 'reminders.so')], { encoding: 'utf8' });
const todayFig = JSON.parse(today.stdout.trim().split('\n').pop());

const fig = {
  plugins_running: st.plugins,
  cards: latencies.length,
  due_to_card_ms_median: median(latencies),
  due_to_card_ms_max: latencies.length ? Math.max(...latencies) : null,
  kiosk_idle_cpu_percent: Number((100 * (k1 - k0) / hz / secs).toFixed(2)),
  runners_idle_cpu_percent: Number((100 * (r1 - r0) / hz / secs).toFixed(2)),
  runners: runners.length,
  runner_pss_mb_max: Number(Math.max(...pss).toFixed(2)),
  runner_pss_mb_median: Number(median(pss).toFixed(2)),
  today_query_us_median: todayFig.today_query_us_median,
  today_query_us_first: todayFig.today_query_us_first,
};
console.log(`due time to card on screen: median ${fig.due_to_card_ms_median} ms (max ${fig.due_to_card_ms_max} ms) over ${fig.cards} cards (target <= 300 ms)`);
console.log(`kiosk idle CPU with ${fig.plugins_running} plugins: ${fig.kiosk_idle_cpu_percent} % of a core (target < 1 %); runners together ${fig.runners_idle_cpu_percent} %`);
console.log(`memory per runner: PSS median ${fig.runner_pss_mb_median} MB, max ${fig.runner_pss_mb_max} MB (target < 8 MB)`);
console.log(`one today query, 200 repeating reminders: ${fig.today_query_us_median} us median, first after a change ${fig.today_query_us_first} us (target < 1 ms)`);
console.log(JSON.stringify(fig));
