// The real vindu-kiosk process for every JavaScript test (the kiosk's node tests through
// tests/kiosk/kiosk_process.mjs, the browser tests through tests/web/harness.js): headless and
// driven through its test-only --control line protocol (kiosk/control.h), commands on its stdin,
// its answers and state lines on stdout, GLib's messages on stderr.
import { spawn } from 'node:child_process';
import { kioskBinary } from './hub_process.mjs';

// The flags of a kiosk under test against `hub`: no speech, the hub's self-signed certificate
// accepted, the test picture and tone for camera and microphone; paired with `code` if given.
export function kioskArgs(hub, dataDir, code, extra = []) {
  const args = ['--headless', '--control', '--no-speech', '--insecure', '--media-test',
    '--hub', hub.wsUrl, '--data-dir', dataDir, ...extra];
  if (code) args.push('--pair-code', code);
  return args;
}

// Calls fn with every whole line `stream` writes.
function eachLine(stream, fn) {
  let buf = '';
  stream.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      fn(line);
    }
  });
}

// The kiosk process: `lines` (its stdout so far), `stderr`, `exited` (resolves to its exit code
// or signal). When the scope ends a kiosk still running gets `endSignal`: SIGKILL, or SIGTERM
// and SIGKILL after 5 s if it has not stopped by then.
export class KioskProcess {
  constructor(scope, args, { endSignal = 'SIGKILL' } = {}) {
    this.lines = [];
    this.waiters = [];
    this.stderr = '';
    this.listeners = new Set();
    // Under the sanitizers the kiosk may want slow unwinding (its suppressions match deep in
    // GStreamer) where the hub next to it would start too slowly with it.
    const env = { ...process.env };
    if (process.env.VINDU_KIOSK_LSAN_OPTIONS) env.LSAN_OPTIONS = process.env.VINDU_KIOSK_LSAN_OPTIONS;
    this.child = spawn(kioskBinary(), args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    eachLine(this.child.stdout, (line) => {
      this.lines.push(line);
      for (const w of [...this.waiters]) w();
      for (const fn of [...this.listeners]) fn(line);
    });
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    eachLine(this.child.stderr, (line) => { for (const fn of [...this.listeners]) fn(line); });
    this.exited = new Promise((r) => this.child.on('exit', (code, sig) => r(code ?? sig)));
    scope.after((exiting) => this.#end(endSignal, exiting === true));
  }

  #end(signal, exiting) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return undefined;
    this.child.kill(signal);
    if (signal === 'SIGKILL' || exiting) return undefined;
    return new Promise((r) => {
      const timer = setTimeout(() => { this.child.kill('SIGKILL'); r(); }, 5000);
      this.child.once('exit', () => { clearTimeout(timer); r(); });
    });
  }

  send(cmd) { this.child.stdin.write(cmd + '\n'); }

  // Calls fn with every further line on stdout or stderr; returns a function that stops it.
  onLine(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // Wait for a stdout line matching re (searching from line `from`); resolves to the line.
  line(re, timeoutMs = 30000, from = 0) {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.lines.length; i++) if (re.test(this.lines[i])) { done(); resolve(this.lines[i]); return true; }
        return false;
      };
      const timer = setTimeout(() => { done(); reject(new Error(`no line ${re} in ${timeoutMs} ms; got:\n${this.lines.join('\n')}\nstderr:\n${this.stderr.slice(-3000)}`)); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      if (!check()) this.waiters.push(check);
    });
  }
}
