// Quotas per person and per household: whoever passes one gets its code; others are unaffected.
// The quotas are lowered through the config file.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startHub, tempDir, household, personClient, jpegOf } from './lib.mjs';

async function quotaHub(t, limits) {
  const dir = tempDir(t);
  const conf = path.join(dir, 'hub.conf');
  fs.writeFileSync(conf, '[limits]\n' + Object.entries(limits).map(([k, v]) => `${k}=${v}\n`).join(''));
  return startHub(t, { dataDir: path.join(dir, 'data'), args: ['--config', conf] });
}

function upload(hub, h, person, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}/api/files?household=${h.id}`, {
      method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: 'Bearer ' + person.session, 'Content-Length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Before: no quota at all (one person: 4,725 messages in 11 s, 200 × 1 MB photos, 300 documents).
test('a person over a quota gets its code while others are unaffected', async (t) => {
  const hub = await quotaHub(t, { person_messages_per_minute: 5, person_documents: 3, person_stored_mb: 1 });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders' },
    { name: 'Ola', relationship: 'Son', rights: 'call,message,reminders' },
  ]);
  const anna = await personClient(hub, t, h.people.Anna);
  const ola = await personClient(hub, t, h.people.Ola);
  const post = (c, n) => c.request({ type: 'msg.post', household: h.id, client_msg_id: `m${n}`, kind: 'text', text: `hello ${n}` });

  // messages per minute
  for (let i = 0; i < 5; i++) assert.equal((await post(anna, i)).type, 'msg.accepted');
  const over = await post(anna, 5);
  assert.deepEqual({ code: over.code, message: over.message }, { code: 'quota_messages',
    message: 'You have sent many messages in the last minute; wait a minute and send again.' });
  assert.equal((await post(ola, 0)).type, 'msg.accepted');

  // documents kept: new ones count, a new revision of a kept one does not
  const put = (c, doc, base_rev = 0) => c.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc, base_rev, body: { title: doc, starts_at: 1795000000 } });
  for (const d of ['a', 'b', 'c']) assert.equal((await put(anna, d)).type, 'doc.accepted');
  const fourth = await put(anna, 'd');
  assert.equal(fourth.code, 'quota_documents');
  assert.match(fourth.message, /as many reminders, pages and plans here as one person may/);
  assert.equal((await put(anna, 'a', 1)).type, 'doc.accepted');
  assert.equal((await put(ola, 'e')).type, 'doc.accepted');

  // bytes stored (1 MB each here)
  assert.equal((await upload(hub, h, h.people.Anna, jpegOf(640, 480, 600000))).status, 201);
  const full = await upload(hub, h, h.people.Anna, jpegOf(640, 480, 600000));
  assert.equal(full.status, 413);
  assert.equal(full.body.code, 'quota_storage');
  assert.equal((await upload(hub, h, h.people.Ola, jpegOf(640, 480, 600000))).status, 201);
});

test('a household over its message quota: every sender waits, other households do not', async (t) => {
  const hub = await quotaHub(t, { household_messages_per_minute: 4 });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'message' },
    { name: 'Ola', relationship: 'Son', rights: 'message' }]);
  const other = await household(t, hub, [{ name: 'Kari', relationship: 'Friend', rights: 'message' }]);
  const anna = await personClient(hub, t, h.people.Anna);
  const ola = await personClient(hub, t, h.people.Ola);
  const kari = await personClient(hub, t, other.people.Kari);
  const post = (c, hid, n) => c.request({ type: 'msg.post', household: hid, client_msg_id: `q${n}`, kind: 'text', text: 'hi' });
  for (let i = 0; i < 2; i++) assert.equal((await post(anna, h.id, i)).type, 'msg.accepted');
  for (let i = 2; i < 4; i++) assert.equal((await post(ola, h.id, i)).type, 'msg.accepted');
  assert.equal((await post(ola, h.id, 4)).code, 'quota_messages');
  assert.equal((await post(kari, other.id, 0)).type, 'msg.accepted');
});
