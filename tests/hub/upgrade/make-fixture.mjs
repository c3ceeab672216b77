// Makes the database of the previous release that hub-upgrade upgrades. Run ONCE with the hub
// of that release (it is committed; re-running makes new ids and secrets):
//   VINDU_HUB=<previous release build>/hub/vindu-hub node tests/hub/upgrade/make-fixture.mjs DIR
// DIR gets hub.db, files/ and facts.json (ids, secrets and contents the test expects back).
import fs from 'node:fs';
import path from 'node:path';
import { startHub, stopHub, household, pairKiosk, kioskClient, personClient } from '../lib.mjs';
import { png, upload } from '../data_lib.mjs';

const out = process.argv[2];
if (!out) throw new Error('usage: make-fixture.mjs DIR');
const cleanups = [];
const t = { after: (f) => cleanups.push(f) };
const dataDir = fs.mkdtempSync('/tmp/vindu-fixture-');
const hub = await startHub(t, { dataDir });
const version = (await import('node:child_process')).spawnSync(process.env.VINDU_HUB, ['--version'], { encoding: 'utf8' }).stdout.trim();
const h = await household(t, hub, [
  { name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders,memory_book' },
  { name: 'Kari', relationship: 'Home-care nurse', role: 'staff', rights: 'call,message,status' },
]);
const kiosk = await pairKiosk(hub, t, h);
const anna = await personClient(hub, t, h.people.Anna);
const k = await kioskClient(hub, t, kiosk);
const texts = ['Good morning, Mum!', 'We come on Sunday.', 'Jonas scored a goal.'];
const messages = [];
for (const [i, text] of texts.entries()) {
  const a = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: `fx-${i}`, kind: 'text', text });
  messages.push({ id: a.msg, text });
}
const photo = png(16, 12, [200, 120, 40]);
const hash = await upload(hub, h.id, h.people.Anna.session, photo);
const p = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'fx-photo', kind: 'photo', file: hash, caption: 'The garden' });
messages.push({ id: p.msg, caption: 'The garden', file: hash });
for (let i = 0; i < messages.length; i++) await k.next('msg.deliver');
k.send({ type: 'msg.ack', up_to: 2 }); // two acknowledged, two still waiting for the kiosk
const doc = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc: 'walk', base_rev: 0, body: { title: 'Time for your walk', rrule: 'FREQ=DAILY;BYHOUR=11' } });
if (doc.type === 'error') throw new Error('doc.put ' + JSON.stringify(doc));
await new Promise((r) => setTimeout(r, 300));
await stopHub(hub);
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(path.join(dataDir, 'hub.db'), path.join(out, 'hub.db'));
fs.cpSync(path.join(dataDir, 'files'), path.join(out, 'files'), { recursive: true });
const facts = {
  made_by: version, household: h.id, resident: 'Ingebjørg', kiosk, anna: { id: h.people.Anna.id, session: h.people.Anna.session },
  kari: { id: h.people.Kari.id }, messages, acked_up_to: 2, reminder: { doc: 'walk', title: 'Time for your walk' },
};
fs.writeFileSync(path.join(out, 'facts.json'), JSON.stringify(facts, null, 2) + '\n');
fs.rmSync(dataDir, { recursive: true, force: true });
console.log('fixture written to', out, 'by', version);
process.exit(0);
