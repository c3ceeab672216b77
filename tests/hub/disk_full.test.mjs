// A full disk: writes answer `storage_full` with a sentence (not `internal`), nothing accepted is
// lost, and a hub started on a nearly full file system runs instead of dying of SIGBUS in
// SQLite's shared-memory file. The file system is a small ext2 with 1 KiB blocks, loop-mounted
// (root, as CI runs): 1 KiB blocks under 4 KiB memory pages are what turned a sparse `-shm`
// file into a SIGBUS; tmpfs allocates whole pages and would not show it.
import test from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { startHub, stopHub, household, pairKiosk, kioskClient, personClient, jpegOf } from './lib.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
}

// A fresh ext2 file system of `mb` MiB with 1 KiB blocks, mounted for this test; null when this
// machine cannot (not root, no loop device): the test is then skipped, saying why.
function smallFileSystem(t, mb) {
  if (process.getuid() !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vindu-full-'));
  const image = path.join(dir, 'fs.img');
  const mnt = path.join(dir, 'mnt');
  fs.mkdirSync(mnt);
  fs.writeFileSync(image, Buffer.alloc(0));
  fs.truncateSync(image, mb * 1024 * 1024);
  try {
    run('mkfs.ext2', ['-q', '-F', '-b', '1024', '-m', '0', image]);
    run('mount', ['-o', 'loop', image, mnt]);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  t.after(() => { // lazily: the hub (stopped by a later hook) may still have it open
    spawnSync('umount', ['-l', mnt]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return mnt;
}

// Fill the file system with one file, then give back `leaveKiB`; returns the file's path.
function fill(mnt, leaveKiB = 0) {
  const file = path.join(mnt, 'filler');
  const fd = fs.openSync(file, 'a');
  for (const size of [65536, 1024]) {
    const chunk = Buffer.alloc(size, 0x5a);
    for (;;) {
      try { fs.writeSync(fd, chunk); } catch (e) { if (e.code === 'ENOSPC') break; throw e; }
    }
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  if (leaveKiB) fs.truncateSync(file, Math.max(0, fs.statSync(file).size - leaveKiB * 1024));
  return file;
}

function upload(hub, household, token, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}/api/files?household=${household}`, {
      method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: 'Bearer ' + token, 'Content-Length': body.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks) || '{}') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('on a full disk posts and uploads answer storage_full with a sentence; nothing accepted is lost', async (t) => {
  const mnt = smallFileSystem(t, 16);
  if (!mnt) return t.skip('needs root and a loop device to mount a small file system');
  const hub = await startHub(t, { dataDir: path.join(mnt, 'data') });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  const filler = fill(mnt);

  const accepted = [];
  const refusals = [];
  for (let i = 0; i < 60 && refusals.length < 3; i++) {
    const text = `${i} ` + crypto.randomBytes(1500).toString('hex');
    const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: `full-${i}`, kind: 'text', text });
    if (a.type === 'msg.accepted') accepted.push(text);
    else refusals.push(a);
  }
  assert.ok(refusals.length > 0, 'a full disk refused no post');
  for (const r of refusals) {
    assert.equal(r.type, 'error');
    assert.equal(r.code, 'storage_full', JSON.stringify(r));
    assert.match(r.message, /no room left on its disk/);
  }
  const up = await upload(hub, h.id, h.people.Anna.session, jpegOf(640, 480, 200000));
  assert.equal(up.status, 507, JSON.stringify(up.body));
  assert.equal(up.body.code, 'storage_full');
  assert.match(up.body.message, /no room left on its disk/);
  const incoming = path.join(mnt, 'data', 'files', 'incoming');
  assert.deepEqual(fs.existsSync(incoming) ? fs.readdirSync(incoming) : [], [], 'a partial upload was left');

  // With room again, the same hub stores the next post; the kiosk gets every accepted text, once.
  fs.rmSync(filler);
  const later = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'after', kind: 'text', text: 'Room again' });
  assert.equal(later.type, 'msg.accepted', JSON.stringify(later));
  accepted.push('Room again');
  const k = await kioskClient(hub, t, kiosk);
  const got = [];
  while (got.length < accepted.length) got.push((await k.next('msg.deliver')).msg.text);
  assert.deepEqual(got, accepted);
  await k.none('msg.deliver');
});

test('a hub restarted on a nearly full disk starts, serves, and says storage_full to writes', async (t) => {
  const mnt = smallFileSystem(t, 8);
  if (!mnt) return t.skip('needs root and a loop device to mount a small file system');
  const dataDir = path.join(mnt, 'data');
  const first = await startHub(t, { dataDir });
  const h = await household(t, first, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const anna1 = await personClient(first, t, h.people.Anna);
  const a = await anna1.request({ type: 'msg.post', household: h.id, client_msg_id: 'before', kind: 'text', text: 'Before' });
  assert.equal(a.type, 'msg.accepted');
  anna1.close();
  assert.equal(await stopHub(first), 0);

  // 40 KiB left: enough for SQLite to make its -shm file sparse, too little to fill its pages.
  const filler = fill(mnt, 40);
  const hub = await startHub(t, { dataDir });
  assert.match(hub.stderr(), /less than 4 MB free/);
  const anna = await personClient(hub, t, h.people.Anna);
  const answers = [];
  for (let i = 0; i < 20; i++) {
    const r = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: `n-${i}`, kind: 'text', text: crypto.randomBytes(1900).toString('hex') });
    answers.push(r.type === 'error' ? r.code : r.type);
  }
  assert.ok(answers.includes('storage_full'), answers.join());
  assert.deepEqual(answers.filter((x) => x !== 'storage_full' && x !== 'msg.accepted'), []);
  assert.equal(hub.child.exitCode, null, 'the hub died');
  assert.equal(hub.child.signalCode, null, 'the hub died of a signal');
  fs.rmSync(filler);
});
