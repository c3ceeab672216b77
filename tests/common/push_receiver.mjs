// A push service on loopback for tests (RFC 8030's receiving end): HTTPS with a test CA made
// here, which the hub is told to trust ([push] ca_file). Every push is checked as a real push
// service and browser would: the VAPID JWT (RFC 8292, ES256, audience = this origin) against the
// key in the Authorization header, then the body decrypted with the subscription's private key
// and auth secret by http_ece, an independent RFC 8188/8291 implementation.
import https from 'node:https';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ece = require(path.join(sourceDir, 'node_modules/http_ece'));

const b64u = (buf) => Buffer.from(buf).toString('base64url');

// A CA and a certificate for 127.0.0.1 signed by it, in `dir`.
function makeCertificates(dir) {
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=Vindu test push CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1',
    '-keyout', 'server.key', '-out', 'server.csr');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem');
  return { ca: path.join(dir, 'ca.pem'), key: path.join(dir, 'server.key'), cert: path.join(dir, 'server.pem') };
}

// Check "vapid t=JWT, k=KEY"; returns the claims or throws.
export function verifyVapid(header, origin) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header || '');
  if (!m) throw new Error('Authorization is not "vapid t=…, k=…": ' + header);
  const [jwt, key] = [m[1], m[2]];
  const [h64, c64, s64] = jwt.split('.');
  const head = JSON.parse(Buffer.from(h64, 'base64url'));
  if (head.alg !== 'ES256') throw new Error('JWT alg ' + head.alg);
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const pub = crypto.createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) } });
  const ok = crypto.verify('sha256', Buffer.from(`${h64}.${c64}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(s64, 'base64url'));
  if (!ok) throw new Error('VAPID JWT signature does not verify');
  const claims = JSON.parse(Buffer.from(c64, 'base64url'));
  const now = Date.now() / 1000;
  if (claims.aud !== origin) throw new Error(`JWT aud ${claims.aud}, want ${origin}`);
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error('JWT exp out of range ' + claims.exp);
  if (!/^(mailto:|https:)/.test(claims.sub || '')) throw new Error('JWT sub ' + claims.sub);
  return { claims, key };
}

export class PushReceiver {
  // `dir`: a temp dir for the certificates.
  static async start(t, dir) {
    const r = new PushReceiver();
    r.files = makeCertificates(dir);
    r.pushes = [];
    r.waiters = [];
    r.status = new Map(); // path -> status to answer (default 201)
    r.server = https.createServer({ key: fs.readFileSync(r.files.key), cert: fs.readFileSync(r.files.cert) }, (req, res) => r._onRequest(req, res));
    await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.origin = `https://127.0.0.1:${r.server.address().port}`;
    t.after(() => r.server.close());
    return r;
  }

  // A browser's subscription: a key pair and auth secret, and its endpoint here.
  subscription(name) {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    const endpoint = `${this.origin}/push/${name}-${crypto.randomBytes(6).toString('hex')}`;
    const sub = { ecdh, auth, endpoint, p256dh: b64u(ecdh.getPublicKey()), authB64: b64u(auth) };
    (this.subs ||= new Map()).set(new URL(endpoint).pathname, sub);
    return sub;
  }

  _onRequest(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const push = { path: req.url, headers: req.headers, errors: [] };
      try {
        if (req.method !== 'POST') throw new Error('method ' + req.method);
        push.vapid = verifyVapid(req.headers.authorization, this.origin);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('content-encoding ' + req.headers['content-encoding']);
        if (!(Number(req.headers.ttl) >= 0)) throw new Error('TTL missing');
        const sub = this.subs.get(req.url);
        if (!sub) throw new Error('unknown subscription ' + req.url);
        const plain = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth });
        push.payload = JSON.parse(plain.toString('utf8'));
      } catch (e) {
        push.errors.push(e.message);
      }
      const status = this.status.get(req.url) || 201;
      res.writeHead(status, { Location: '/message/1' });
      res.end();
      this.pushes.push(push);
      for (const w of [...this.waiters]) w();
    });
  }

  // Wait for (and remove) the first push matching pred.
  next(pred = () => true, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.pushes.findIndex(pred);
        if (i < 0) return false;
        done();
        resolve(this.pushes.splice(i, 1)[0]);
        return true;
      };
      const timer = setTimeout(() => { done(); reject(new Error('no push; got ' + JSON.stringify(this.pushes))); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== check); };
      if (!check()) this.waiters.push(check);
    });
  }
}
