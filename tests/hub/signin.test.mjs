import test from 'node:test';
import assert from 'node:assert/strict';
import { startHub, household, pairKiosk, kioskClient, personClient } from './lib.mjs';

test('hello/welcome for kiosk and person', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin,status' }]);
  const kiosk = await pairKiosk(hub, t, h);
  const k = await kioskClient(hub, t, kiosk);
  assert.equal(k.welcome.role, 'kiosk');
  const p = await personClient(hub, t, h.people.Anna);
  assert.equal(p.welcome.role, 'person');
  assert.ok(p.welcome.session_token);
});
