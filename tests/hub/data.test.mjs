// The hub's data commands: backup while messages are being posted restores with nothing lost;
// export gives a household everything the hub keeps about it; delete leaves nothing of it.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startHub, stopHub, tempDir, household, pairKiosk, kioskClient, personClient, admin } from './lib.mjs';
import { png, upload, httpsRequest, adminRaw, adminAsync } from './data_lib.mjs';

function sql(db, query) {
  return execFileSync('sqlite3', ['-readonly', db, query], { encoding: 'utf8' }).trim();
}

test('a backup taken while messages are posted restores every message it had, in order, and a consistent database', { timeout: 120000 }, async (t) => {
  const dir = tempDir(t);
  const hub = await startHub(t);
  const names = ['Anna', 'Jonas', 'Wenche'];
  const h = await household(t, hub, names.map((name) => ({ name, relationship: 'Family', rights: 'call,message' })));
  const kiosk = await pairKiosk(hub, t, h);
  const photo = png(20, 10, [10, 200, 30]);
  await personClient(hub, t, h.people.Anna); // redeems Anna's invite: her session uploads
  const hash = await upload(hub, h.id, h.people.Anna.session, photo);

  // Three people post, each below the hub's rate limit, until the backup is done.
  const accepted = Object.fromEntries(names.map((n) => [n, []])); // ids in the order accepted
  const total = () => names.reduce((s, n) => s + accepted[n].length, 0);
  let posting = true;
  const posters = names.map(async (name) => {
    const c = await personClient(hub, t, h.people[name]);
    for (let i = 0; posting; i++) {
      const a = await c.request({ type: 'msg.post', household: h.id, client_msg_id: `${name}-${i}`, kind: 'text', text: `${name} ${i}` });
      assert.equal(a.type, 'msg.accepted', JSON.stringify(a));
      accepted[name].push(a.msg);
      await new Promise((r) => setTimeout(r, 60));
    }
  });
  while (total() < 30) await new Promise((r) => setTimeout(r, 10));
  const before = Object.fromEntries(names.map((n) => [n, accepted[n].length])); // must all be in it
  const file = path.join(dir, 'hub-backup.tar');
  const b = await adminAsync(hub.dataDir, 'backup', file, '--json');
  await new Promise((r) => setTimeout(r, 300));
  posting = false;
  await Promise.all(posters);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(JSON.parse(b.stdout), { ok: true, file, files: 1 });
  // The archive is a plain tar: hub.db, the photo, a note.
  const entries = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(entries.includes('hub.db') && entries.includes(`files/${hash.slice(0, 2)}/${hash}`) && entries.includes('BACKUP.txt'), entries.join(' '));

  // Restore into a new folder. The copy is one moment: for each sender, the first messages
  // accepted, in order, and at least all accepted before the backup began.
  const restored = path.join(dir, 'restored');
  const r = adminRaw(restored, 'restore', file, '--json');
  assert.equal(r.status, 0, r.stderr);
  const db = path.join(restored, 'hub.db');
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  const ids = sql(db, "SELECT id FROM messages WHERE kind='text' ORDER BY rowid").split('\n');
  for (const n of names) {
    const mine = sql(db, `SELECT id FROM messages WHERE sender='${h.people[n].id}' ORDER BY rowid`).split('\n').filter(Boolean);
    assert.ok(mine.length >= before[n], `${n}: restored ${mine.length}, accepted before the backup ${before[n]}`);
    assert.deepEqual(mine, accepted[n].slice(0, mine.length), `${n}: the first messages accepted, in order`);
  }

  // The restored hub delivers them all to the kiosk (its secret is in the backup) and serves the photo.
  const hub2 = await startHub(t, { dataDir: restored });
  const k = await kioskClient(hub2, t, kiosk);
  const delivered = [];
  for (let i = 0; i < ids.length; i++) {
    delivered.push((await k.next('msg.deliver', 10000)).msg);
    if (i % 100 === 99) k.send({ type: 'msg.ack', up_to: i + 1 });
  }
  assert.deepEqual(delivered.map((m) => m.id), ids);
  assert.ok(delivered.every((m) => /^(Anna|Jonas|Wenche) \d+$/.test(m.text)));
  const got = await httpsRequest(hub2, 'GET', `/api/files/${hash}?household=${h.id}`, { token: h.people.Anna.session });
  assert.equal(got.status, 200);
  assert.ok(got.body.equals(photo));

  // A second restore into the same (now full) folder is refused and changes nothing.
  const again = adminRaw(restored, 'restore', file, '--json');
  assert.equal(again.status, 1);
  assert.equal(JSON.parse(again.stdout).code, 'conflict');
});

test('a damaged backup is refused with a clear reason and leaves no folder behind', async (t) => {
  const dir = tempDir(t);
  const hub = await startHub(t);
  await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'message' }]);
  const file = path.join(dir, 'b.tar');
  assert.equal(adminRaw(hub.dataDir, 'backup', file).status, 0);
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(path.join(dir, 'cut.tar'), bytes.subarray(0, 4096));
  const cut = adminRaw(path.join(dir, 'r1'), 'restore', path.join(dir, 'cut.tar'), '--json');
  assert.equal(cut.status, 1);
  assert.match(JSON.parse(cut.stdout).message, /not a good archive/);
  assert.equal(fs.existsSync(path.join(dir, 'r1')), false);
  assert.equal(fs.existsSync(path.join(dir, 'r1.restoring')), false);
});

// Every file under dir that contains one of the byte strings.
function filesContaining(dir, needles) {
  const hits = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: false })) {
    const p = path.join(dir, entry);
    if (!fs.statSync(p).isFile()) continue;
    const data = fs.readFileSync(p);
    for (const n of needles) if (data.includes(n)) hits.push(`${entry} has ${JSON.stringify(n.toString().slice(0, 40))}`);
  }
  return hits;
}

test('export gives the household everything about it; delete then leaves nothing of it, and other households keep theirs', { timeout: 120000 }, async (t) => {
  const dir = tempDir(t);
  const hub = await startHub(t);
  const h = await household(t, hub, [
    { name: 'Annabelle Kvist', relationship: 'Daughter', rights: 'call,message,reminders' },
    { name: 'Karianne Moe', relationship: 'Home-care nurse', role: 'staff', rights: 'call,message' },
  ]);
  const other = admin(hub.dataDir, 'household', 'create', '--resident', 'Sigrid Other', '--language', 'sv');
  const olavInvite = admin(hub.dataDir, 'invite', '--household', other.household, '--name', 'Olav', '--relationship', 'Son', '--role', 'family', '--rights', 'message');
  const olav = { id: olavInvite.person, token: olavInvite.token };
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people['Annabelle Kvist']);
  const olavC = await personClient(hub, t, olav);
  const own = png(24, 16, [250, 10, 90]);
  const shared = png(8, 8, [1, 2, 3]);
  const ownHash = await upload(hub, h.id, h.people['Annabelle Kvist'].session, own);
  const sharedHash = await upload(hub, h.id, h.people['Annabelle Kvist'].session, shared);
  assert.equal(await upload(hub, other.household, olav.session, shared), sharedHash);
  const words = ['Blåbærsyltetøy på søndag', 'Hilsen fra hytta i Valdres'];
  for (const [i, text] of words.entries()) {
    const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: `e-${i}`, kind: 'text', text });
    assert.equal(a.type, 'msg.accepted');
  }
  await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'e-photo', kind: 'photo', file: ownHash, caption: 'Kattepusen Findus' });
  const doc = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'Spasertur langs elva', starts_at: 1795000000, rrule: 'FREQ=DAILY;BYHOUR=11' } });
  assert.equal(doc.rev, 1);
  await olavC.request({ type: 'msg.post', household: other.household, client_msg_id: 'o-1', kind: 'text', text: 'Olav was here' });

  assert.equal(admin(hub.dataDir, 'address', '--household', h.id, '--address', 'Elvegata 3, 2609 Lillehammer').ok, true);
  // Export: a plain tar anyone can open, with people, messages, photos and documents.
  const archive = path.join(dir, 'export.tar');
  const ex = adminRaw(hub.dataDir, 'export', h.id, '--output', archive, '--json');
  assert.equal(ex.status, 0, ex.stderr);
  const out = path.join(dir, 'export');
  fs.mkdirSync(out);
  execFileSync('tar', ['-xf', archive, '-C', out]);
  const hh = JSON.parse(fs.readFileSync(path.join(out, 'household.json'), 'utf8'));
  assert.equal(hh.resident, 'Ingebjørg');
  assert.equal(hh.address, 'Elvegata 3, 2609 Lillehammer', 'the pick-up address is hers too');
  assert.deepEqual(hh.people.map((p) => [p.name, p.relationship]).sort(), [['Annabelle Kvist', 'Daughter'], ['Karianne Moe', 'Home-care nurse']]);
  assert.equal(hh.kiosks.length, 1);
  assert.ok(!JSON.stringify(hh).includes('hash'), 'no hashed secrets');
  const msgs = JSON.parse(fs.readFileSync(path.join(out, 'messages.json'), 'utf8'));
  assert.deepEqual(msgs.filter((m) => m.kind === 'text').map((m) => m.text), words);
  const photoMsg = msgs.find((m) => m.kind === 'photo');
  assert.equal(photoMsg.caption, 'Kattepusen Findus');
  assert.ok(fs.readFileSync(path.join(out, photoMsg.file)).equals(own), 'the photo is in the export');
  assert.ok(fs.readFileSync(path.join(out, `files/${sharedHash}.png`)).equals(shared));
  const walk = JSON.parse(fs.readFileSync(path.join(out, 'documents/reminder/walk.json'), 'utf8'));
  assert.equal(walk.body.title, 'Spasertur langs elva');
  assert.ok(!fs.readFileSync(archive).includes('Olav was here'), 'nothing of the other household');
  assert.ok(fs.existsSync(path.join(out, 'README.txt')));

  // Delete while the hub runs: the household's kiosk and people are disconnected at once.
  const k = await kioskClient(hub, t, kiosk);
  assert.equal(adminRaw(hub.dataDir, 'delete', h.id, '--json').status, 1, 'delete needs --yes');
  const del = adminRaw(hub.dataDir, 'delete', h.id, '--yes', '--json');
  assert.equal(del.status, 0, del.stderr);
  assert.deepEqual(JSON.parse(del.stdout), { ok: true, removed_files: 1 });
  await k.waitClosed(5000);
  await anna.waitClosed(5000);
  assert.equal(admin(hub.dataDir, 'list').households.some((x) => x.id === h.id), false);
  assert.equal(JSON.parse(adminRaw(hub.dataDir, 'delete', h.id, '--yes', '--json').stdout).code, 'not_found');
  // The other household keeps its people, messages and the photo both had.
  const still = await httpsRequest(hub, 'GET', `/api/files/${sharedHash}?household=${other.household}`, { token: olav.session });
  assert.equal(still.status, 200);
  const posted = await olavC.request({ type: 'msg.post', household: other.household, client_msg_id: 'o-2', kind: 'text', text: 'still here' });
  assert.equal(posted.type, 'msg.accepted');

  // Nothing of it is left in any file of the data folder (database, its log, stored files).
  assert.equal(await stopHub(hub), 0);
  const needles = ['Ingebjørg', 'Annabelle Kvist', 'Karianne Moe', 'Home-care nurse', 'Kattepusen Findus', 'Spasertur langs elva', ...words]
    .map((s) => Buffer.from(s)).concat([own]);
  assert.deepEqual(filesContaining(hub.dataDir, needles), []);
  assert.equal(fs.existsSync(path.join(hub.dataDir, 'files', ownHash.slice(0, 2), ownHash)), false);
  assert.ok(filesContaining(hub.dataDir, [Buffer.from('Olav was here')]).length > 0, 'the check can see text in the database');
});
