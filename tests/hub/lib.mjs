// Helpers for the hub's integration tests: the real vindu-hub (tests/common/hub_process.mjs,
// shared with the browser tests) started per test, and a real WebSocket client (ws) to talk to it.
import path from 'node:path';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import * as hubProcess from '../common/hub_process.mjs';

export { admin, stopHub } from '../common/hub_process.mjs';

const require = createRequire(import.meta.url);
export const WebSocket = require(path.join(hubProcess.repoRoot, 'node_modules/ws'));
export const HUB = hubProcess.hubBinary();

// A temp dir removed when the test ends.
export const tempDir = (t) => hubProcess.tempDir(t, 'hub-test');

// Start a hub (its time zone UTC unless TZ says otherwise); stopped when the test ends.
// `limits`: keys of the config's [limits] group (hub/config.h), written to a config file.
export function startHub(t, { dataDir, args = [], env = {}, limits } = {}) {
  return hubProcess.startHub(t, { dataDir, args, limits, env: { TZ: process.env.TZ || 'UTC', ...env } });
}

// A household with a kiosk (paired with its provisioning code) and people.
export async function household(t, hub, people = []) {
  const h = await hubProcess.createHousehold(hub, 'Ingebjørg', { language: 'nb' });
  const out = { id: h.household, code: h.provisioning_code, people: {} };
  for (const p of people) {
    const inv = await hubProcess.invite(hub, out.id, {
      name: p.name, relationship: p.relationship || 'Friend', role: p.role || 'family', rights: p.rights || '',
    });
    out.people[p.name] = { id: inv.person, token: inv.token, link: inv.link };
  }
  return out;
}

export class Client {
  constructor(ws) {
    this.ws = ws;
    this.inbox = [];
    this.waiters = [];
    this.closed = null;
    this.nextId = 1;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      this.inbox.push(msg);
      this._wake();
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; this._wake(); });
  }
  static open(hub, t, opts = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(hub.wsUrl, opts.protocols ?? ['vindu.v1'], { rejectUnauthorized: false, ...opts });
      const c = new Client(ws);
      if (t) t.after(() => ws.terminate());
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }
  _wake() {
    for (const w of [...this.waiters]) w();
  }
  send(obj) {
    if (obj.id === undefined && obj.type !== 'msg.ack' && obj.type !== 'doc.ack') obj.id = String(this.nextId++);
    this.ws.send(JSON.stringify(obj));
    return obj.id;
  }
  // Wait for (and remove) the first message matching pred.
  next(pred, timeoutMs = 5000) {
    if (typeof pred === 'string') { const type = pred; pred = (m) => m.type === type; }
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.inbox.findIndex(pred);
        if (i >= 0) { done(); resolve(this.inbox.splice(i, 1)[0]); return true; }
        if (this.closed) { done(); reject(new Error('closed ' + JSON.stringify(this.closed) + ' inbox ' + JSON.stringify(this.inbox))); return true; }
        return false;
      };
      const timer = setTimeout(() => { done(); reject(new Error('timeout; inbox ' + JSON.stringify(this.inbox).slice(0, 2000))); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      if (!check()) this.waiters.push(check);
    });
  }
  reply(id, timeoutMs) { return this.next((m) => m.re === id, timeoutMs); }
  async request(obj, timeoutMs) { const id = this.send(obj); return this.reply(id, timeoutMs); }
  // Nothing matching pred arrives within ms.
  async none(pred, ms = 300) {
    await new Promise((r) => setTimeout(r, ms));
    if (typeof pred === 'string') { const type = pred; pred = (m) => m.type === type; }
    const hit = this.inbox.find(pred);
    if (hit) throw new Error('unexpected ' + JSON.stringify(hit));
  }
  waitClosed(timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => { if (this.closed) { done(); resolve(this.closed); return true; } return false; };
      const timer = setTimeout(() => { done(); reject(new Error('not closed')); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      if (!check()) this.waiters.push(check);
    });
  }
  close() { this.ws.close(); }
}

export async function hello(client, auth) {
  return client.request({ type: 'hello', version: 1, client: 'vindu-test/0.1', auth });
}

// Sign a kiosk in with the provisioning code, then with its device secret.
export async function pairKiosk(hub, t, h) {
  const c = await Client.open(hub, t);
  const w = await hello(c, { kind: 'pair', code: h.code });
  if (w.type !== 'welcome') throw new Error('pair failed ' + JSON.stringify(w));
  const paired = await c.next('paired');
  c.close();
  return { id: paired.kiosk, secret: paired.secret };
}

export async function kioskClient(hub, t, kiosk) {
  const c = await Client.open(hub, t);
  const w = await hello(c, { kind: 'device', kiosk: kiosk.id, secret: kiosk.secret });
  if (w.type !== 'welcome') throw new Error('device sign-in failed ' + JSON.stringify(w));
  c.welcome = w;
  return c;
}

// Redeem the invite (first time) or sign in with the session token.
export async function personClient(hub, t, person) {
  const c = await Client.open(hub, t);
  const auth = person.session ? { kind: 'session', token: person.session } : { kind: 'invite', token: person.token };
  const w = await hello(c, auth);
  if (w.type !== 'welcome') throw new Error('person sign-in failed ' + JSON.stringify(w));
  if (w.session_token) person.session = w.session_token;
  c.welcome = w;
  return c;
}

// Photos with real headers (the hub reads their size in pixels) and random content.
export function jpegOf(w, h, n = 200) {
  const app0 = Buffer.from('ffe000104a46494600010100000100010000', 'hex');
  const sof = Buffer.from([0xff, 0xc0, 0, 17, 8, h >> 8, h & 255, w >> 8, w & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, crypto.randomBytes(n), Buffer.from([0xff, 0xd9])]);
}
export function pngOf(w, h, n = 64) {
  const ihdr = Buffer.alloc(8);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), ihdr, crypto.randomBytes(n)]);
}
