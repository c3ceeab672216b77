// Messages this browser sent, with their state: sending → sent (hub committed it) → delivered
// (stored on the kiosk) → seen. Kept in localStorage so the states survive a reload, and so a post
// that was not yet accepted is sent again after a lost connection (client_msg_id makes the hub
// store it once).
import { HubError } from './ws.js';
import { uid } from './dom.js';

const KEEP = 40; // per household: enough to see what happened today
const RANK = { uploading: 0, sending: 1, failed: 1, sent: 2, delivered: 3, seen: 4 };

export class Outbox extends EventTarget {
  constructor(hub, store) {
    super();
    this.hub = hub;
    this.store = store;
    this.entries = null; // loaded lazily: the key depends on who signed in
    hub.on('msg.status', (m) => this.status(m));
  }

  key() {
    return `vindu.outbox.${this.store.self ? this.store.self.id : 'none'}`;
  }

  load() {
    if (this.entries && this.loadedKey === this.key()) return this.entries;
    this.loadedKey = this.key();
    try {
      this.entries = JSON.parse(localStorage.getItem(this.loadedKey) || '[]');
    } catch {
      this.entries = [];
    }
    return this.entries;
  }

  save() {
    const byHousehold = new Map();
    for (const e of this.entries) {
      const list = byHousehold.get(e.household) || [];
      list.push(e);
      byHousehold.set(e.household, list);
    }
    this.entries = [...byHousehold.values()].flatMap((list) => list.slice(-KEEP));
    localStorage.setItem(this.loadedKey, JSON.stringify(this.entries.filter((e) => e.state !== 'uploading')));
    this.dispatchEvent(new Event('change'));
  }

  list(household) {
    return this.load().filter((e) => e.household === household);
  }

  // Adds an entry shown while a photo or voice note uploads; `post` continues it.
  begin(household, kind, extra = {}) {
    const entry = { cid: uid(), household, kind, state: 'uploading', progress: 0, at: Date.now(), ...extra };
    this.load().push(entry);
    this.save();
    return entry;
  }

  progress(entry, fraction) {
    entry.progress = fraction;
    this.dispatchEvent(new Event('change'));
  }

  fail(entry, reason) {
    entry.state = 'failed';
    entry.reason = reason;
    this.save();
  }

  // Posts `fields` (kind, text | file, caption, duration_ms) as a message of the household.
  async post(entry, fields) {
    Object.assign(entry, { fields, state: 'sending' });
    if (!this.load().includes(entry)) this.entries.push(entry);
    this.save();
    await this.send(entry);
    return entry;
  }

  async send(entry) {
    try {
      const answer = await this.hub.request({
        type: 'msg.post', household: entry.household, client_msg_id: entry.cid, ...entry.fields,
      });
      entry.msg = answer.msg;
      if (RANK[entry.state] < RANK.sent) entry.state = 'sent';
    } catch (err) {
      // Lost connection: stays "sending" and goes again on reconnect. Refused: say so.
      if (err instanceof HubError && !['disconnected', 'timeout', 'rate_limited'].includes(err.code)) {
        entry.state = 'failed';
        entry.reason = err.message;
      }
    }
    this.save();
  }

  resend() {
    for (const entry of this.load()) {
      if (entry.state === 'sending' && entry.fields) this.send(entry);
    }
  }

  status(m) {
    const entry = this.load().find((e) => e.msg === m.msg);
    if (!entry || !(m.state in RANK)) return;
    if (RANK[m.state] > RANK[entry.state]) {
      entry.state = m.state;
      entry.state_at = m.at;
      this.save();
    }
  }

  onChange(fn) {
    this.addEventListener('change', fn);
    return () => this.removeEventListener('change', fn);
  }
}
