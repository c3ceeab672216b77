// A real vindu-kiosk process (headless, --control, test media, an 800×480 screen at 96 dpi) for
// the kiosk's node tests: lines from its stdout, commands to its stdin. The process itself is
// tests/common/kiosk_process.mjs, shared with the browser tests.
import assert from 'node:assert/strict';
import { admin } from '../hub/lib.mjs';
import { KioskProcess, kioskArgs } from '../common/kiosk_process.mjs';

// Killed (SIGKILL) when the test ends if it is still running.
export class Kiosk extends KioskProcess {
  constructor(t, hub, dataDir, code, extra = []) {
    super(t, kioskArgs(hub, dataDir, code, ['--size', '800x480', '--dpi', '96', ...extra]));
  }
  async status() {
    const from = this.lines.length;
    this.send('status');
    const l = await this.line(/^vindu-kiosk: status /, 60000, from);
    return Object.fromEntries(l.replace('vindu-kiosk: status ', '').split(' ').map((kv) => kv.split('=')));
  }
  // Poll status until pred holds.
  async until(pred, timeoutMs = 60000) {
    const end = Date.now() + timeoutMs;
    let s;
    while (Date.now() < end) {
      s = await this.status();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('condition not reached; last status ' + JSON.stringify(s) + '\nstderr:\n' + this.stderr.slice(-3000));
  }
  async stop() {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    assert.equal(code, 0, 'kiosk exit status on SIGTERM; stderr:\n' + this.stderr.slice(-3000));
  }
}

// Media sessions this kiosk has started so far (one per "connecting"; a redial is another).
export function sessionsStarted(k) {
  return (k.stderr.match(/call media: connecting/g) || []).length;
}

// Media sessions started after stderr offset `from` up to and including the first that
// connected (1: the first connected; 2: it never did and a redial had to), or null if none
// has connected yet. A session lost later (a starved machine) is not counted.
export function sessionsUntilConnected(k, from) {
  const log = k.stderr.slice(from);
  const connected = log.indexOf('call media: connected');
  if (connected < 0) return null;
  return (log.slice(0, connected).match(/call media: connecting/g) || []).length;
}

// A provisioning code pairs one kiosk only. Every further kiosk of a household is paired as an
// admin pairs it: with the code its own pairing screen shows (`vindu-hub admin pair`). Works with
// any kiosk object that has send() and the stdout lines.
export async function pairWithShownCode(k, hub, householdId, timeoutMs = 60000) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const from = k.lines.length;
    k.send('describe');
    let d;
    for (let i = 0; i < 100 && !d; i++) {
      d = k.lines.slice(from).find((x) => x.startsWith('vindu-kiosk: describe '));
      if (!d) await sleep(100);
    }
    const code = d && [...d.matchAll(/"text":"([\d -]+)"/g)]
      .map((x) => x[1].replace(/[ -]/g, '')).find((x) => /^\d{8}$/.test(x));
    if (code) {
      const r = admin(hub.dataDir, 'pair', '--household', householdId, '--code', code);
      assert.equal(r.ok, true, JSON.stringify(r));
      return;
    }
    await sleep(200);
  }
  throw new Error('the pairing screen shows no code');
}
