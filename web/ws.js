// The one WebSocket to the hub (docs/protocol.md): sign-in with `hello`, request/answer by id,
// events for everything the hub sends on its own, reconnect with backoff.
import { hubSocketUrl, takeSocket } from './early.js';

export { hubSocketUrl };
const PROTOCOL_VERSION = 1;
const CLIENT = 'vindu-web/0.1';
const REQUEST_TIMEOUT_MS = 15000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

// Errors after which reconnecting cannot help: the caller must sign in anew.
const FATAL_CODES = new Set(['revoked', 'bad_credentials', 'version_unsupported']);

export class HubError extends Error {
  constructor(code, message, retryAfterS = null, field = null) {
    super(message || code);
    this.code = code;
    this.retryAfterS = retryAfterS; // rate_limited: how long until trying again can work
    this.field = field || null; // the offending field of a plugin document's body
  }
}

export class Hub extends EventTarget {
  constructor(url) {
    super();
    this.url = url || hubSocketUrl();
    this.socket = null;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, timer}
    this.auth = null;
    this.welcome = null;
    this.attempt = 0;
    this.stopped = false;
    this.retryTimer = null;
  }

  // Opens the socket and signs in; resolves with `welcome`, rejects with HubError.
  // After the first success, a dropped connection reconnects by itself with `session` auth.
  connect(auth) {
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close();
    this.auth = auth;
    this.stopped = false;
    return this.open();
  }

  open() {
    return new Promise((resolve, reject) => {
      let settled = false;
      // the first connection may be one early.js opened while this script was downloading
      const socket = takeSocket(this.url) || new WebSocket(this.url, 'vindu.v1');
      this.socket = socket;
      const signIn = () => {
        this.request({ type: 'hello', version: PROTOCOL_VERSION, client: CLIENT, auth: this.auth })
          .then((welcome) => {
            settled = true;
            this.attempt = 0;
            this.welcome = welcome;
            // An invite is used once; afterwards the session token signs in.
            if (welcome.session_token) this.auth = { kind: 'session', token: welcome.session_token };
            this.emit('open', welcome);
            resolve(welcome);
          })
          .catch((err) => {
            settled = true;
            // Too many tries: the hub closes the socket; trying again before the wait is over
            // could only fail, so the next try is after it (and the app says so).
            if (err.code === 'rate_limited' && err.retryAfterS) {
              this.socket = null;
              socket.close();
              this.retryAfterWait(err.retryAfterS);
              reject(err);
              return;
            }
            // A refused sign-in ends here; a dropped or slow one is tried again (close handler).
            if (FATAL_CODES.has(err.code)) this.stopped = true;
            socket.close();
            reject(err);
          });
      };
      if (socket.readyState === WebSocket.OPEN) signIn();
      else socket.addEventListener('open', signIn);
      socket.addEventListener('message', (ev) => this.receive(ev.data));
      socket.addEventListener('close', () => {
        if (this.socket !== socket) return;
        this.socket = null;
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new HubError('disconnected', 'connection lost'));
        }
        this.pending.clear();
        if (!settled) {
          settled = true;
          // The first connection failed before sign-in: let the caller decide, but keep trying.
          if (!this.stopped) this.scheduleReconnect();
          reject(new HubError('disconnected', 'no connection'));
          return;
        }
        this.emit('close', {});
        if (!this.stopped) this.scheduleReconnect();
      });
    });
  }

  scheduleReconnect() {
    clearTimeout(this.retryTimer);
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    // Jitter so that many browsers do not return to a restarted hub in the same instant.
    const delay = base / 2 + Math.random() * base / 2;
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.open().catch((err) => {
        if (FATAL_CODES.has(err.code)) this.emit('fatal', { code: err.code, message: err.message });
      });
    }, delay);
  }

  retryAfterWait(seconds) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.open().catch((err) => {
        if (FATAL_CODES.has(err.code)) this.emit('fatal', { code: err.code, message: err.message });
      });
    }, seconds * 1000);
  }

  close() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close();
  }

  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN && this.welcome !== null;
  }

  // Sends a request and resolves with the hub's answer (the message whose `re` is our id).
  request(message) {
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject(new HubError('disconnected', 'not connected'));
        return;
      }
      const id = String(this.nextId++);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HubError('timeout', 'no answer'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ ...message, id }));
    });
  }

  // Sends a message that expects no answer (e.g. call.ice, msg.seen).
  send(message) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  receive(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg.type !== 'string') return;
    if (msg.re !== undefined && this.pending.has(msg.re)) {
      const p = this.pending.get(msg.re);
      this.pending.delete(msg.re);
      clearTimeout(p.timer);
      if (msg.type === 'error') p.reject(new HubError(msg.code, msg.message, msg.retry_after_s ?? null, msg.field));
      else p.resolve(msg);
      if (msg.type === 'error' && msg.code === 'revoked') this.revoked(msg);
      return;
    }
    if (msg.type === 'error' && msg.code === 'revoked') {
      this.revoked(msg);
      return;
    }
    this.emit(msg.type, msg);
    this.emit('message', msg);
  }

  revoked(msg) {
    this.stopped = true;
    this.emit('fatal', { code: 'revoked', message: msg.message });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  on(type, fn) {
    const listener = (ev) => fn(ev.detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }
}
