// Messages the kiosk sends to this person (e.g. a voice reply from the resident). Kept in
// localStorage, then acknowledged (msg.ack) so the hub stops sending them again on every sign-in;
// marked seen (msg.seen) when the household page has shown them.
import { sessionToken } from './session.js';

const KEEP = 40;

export class Inbox extends EventTarget {
  constructor(hub, store) {
    super();
    this.hub = hub;
    this.store = store;
    this.cache = null;
    this.cacheKey = null;
    hub.on('msg.deliver', (m) => this.deliver(m));
  }

  key() {
    return `vindu.outbox.in.${this.store.self ? this.store.self.id : 'none'}`;
  }

  all() {
    if (this.cacheKey !== this.key()) {
      this.cacheKey = this.key();
      try {
        this.cache = JSON.parse(localStorage.getItem(this.cacheKey) || '[]');
      } catch {
        this.cache = [];
      }
    }
    return this.cache;
  }

  deliver({ seq, msg }) {
    if (!msg || !msg.id) return;
    const list = this.all();
    if (!list.some((m) => m.id === msg.id)) {
      list.push({ ...msg, seen: false });
      this.cache = list.slice(-KEEP);
      localStorage.setItem(this.cacheKey, JSON.stringify(this.cache));
      this.dispatchEvent(new Event('change'));
    }
    // Stored first, acknowledged second: the protocol's rule for durable delivery.
    if (Number.isInteger(seq)) this.hub.send({ type: 'msg.ack', up_to: seq });
  }

  list(household) {
    return this.all().filter((m) => m.household === household);
  }

  markSeen(household) {
    let changed = false;
    for (const m of this.list(household)) {
      if (!m.seen && this.hub.send({ type: 'msg.seen', msg: m.id })) {
        m.seen = true;
        changed = true;
      }
    }
    if (changed) localStorage.setItem(this.cacheKey, JSON.stringify(this.cache));
  }

  onChange(fn) {
    this.addEventListener('change', fn);
    return () => this.removeEventListener('change', fn);
  }
}

// Fetches a file of the household with the session token and returns an object URL for it
// (the hub's policy allows blob: media and images). The caller revokes it.
export async function fileUrl(household, hash) {
  const res = await fetch(`/api/files/${encodeURIComponent(hash)}?household=${encodeURIComponent(household)}`, {
    headers: { Authorization: `Bearer ${sessionToken()}` },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return URL.createObjectURL(await res.blob());
}
