// The kiosk's helpers' settings: a paired kiosk sets its own household's quiet hours and records
// (or withdraws) the resident's consent to auto-answer; never another household's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, household, pairKiosk, kioskClient, personClient } from './lib.mjs';

test('a kiosk sets its own household quiet hours and consent, not another household', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,auto_answer,admin' }]);
  const other = await household(t, hub, [{ name: 'Olav', relationship: 'Son', rights: 'call,auto_answer,admin' }]);
  const k = await kioskClient(hub, t, await pairKiosk(hub, t, h));
  const anna = await personClient(hub, t, h.people.Anna);
  const anna0 = await anna.request({ type: 'household.get', household: h.id });
  assert.equal(anna0.household.quiet_hours, null);

  const q = await k.request({ type: 'household.set_quiet_hours', household: h.id, quiet_hours: { start: '21:30', end: '08:00' } });
  assert.equal(q.type, 'ok', JSON.stringify(q));
  const state = await anna.next((m) => m.type === 'household.state' && !m.re && m.household.quiet_hours);
  assert.deepEqual(state.household.quiet_hours, { start: '21:30', end: '08:00' });

  const c = await k.request({ type: 'household.consent', household: h.id, person: h.people.Anna.id, auto_answer: true, agreed_by: 'Ingebjørg' });
  assert.equal(c.type, 'ok', JSON.stringify(c));
  const after = await anna.request({ type: 'household.get', household: h.id });
  const a = after.household.people.find((p) => p.id === h.people.Anna.id);
  assert.equal(a.auto_answer_consent.agreed_by, 'Ingebjørg');
  assert.equal(a.auto_answer_consent.recorded_by, k.welcome.self.id);

  const w = await k.request({ type: 'household.consent', household: h.id, person: h.people.Anna.id, auto_answer: false });
  assert.equal(w.type, 'ok', JSON.stringify(w));
  const withdrawn = await anna.request({ type: 'household.get', household: h.id });
  assert.equal(withdrawn.household.people.find((p) => p.id === h.people.Anna.id).auto_answer_consent, null);

  const none = await k.request({ type: 'household.set_quiet_hours', household: h.id, quiet_hours: null });
  assert.equal(none.type, 'ok');
  assert.equal((await anna.request({ type: 'household.get', household: h.id })).household.quiet_hours, null);

  // another household: as if it did not exist, and nothing changes there
  const e1 = await k.request({ type: 'household.set_quiet_hours', household: other.id, quiet_hours: { start: '20:00', end: '09:00' } });
  assert.equal(e1.code, 'not_found');
  const e2 = await k.request({ type: 'household.consent', household: other.id, person: other.people.Olav.id, auto_answer: true, agreed_by: 'Ingebjørg' });
  assert.equal(e2.code, 'not_found');
  const olav = await personClient(hub, t, other.people.Olav);
  const os = await olav.request({ type: 'household.get', household: other.id });
  assert.equal(os.household.quiet_hours, null);
  assert.equal(os.household.people[0].auto_answer_consent, null);
});
