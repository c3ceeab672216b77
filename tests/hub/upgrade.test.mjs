// Upgrades: the current hub started on a database made by the previous release (the committed
// fixture upgrade/main-5ba1d2d, made by upgrade/make-fixture.mjs with the hub at that commit)
// migrates it to the current schema — the same schema a new database gets — and everything in it
// still works: the kiosk and Anna sign in with their stored secrets, unacknowledged messages and
// the reminder are delivered, the photo is served.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startHub, tempDir, kioskClient, personClient, admin } from './lib.mjs';
import { httpsRequest } from './data_lib.mjs';

const FIXTURE = fileURLToPath(new URL('upgrade/main-5ba1d2d', import.meta.url));
const facts = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'facts.json'), 'utf8'));

function sql(db, query) {
  return execFileSync('sqlite3', ['-readonly', db, query], { encoding: 'utf8' }).trim();
}
// The schema as a sorted list of statements, so two databases can be compared.
function schema(db) {
  return sql(db, "SELECT type || ' ' || name || ': ' || ifnull(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
}

test('a database of the previous release is migrated and keeps working', async (t) => {
  const dir = tempDir(t);
  const dataDir = path.join(dir, 'data');
  fs.cpSync(FIXTURE, dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'facts.json'));
  const db = path.join(dataDir, 'hub.db');
  const before = Number(sql(db, 'PRAGMA user_version'));
  assert.equal(before, 2, 'the fixture is schema version 2');

  // A new database made by this hub: the schema an upgraded one must have.
  const freshDir = path.join(dir, 'fresh');
  assert.equal(admin(freshDir, 'list').ok, true);
  const fresh = path.join(freshDir, 'hub.db');

  const hub = await startHub(t, { dataDir });
  assert.equal(sql(db, 'PRAGMA user_version'), sql(fresh, 'PRAGMA user_version'));
  assert.equal(schema(db), schema(fresh));
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');

  const k = await kioskClient(hub, t, facts.kiosk);
  // The two messages the kiosk had not acknowledged come again, in order, with their words.
  const waiting = facts.messages.slice(facts.acked_up_to);
  for (const [i, m] of waiting.entries()) {
    const d = await k.next('msg.deliver');
    assert.equal(d.seq, facts.acked_up_to + i + 1);
    assert.equal(d.msg.id, m.id);
    if (m.text) assert.equal(d.msg.text, m.text);
    if (m.caption) assert.equal(d.msg.caption, m.caption);
  }
  const doc = await k.next('doc.deliver');
  assert.equal(doc.doc, facts.reminder.doc);
  assert.equal(doc.body.title, facts.reminder.title);

  const anna = await personClient(hub, t, { session: facts.anna.session });
  assert.equal(anna.welcome.self.id, facts.anna.id);
  assert.equal(anna.welcome.households[0].resident, facts.resident);
  const photo = facts.messages.find((m) => m.file);
  const got = await httpsRequest(hub, 'GET', `/api/files/${photo.file}?household=${facts.household}`, { token: facts.anna.session });
  assert.equal(got.status, 200);
  assert.equal(got.body.subarray(1, 4).toString(), 'PNG');
  // And new things can be added after the upgrade.
  const a = await anna.request({ type: 'msg.post', household: facts.household, client_msg_id: 'after-upgrade', kind: 'text', text: 'Still here' });
  assert.equal(a.type, 'msg.accepted');
});

test('a database from a newer release is refused with a clear reason, and left as it was', async (t) => {
  const dataDir = path.join(tempDir(t), 'data');
  fs.cpSync(FIXTURE, dataDir, { recursive: true });
  const db = path.join(dataDir, 'hub.db');
  execFileSync('sqlite3', [db, 'PRAGMA user_version=999']);
  const r = admin(dataDir, 'list');
  assert.equal(r.ok, false);
  assert.match(r.message, /schema version 999 is not one this hub knows/);
  assert.equal(sql(db, 'PRAGMA user_version'), '999');
});
