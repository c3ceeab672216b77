// A minimal kiosk-side protocol client (docs/protocol.md) for the browser tests that must observe
// what the real hub delivers to a kiosk — a message, a file, a call invite — before the real
// vindu-kiosk is available, and for checks the kiosk's screen cannot show (e.g. the uploaded
// photo's pixel size). It speaks to the real hub over WSS; it draws nothing and sends no media.
import https from 'node:https';
import WebSocket from 'ws';

export class ProtocolKiosk {
  constructor(hub) {
    this.hub = hub;
    this.socket = null;
    this.nextId = 1;
    this.inbox = [];
    this.waiters = [];
    this.kiosk = null;
    this.secret = null;
  }

  // Pairs with the household's provisioning code, then signs in with the device secret.
  async pair(code) {
    const first = await this.open({ kind: 'pair', code });
    const paired = first.type === 'paired' ? first : await this.next((m) => m.type === 'paired');
    this.kiosk = paired.kiosk;
    this.secret = paired.secret;
    this.household = paired.household;
    this.close();
    this.inbox = [];
    this.welcome = await this.open({ kind: 'device', kiosk: this.kiosk, secret: this.secret });
    return this;
  }

  open(auth) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.hub.wsUrl, 'vindu.v1', { rejectUnauthorized: false });
      this.socket = socket;
      socket.on('message', (data) => this.receive(JSON.parse(data.toString())));
      socket.on('error', reject);
      socket.on('open', () => {
        this.request({ type: 'hello', version: 1, client: 'vindu-web-tests/0.1', auth })
          .then(resolve, reject);
      });
    });
  }

  close() {
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  receive(msg) {
    this.inbox.push(msg);
    for (const w of this.waiters.slice()) {
      if (w.match(msg)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(msg);
      }
    }
  }

  send(msg) {
    this.socket.send(JSON.stringify(msg));
  }

  async request(msg) {
    const id = `t${this.nextId++}`;
    const answer = this.next((m) => m.re === id);
    this.send({ ...msg, id });
    const m = await answer;
    if (m.type === 'error') {
      const err = new Error(`${m.code}: ${m.message}`);
      err.code = m.code;
      throw err;
    }
    return m;
  }

  // The first message (already received or still to come) that matches.
  next(match, timeoutMs = 20000) {
    const seen = this.inbox.find(match);
    if (seen) {
      this.inbox.splice(this.inbox.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`protocol kiosk: no matching message in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    }).then((m) => {
      const i = this.inbox.indexOf(m);
      if (i >= 0) this.inbox.splice(i, 1);
      return m;
    });
  }

  // Downloads a file of the household the way the kiosk does (Bearer KIOSK_ID:SECRET).
  // (node:https because the hub's certificate is self-signed in tests.)
  fetchFile(hash) {
    return new Promise((resolve, reject) => {
      const url = `${this.hub.origin}/api/files/${hash}?household=${this.household}`;
      https.get(url, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${this.kiosk}:${this.secret}` } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET file: HTTP ${res.statusCode}`))));
      }).on('error', reject);
    });
  }
}

// Uploads a file as the kiosk does (POST /api/files, Bearer KIOSK_ID:SECRET); resolves with the
// hub's answer {file, kind, size}.
ProtocolKiosk.prototype.uploadFile = function uploadFile(body, contentType) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${this.hub.origin}/api/files?household=${this.household}`, {
      method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${this.kiosk}:${this.secret}`, 'Content-Type': contentType, 'Content-Length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 201 || res.statusCode === 200) resolve(JSON.parse(text));
        else reject(new Error(`POST file: HTTP ${res.statusCode} ${text}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
};

// Width and height of a baseline or progressive JPEG, from its SOF marker.
export function jpegSize(buf) {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG');
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) { i += 1; continue; }
    const marker = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker');
}
