// The web root on a poor link: vindu-web-pack's output served compressed (bodies that decode to
// the very bytes of the file), with validators (a second visit gets 304s and no bodies), and with
// content-hashed names that are immutable and change when anything they import changes.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startHub, tempDir } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceWeb = path.resolve(here, '..', '..', 'web');
const PACK = process.env.VINDU_WEB_PACK;

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    https.get(url, { rejectUnauthorized: false, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

function pack(t, src = sourceWeb) {
  const out = path.join(tempDir(t), 'web-root');
  execFileSync(PACK, [src, out]);
  return out;
}

function decode(res) {
  const enc = res.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(res.body);
  if (enc === 'gzip') return zlib.gunzipSync(res.body);
  assert.equal(enc, undefined, 'no other coding');
  return res.body;
}

test('every file of the shell and the texts: brotli and gzip bodies decode to the same bytes', async (t) => {
  const root = pack(t);
  const hub = await startHub(t, { args: ['--web-root', root] });
  const shell = JSON.parse(fs.readFileSync(path.join(root, 'shell.json')));
  assert.ok(shell.shell.includes('index.html'));
  const files = [...shell.shell, ...shell.lazy, ...shell.texts];
  let plainTotal = 0;
  let brTotal = 0;
  for (const file of files) {
    const plain = await get(`${hub.url}/${file}`);
    assert.equal(plain.status, 200, file);
    assert.equal(plain.headers['content-encoding'], undefined, `${file}: no coding unless asked`);
    for (const coding of ['br', 'gzip']) {
      const res = await get(`${hub.url}/${file}`, { 'accept-encoding': coding });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers['content-encoding'], coding, `${file} in ${coding}`);
      assert.match(res.headers.vary || '', /accept-encoding/i, file);
      assert.ok(decode(res).equals(plain.body), `${file}: ${coding} body decodes to the file`);
      assert.ok(res.body.length < plain.body.length, `${file}: ${coding} is smaller`);
      assert.equal(res.headers['content-type'], plain.headers['content-type'], file);
      if (coding === 'br') brTotal += res.body.length;
    }
    plainTotal += plain.body.length;
    // q=0 refuses a coding (RFC 9110)
    const refused = await get(`${hub.url}/${file}`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined, file);
  }
  assert.ok(brTotal * 2 < plainTotal, `compressed ${brTotal} of ${plainTotal} bytes`);
});

test('a second visit: the entry and texts answer 304 to their ETag, hashed files are immutable', async (t) => {
  const root = pack(t);
  const hub = await startHub(t, { args: ['--web-root', root] });
  const ae = { 'accept-encoding': 'gzip, deflate, br' };
  const first = await get(`${hub.url}/`, ae);
  assert.equal(first.status, 200);
  const html = decode(first).toString();
  assert.match(first.headers['content-security-policy'], /default-src 'self'/);
  assert.equal(first.headers['cache-control'], 'no-cache');
  const etag = first.headers.etag;
  assert.match(etag, /^"[^"]+"$/);
  const again = await get(`${hub.url}/`, { ...ae, 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);
  // another coding is another representation: its own ETag
  const gz = await get(`${hub.url}/`, { 'accept-encoding': 'gzip' });
  assert.notEqual(gz.headers.etag, etag);
  assert.equal((await get(`${hub.url}/`, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status, 200);
  const text = await get(`${hub.url}/i18n/nb.json`, ae);
  assert.equal((await get(`${hub.url}/i18n/nb.json`, { ...ae, 'if-none-match': `W/${text.headers.etag}` })).status, 304);

  // index.html names only content-hashed files, each cached for a year and never revalidated
  // (the app's manifest and its PNG icons keep their names: an installed app asks for them by
  // name; they are revalidated by ETag like index.html)
  const stable = /^(manifest\.webmanifest|icon-\d+\.png)$/;
  const names = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]).filter((n) => !stable.test(n));
  assert.ok(names.length >= 3, html);
  for (const name of names) {
    assert.match(name, /\.[0-9a-f]{10}\.(js|css|svg)$/, name);
    const res = await get(`${hub.url}/${name}`, ae);
    assert.equal(res.status, 200, name);
    assert.match(res.headers['cache-control'], /max-age=31536000/, name);
    assert.match(res.headers['cache-control'], /immutable/, name);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
  }
  // the modules import each other by their hashed names too
  const app = decode(await get(`${hub.url}/${names.find((n) => n.startsWith('app.'))}`, ae)).toString();
  assert.match(app, /from '\.\/ws\.[0-9a-f]{10}\.js'/);
  // staff and admin code is loaded only when opened
  assert.match(app, /import\('\.\/admin\.[0-9a-f]{10}\.js'\)/);
  const shell = JSON.parse(fs.readFileSync(path.join(root, 'shell.json')));
  assert.ok(shell.lazy.some((f) => /^admin\./.test(f)) && shell.lazy.some((f) => /^staff\./.test(f)), shell.lazy);
  assert.ok(!shell.shell.some((f) => /^(admin|staff|qr)\.|qrcode/.test(f)), shell.shell);
});

test('a change in an imported module renames every module that imports it', async (t) => {
  const copy = path.join(tempDir(t), 'web');
  fs.cpSync(sourceWeb, copy, { recursive: true });
  const before = JSON.parse(fs.readFileSync(path.join(pack(t, copy), 'shell.json')));
  fs.appendFileSync(path.join(copy, 'dom.js'), '\n// changed\n');
  const after = JSON.parse(fs.readFileSync(path.join(pack(t, copy), 'shell.json')));
  const name = (list, stem) => list.find((f) => f.startsWith(`${stem}.`));
  for (const stem of ['dom', 'app', 'home']) assert.notEqual(name(before.shell, stem), name(after.shell, stem), stem);
  // a module that does not import dom.js (directly or not) keeps its name
  assert.equal(name(before.shell, 'webrtc'), name(after.shell, 'webrtc'));
});
