// Connections that never sign in are bounded: a flood of `hello` (kind pair) from one address
// leaves /healthz and a sign-in answering; waiting too long to be paired ends the connection.
// The caps are lowered through the config file so the flood stays small (loopback only).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startHub, tempDir, household, personClient, Client, WebSocket } from './lib.mjs';

async function limitedHub(t, limits) {
  const dir = tempDir(t);
  const conf = path.join(dir, 'hub.conf');
  fs.writeFileSync(conf, '[limits]\n' + Object.entries(limits).map(([k, v]) => `${k}=${v}\n`).join(''));
  return startHub(t, { dataDir: path.join(dir, 'data'), args: ['--config', conf] });
}

// One WebSocket from `from` that says hello (kind pair) and reports how it ended.
function pairer(hub, t, from) {
  return new Promise((resolve) => {
    const ws = new WebSocket(hub.wsUrl, ['vindu.v1'], { rejectUnauthorized: false, localAddress: from });
    t.after(() => ws.terminate());
    const out = { ws, welcome: null, closed: null };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', id: '1', version: 1, client: 'flood/1', auth: { kind: 'pair' } })));
    ws.on('message', (d) => { const m = JSON.parse(d); if (m.type === 'welcome') { out.welcome = m; resolve(out); } });
    ws.on('close', (code) => { out.closed = code; resolve(out); });
    ws.on('error', () => { out.closed = out.closed ?? 'error'; resolve(out); });
  });
}

function healthz(hub) {
  return new Promise((resolve, reject) => {
    https.get(hub.url + '/healthz', { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

test('a flood of hello-only connections from one address leaves healthz and sign-in answering', async (t) => {
  const hub = await limitedHub(t, { unauth_per_address: 5, unauth_total: 12, pair_wait_s: 3 });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const flood = await Promise.all(Array.from({ length: 40 }, () => pairer(hub, t, '127.0.0.2')));
  const waiting = flood.filter((f) => f.welcome && f.closed === null);
  const refused = flood.filter((f) => f.closed === 1013);
  assert.equal(waiting.length, 5, `waiting ${waiting.length}`);
  assert.equal(refused.length, 35);
  assert.ok(waiting.every((f) => /^\d{4}-\d{4}$/.test(f.welcome.pairing_code)), waiting[0].welcome.pairing_code);

  // others are served: healthz, and a person signing in (from another address)
  const hz = await healthz(hub);
  assert.equal(hz.status, 200);
  const anna = await personClient(hub, t, h.people.Anna);
  assert.equal(anna.welcome.type, 'welcome');

  // another address may still start pairing, up to the total cap
  const other = await Promise.all(Array.from({ length: 10 }, () => pairer(hub, t, '127.0.0.3')));
  assert.equal(other.filter((f) => f.welcome && f.closed === null).length, 5);
  const third = await Promise.all(Array.from({ length: 4 }, () => pairer(hub, t, '127.0.0.4')));
  assert.equal(third.filter((f) => f.welcome && f.closed === null).length, 2, 'total cap of 12');

  // waiting longer than pair_wait_s to be paired ends the connection; the slots come back
  const ends = await Promise.all(waiting.map((f) => new Promise((res) => {
    if (f.closed !== null) return res(f.closed);
    f.ws.once('close', (code) => res(code));
  })));
  assert.ok(ends.every((c) => c === 1008), JSON.stringify(ends));
  const again = await pairer(hub, t, '127.0.0.2');
  assert.ok(again.welcome && again.closed === null);
  assert.doesNotMatch(hub.stderr(), /accept: errno/);
});

test('a connection that says nothing is closed after the hello deadline and frees its slot', async (t) => {
  const hub = await limitedHub(t, { unauth_per_address: 2 });
  const silent = await Promise.all([0, 1].map(() => Client.open(hub, t, { localAddress: '127.0.0.5' })));
  const over = await pairer(hub, t, '127.0.0.5');
  assert.equal(over.closed, 1013);
  for (const c of silent) assert.equal((await c.waitClosed(20000)).code, 1008);
  const later = await pairer(hub, t, '127.0.0.5');
  assert.ok(later.welcome);
});
