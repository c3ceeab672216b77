// Provisioning codes pair one kiosk, once; a revoked kiosk cannot come back by itself.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, household, pairKiosk, personClient, admin, hello, Client } from './lib.mjs';

// Before: the provisioning code was a bearer credential valid 30 days, reusable.
test('a revoked kiosk cannot come back with its old code; a new code needs an admin', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' }]);
  const kiosk = await pairKiosk(hub, t, h);

  // the code was used: a second screen cannot pair with it
  const second = await Client.open(hub, t);
  const again = await hello(second, { kind: 'pair', code: h.code });
  assert.equal(again.type, 'error');
  assert.equal(again.code, 'bad_credentials');

  // an admin removes the screen; its secret and the old code are both dead
  const anna = await personClient(hub, t, h.people.Anna);
  const gone = await anna.request({ type: 'household.revoke', household: h.id, person: kiosk.id });
  assert.equal(gone.type, 'ok');
  const dev = await Client.open(hub, t);
  assert.equal((await hello(dev, { kind: 'device', kiosk: kiosk.id, secret: kiosk.secret })).code, 'bad_credentials');
  const old = await Client.open(hub, t);
  assert.equal((await hello(old, { kind: 'pair', code: h.code })).code, 'bad_credentials');
  const listed = admin(hub.dataDir, 'list');
  const ours = listed.households.find((x) => x.id === h.id);
  assert.equal((ours.kiosks || []).length, 0, JSON.stringify(ours));

  // pairing again shows a new code, and only an admin typing it lets the screen in
  const screen = await Client.open(hub, t);
  const w = await hello(screen, { kind: 'pair' });
  assert.equal(w.role, 'unpaired');
  assert.match(w.pairing_code, /^\d{4}-\d{4}$/);
  await screen.none('paired', 500);
  const ok = await anna.request({ type: 'household.pair', household: h.id, code: w.pairing_code });
  assert.equal(ok.type, 'ok');
  const paired = await screen.next('paired');
  assert.notEqual(paired.kiosk, kiosk.id);
});

test('a provisioning code lives a day at most, and is refused once it is past', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, []);
  const { execFileSync } = await import('node:child_process');
  const db = `${hub.dataDir}/hub.db`;
  const expires = Number(execFileSync('sqlite3', [db, `SELECT provision_expires_at FROM households WHERE id='${h.id}'`]).toString());
  assert.ok(expires <= Date.now() / 1000 + 24 * 3600 + 60, `expires in ${(expires - Date.now() / 1000) / 3600} h`);
  execFileSync('sqlite3', [db, `UPDATE households SET provision_expires_at=${Math.floor(Date.now() / 1000) - 1} WHERE id='${h.id}'`]);
  const c = await Client.open(hub, t);
  assert.equal((await hello(c, { kind: 'pair', code: h.code })).code, 'bad_credentials');
});

// Before: the stored hash was SHA-256 of the 8 digits, found from a copy of hub.db in seconds.
// Now a waiting code is not stored at all (nothing is written before a credential is checked);
// an admin's bind request carries only the keyed hash, under a key outside the database.
test('a waiting pairing code is never stored; a bind request holds only a keyed hash', async (t) => {
  const hub = await startHub(t);
  const c = await Client.open(hub, t);
  const w = await hello(c, { kind: 'pair' });
  const { execFileSync } = await import('node:child_process');
  const crypto = await import('node:crypto');
  const fs = await import('node:fs');
  const stored = execFileSync('sqlite3', [`${hub.dataDir}/hub.db`, 'SELECT code_hash FROM pairing_codes']).toString().trim();
  assert.equal(stored, '', 'nothing stored for a waiting code');
  const key = fs.readFileSync(`${hub.dataDir}/pairing.key`);
  assert.equal(key.length, 32);
  assert.equal(fs.statSync(`${hub.dataDir}/pairing.key`).mode & 0o777, 0o600);
  const hmac = crypto.createHmac('sha256', key).update(w.pairing_code).digest('hex');
  const digits = w.pairing_code.replace(/\D/g, '');
  for (const form of [digits, w.pairing_code])
    assert.notEqual(hmac, crypto.createHash('sha256').update(form).digest('hex'), 'not a plain SHA-256');
  // and the admin command (another process, same key) still binds it
  const h = await household(t, hub, []);
  const out = admin(hub.dataDir, 'pair', '--household', h.id, '--code', w.pairing_code);
  assert.equal(out.ok, true, JSON.stringify(out));
  assert.equal((await c.next('paired')).household, h.id);
});

// An unauthenticated `hello` of kind pair writes nothing: before, each one inserted a row into
// pairing_codes, so anyone could grow the database by opening connections.
test('a flood of pair hellos leaves the database unchanged; a wrong admin code is still refused', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, []);
  const { execFileSync } = await import('node:child_process');
  const dump = () => execFileSync('sqlite3', [`${hub.dataDir}/hub.db`, '.dump']).toString();
  const before = dump();
  const codes = [];
  for (let i = 0; i < 12; i++) { // under the 16 unsigned connections an address may hold
    const c = await Client.open(hub, t);
    const w = await hello(c, { kind: 'pair' });
    assert.equal(w.role, 'unpaired');
    codes.push(w.pairing_code);
  }
  assert.equal(new Set(codes).size, codes.length, 'every waiting kiosk has its own code');
  assert.equal(dump(), before);
  // a code nobody shows is refused, and its bind request does not stay behind
  const wrong = codes[0] === '1234-5678' ? '8765-4321' : '1234-5678';
  const out = admin(hub.dataDir, 'pair', '--household', h.id, '--code', wrong);
  assert.equal(out.ok, false, JSON.stringify(out));
  assert.equal(execFileSync('sqlite3', [`${hub.dataDir}/hub.db`, 'SELECT count(*) FROM pairing_codes']).toString().trim(), '0');
});
