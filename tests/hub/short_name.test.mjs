// The short name on the kiosk's home tile (issue #17): set by an admin or the person themself,
// carried in household.state to the kiosk; anyone else is forbidden, more than 20 characters
// out_of_range.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, household, pairKiosk, kioskClient, personClient } from './lib.mjs';

test('an admin sets a short name, the kiosk gets it, others may not, too long is refused', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,admin' },
    { name: 'Wenche', relationship: 'Visitor', rights: 'call' },
    { name: 'Bjørn', relationship: 'Son', rights: 'call' },
  ]);
  const k = await kioskClient(hub, t, await pairKiosk(hub, t, h));
  const anna = await personClient(hub, t, h.people.Anna);
  const wenche = await personClient(hub, t, h.people.Wenche);
  const bjorn = h.people['Bjørn'].id;

  const set = await anna.request({ type: 'household.set_short_name', household: h.id, person: bjorn, short_name: 'Bjørn' });
  assert.equal(set.type, 'ok', JSON.stringify(set));
  const pushed = await k.next((m) => m.type === 'household.state' && !m.re &&
    m.household.people.some((p) => p.id === bjorn && p.short_name === 'Bjørn'));
  assert.ok(pushed);
  const got = await k.request({ type: 'household.get', household: h.id });
  assert.equal(got.household.people.find((p) => p.id === bjorn).short_name, 'Bjørn');

  // not an admin, and not herself: forbidden, and nothing changes
  const other = await wenche.request({ type: 'household.set_short_name', household: h.id, person: bjorn, short_name: 'B' });
  assert.equal(other.type, 'error');
  assert.equal(other.code, 'forbidden', JSON.stringify(other));
  // her own is hers to set
  const own = await wenche.request({ type: 'household.set_short_name', household: h.id, person: h.people.Wenche.id, short_name: 'Wen' });
  assert.equal(own.type, 'ok', JSON.stringify(own));

  const long = await anna.request({ type: 'household.set_short_name', household: h.id, person: bjorn, short_name: 'x'.repeat(21) });
  assert.equal(long.code, 'out_of_range', JSON.stringify(long));
  const missing = await anna.request({ type: 'household.set_short_name', household: h.id, person: 'p_nobody', short_name: 'N' });
  assert.equal(missing.code, 'not_found', JSON.stringify(missing));

  const after = await k.request({ type: 'household.get', household: h.id });
  const people = Object.fromEntries(after.household.people.map((p) => [p.id, p]));
  assert.equal(people[bjorn].short_name, 'Bjørn');
  assert.equal(people[h.people.Wenche.id].short_name, 'Wen');

  // empty removes it; an invite may carry one
  const clear = await anna.request({ type: 'household.set_short_name', household: h.id, person: bjorn, short_name: '' });
  assert.equal(clear.type, 'ok');
  const inv = await anna.request({ type: 'household.invite', household: h.id, name: 'Margrethe Elisabeth', relationship: 'Niece', role: 'family', rights: ['call'], short_name: 'Maggi' });
  assert.equal(inv.type, 'household.invited', JSON.stringify(inv));
  const last = await k.request({ type: 'household.get', household: h.id });
  const lp = Object.fromEntries(last.household.people.map((p) => [p.id, p]));
  assert.equal('short_name' in lp[bjorn], false);
  assert.equal(lp[inv.person].short_name, 'Maggi');
});
