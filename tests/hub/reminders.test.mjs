// Reminders not confirmed, told on the hub: a reminder that names someone to tell, not answered
// "done" tell_after_minutes after it was due, reaches that person as reminder.escalated (with the
// screen's offline time when it is offline), once; a reminder answered "done" first is never
// escalated; the notice is given again at the person's next sign-in.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, household, pairKiosk, kioskClient, personClient } from './lib.mjs';

const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const pluginsDir = path.join(sourceDir, 'plugins');

test('not confirmed after its minutes: the chosen person is told once; done first: nobody', async (t) => {
  const hub = await startHub(t, { args: ['--plugins-dir', pluginsDir] });
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,reminders' },
    { name: 'Kari', relationship: 'Niece', rights: 'call,message' },
  ]);
  const kioskId = await pairKiosk(hub, t, h);
  const kiosk = await kioskClient(hub, t, kioskId);
  const anna = await personClient(hub, t, h.people.Anna);
  const kari = await personClient(hub, t, h.people.Kari);
  const due = Math.floor(Date.now() / 1000) + 2;
  const body = (title) => ({ title, starts_at: due, time_zone: 'Europe/Oslo', tell: h.people.Kari.id, tell_after_minutes: 1 });
  for (const [doc, title] of [['pills', 'Heart pills'], ['walk', 'Walk']]) {
    const r = await anna.request({ type: 'doc.put', household: h.id, kind: 'reminder', doc, base_rev: 0, body: body(title) });
    assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  }
  // the screen says "done" for the walk, then goes offline
  const done = await kiosk.request({ type: 'plugin.answer', household: h.id, answer: 'k-done-1', kind: 'reminder', doc: 'walk', rev: 1, body: { state: 'done', at: due + 5, due } });
  assert.equal(done.type, 'plugin.answer.accepted', JSON.stringify(done));
  kiosk.close();
  const told = await kari.next((m) => m.type === 'reminder.escalated', 120000);
  assert.equal(told.doc, 'pills');
  assert.equal(told.household, h.id);
  assert.equal(told.title, 'Heart pills');
  assert.equal(told.resident, 'Ingebjørg');
  assert.equal(told.due, due);
  assert.ok(told.kiosk_offline_since > 0 && told.kiosk_offline_since <= told.at, JSON.stringify(told));
  assert.ok(told.at >= due + 60, 'told only after its minutes');
  // not again, and nothing for the walk (checks run every 5 s)
  await kari.none((m) => m.type === 'reminder.escalated', 12000);
  await anna.none((m) => m.type === 'reminder.escalated', 10);
  // told again at the next sign-in
  kari.close();
  const again = await personClient(hub, t, h.people.Kari);
  const pending = await again.next((m) => m.type === 'reminder.escalated', 10000);
  assert.equal(pending.doc, 'pills');
  await again.none((m) => m.type === 'reminder.escalated' && m.doc === 'walk', 1000);
});
