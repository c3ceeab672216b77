// The packed web root's first load stays a handful of requests: on a link with 400 ms round trips
// every file the page must fetch before it starts costs a place in the browser's six HTTP/1.1
// connections, and each new connection costs TCP and TLS round trips (docs/web.md, "The web
// root on a poor link"). Counted on loopback from what index.html names and what those scripts
// import statically — structure, not timing. VINDU_WEB_ROOT: the built web root (build/web-root).
import test from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import zlib from 'node:zlib';
import { startHub } from './lib.mjs';

const ROOT = process.env.VINDU_WEB_ROOT;
const MAX_STARTUP_FILES = 10; // index.html, early.js, style.css, app.js and the chunks it shares
const MAX_STARTUP_BYTES = 45000; // brotli bodies, index.html and its static closure

function get(url) {
  return new Promise((resolve, reject) => {
    https.get(url, { rejectUnauthorized: false, headers: { 'accept-encoding': 'br' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(body) : body;
        resolve({ status: res.statusCode, sent: body.length, text: text.toString() });
      });
    }).on('error', reject);
  });
}

// Static imports of a module (minified or not): `from "./x.js"`, `import "./x.js"`.
const staticImports = (js) => [...js.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+)["']/g)].map((m) => m[1]);

// Everything the page fetches before its app runs: index.html's scripts, preloads and style
// sheets, and what those scripts import statically (texts and the WebSocket apart).
async function startup(origin) {
  const index = await get(`${origin}/`);
  assert.equal(index.status, 200);
  const named = [...index.text.matchAll(/<(?:script|link)\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => /<script|rel="(stylesheet|modulepreload)"/.test(tag))
    .map((tag) => /(?:src|href)="([^"]+)"/.exec(tag)[1]);
  const files = new Map([['', index]]);
  const queue = [...named];
  while (queue.length) {
    const name = queue.shift();
    if (files.has(name)) continue;
    const res = await get(`${origin}/${name}`);
    assert.equal(res.status, 200, name);
    files.set(name, res);
    if (/\.m?js$/.test(name)) queue.push(...staticImports(res.text));
  }
  return { index: index.text, named, files };
}

test('the packed first load: a handful of files, all named by index.html, no staff or admin code', async (t) => {
  assert.ok(ROOT, 'VINDU_WEB_ROOT names the built web root');
  const hub = await startHub(t, { args: ['--web-root', ROOT] });
  const { index, named, files } = await startup(hub.url);
  const names = [...files.keys()];
  assert.ok(files.size <= MAX_STARTUP_FILES, `${files.size} files at start: ${names.join(' ')}`);
  // every file is named in index.html, so the browser asks for all at once, not level by level
  for (const name of names.slice(1)) assert.ok(named.includes(name), `${name} is not preloaded`);
  const bytes = [...files.values()].reduce((sum, f) => sum + f.sent, 0);
  assert.ok(bytes <= MAX_STARTUP_BYTES, `${bytes} bytes at start`);
  assert.ok(!names.some((n) => /^(admin|staff|devices|qr|activity_page)\.|qrcode/.test(n)), names.join(' '));
  // the early script that opens the WebSocket comes before the app, on its own
  const early = /<script type="module" async src="(early\.[0-9a-f]{10}\.js)">/.exec(index);
  assert.ok(early, 'index.html loads early.js by itself');
  assert.ok(index.indexOf(early[1]) < index.indexOf('<script type="module" src="app.'), 'early.js before app.js');
  assert.deepEqual(staticImports(files.get(early[1]).text), [], 'early.js imports nothing');
});
