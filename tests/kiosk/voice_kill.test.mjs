// A voice reply and the kiosk killed (SIGKILL, as a power cut stops it): killed right at "Stop and
// send", the reply still reaches the person after a restart, once; killed while recording, the
// resident is told after the restart, with the name, and nothing half-made is sent or left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { startHub, household, personClient, tempDir } from '../hub/lib.mjs';
import { Kiosk } from './kiosk_process.mjs';

function getFile(hub, h, person, hash) {
  return new Promise((resolve, reject) => {
    https.get(`${hub.url}/api/files/${hash}?household=${h.id}`,
      { headers: { Authorization: 'Bearer ' + person.session }, rejectUnauthorized: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      }).on('error', reject);
  });
}

// A paired kiosk with one message from Anna, the messages screen open.
async function kioskWithMessage(t) {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const dataDir = path.join(tempDir(t), 'k');
  const k = new Kiosk(t, hub, dataDir, h.code);
  await k.until((x) => x.connected === '1' && x.people === '1');
  const anna = await personClient(hub, t, h.people.Anna);
  await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'ask-1', kind: 'text', text: 'How are the tomatoes?' });
  await k.until((x) => x.messages === '1');
  k.send('touch messages');
  await k.line(/^vindu-kiosk: state messages-text$/);
  return { hub, h, dataDir, k, anna };
}

async function record(k, ms) {
  const from = k.lines.length;
  k.send('touch record-reply');
  await k.line(/^vindu-kiosk: state recording$/, 15000, from);
  await new Promise((r) => setTimeout(r, ms));
}

function kill(k) {
  k.child.kill('SIGKILL');
  return k.exited;
}

function recordings(dataDir) {
  const dir = path.join(dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

test('killed right at Stop and send: after a restart the reply reaches the person, once', { timeout: 180000 }, async (t) => {
  const { hub, h, dataDir, k, anna } = await kioskWithMessage(t);
  await record(k, 2500);
  // What was said is on disk while recording goes on, not held in a buffer a power cut loses.
  const [file] = recordings(dataDir);
  assert.ok(file, 'a recording is being made');
  const onDisk = fs.statSync(path.join(dataDir, 'outbox', file)).size;
  assert.ok(onDisk >= 2000, `${onDisk} bytes of a 2.5 s recording on disk`);
  // The kiosk is killed as soon as it has taken the touch: its screen changes at once, the
  // encoder drains after that.
  const from = k.lines.length;
  k.send('touch stop-send');
  await k.line(/^vindu-kiosk: state messages/, 15000, from);
  assert.equal(await kill(k), 'SIGKILL');
  const again = new Kiosk(t, hub, dataDir, null);
  await again.until((x) => x.connected === '1' && x.outbox === '0', 60000);
  const d = await anna.next((m) => m.type === 'msg.deliver' && m.msg.kind === 'voice', 20000);
  anna.send({ type: 'msg.ack', up_to: d.seq });
  assert.ok(d.msg.duration_ms >= 1000 && d.msg.duration_ms <= 4000, `duration ${d.msg.duration_ms} ms`);
  const f = await getFile(hub, h, h.people.Anna, d.msg.file);
  assert.equal(f.status, 200);
  assert.equal(f.body.subarray(0, 4).toString('latin1'), 'OggS');
  await anna.none((m) => m.type === 'msg.deliver', 2000);
  assert.deepEqual(recordings(dataDir), [], 'the sent recording is not left behind');
  assert.doesNotMatch(again.lines.join('\n'), /state messages-notice/, 'nothing was lost: nothing to tell');
  await again.stop();
});

test('killed while recording: after a restart the resident is told, by name, and nothing is sent', { timeout: 180000 }, async (t) => {
  const { hub, dataDir, k, anna } = await kioskWithMessage(t);
  await record(k, 2000);
  assert.ok(recordings(dataDir).length === 1, 'a recording is being made');
  assert.equal(await kill(k), 'SIGKILL');
  const again = new Kiosk(t, hub, dataDir, null);
  await again.line(/^vindu-kiosk: state messages-notice$/, 30000);
  const at = again.lines.length;
  again.send('describe');
  const screen = JSON.parse((await again.line(/^vindu-kiosk: describe /, 10000, at)).replace('vindu-kiosk: describe ', ''));
  const notice = screen.widgets.find((w) => w.name === 'notice');
  assert.ok(notice, 'a notice on the messages screen');
  assert.match(notice.text, /Anna/);
  assert.match(notice.text, /avbrutt før den ble sendt/);
  await again.until((x) => x.connected === '1' && x.outbox === '0', 60000);
  await anna.none((m) => m.type === 'msg.deliver' && m.msg.kind === 'voice', 3000);
  assert.deepEqual(recordings(dataDir), [], 'the half-made recording is removed');
  await again.stop();
});
