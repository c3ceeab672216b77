// doc.put_many: a coordinator who serves several households (joined to each with `admin join`)
// writes one activity into all of them at once; all or nothing, rights checked per household.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, household, admin, pairKiosk, kioskClient, personClient } from './lib.mjs';

const sourceDir = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const AT = 1797091200;
const BODY = { title: 'Christmas choir', place: 'Day centre', starts_at: AT };

// Kari coordinates: `activities` in Ingebjørg's and Arne's households, none in Sigrid's.
async function setup(t) {
  const hub = await startHub(t, { args: ['--plugins-dir', path.join(sourceDir, 'plugins')] });
  const a = await household(t, hub, [
    { name: 'Kari', relationship: 'Coordinator', role: 'coordinator', rights: 'call,activities' },
    { name: 'Olav', relationship: 'Grandson', rights: 'call,message' },
  ]);
  const b = await household(t, hub, []);
  const c = await household(t, hub, []);
  const kari = a.people.Kari;
  const join = (h, rights) => admin(hub.dataDir, 'join', '--household', h.id, '--person', kari.id,
    '--relationship', 'Coordinator', '--role', 'coordinator', '--rights', rights);
  assert.equal(join(b, 'call,activities').ok, true);
  assert.equal(join(c, 'call').ok, true);
  const kiosks = [await pairKiosk(hub, t, a), await pairKiosk(hub, t, b), await pairKiosk(hub, t, c)];
  return { hub, homes: [a, b, c], kari, kiosks };
}

const putMany = (client, homes, body, doc = 'choir', base = 0, extra = {}) => client.request({
  type: 'doc.put_many', kind: 'activity', doc, body, ...extra,
  targets: homes.map((h) => ({ household: h.id, base_rev: base })),
});

const list = async (client, h) => (await client.request({ type: 'doc.list', household: h.id, kind: 'activity' })).items;

test('admin join: an existing person joins one more household; twice or unknown is refused', async (t) => {
  const { hub, homes, kari } = await setup(t);
  const k = await personClient(hub, t, kari);
  assert.deepEqual(k.welcome.households.map((m) => m.id).sort(), homes.map((h) => h.id).sort());
  const again = admin(hub.dataDir, 'join', '--household', homes[1].id, '--person', kari.id,
    '--relationship', 'Coordinator', '--role', 'coordinator', '--rights', 'call');
  assert.equal(again.ok, false);
  const nobody = admin(hub.dataDir, 'join', '--household', homes[1].id, '--person', 'p_nobody',
    '--relationship', 'Friend', '--role', 'family', '--rights', 'call');
  assert.equal(nobody.ok, false);
});

test('doc.put_many: one request writes the activity into each household and each kiosk gets it', async (t) => {
  const { hub, homes, kari, kiosks } = await setup(t);
  const k = await personClient(hub, t, kari);
  const ok = await putMany(k, homes.slice(0, 2), BODY);
  assert.equal(ok.type, 'doc.accepted_many', JSON.stringify(ok));
  assert.deepEqual(ok.revs, [{ household: homes[0].id, rev: 1 }, { household: homes[1].id, rev: 1 }]);
  for (let i = 0; i < 2; i++) {
    const kc = await kioskClient(hub, t, kiosks[i]);
    const d = await kc.next('doc.deliver');
    assert.equal(d.household, homes[i].id);
    assert.equal(d.body.title, 'Christmas choir');
    assert.equal(d.rev, 1);
  }
  // A change of time reaches both, each from its own revision.
  const moved = await putMany(k, homes.slice(0, 2), { ...BODY, starts_at: AT + 3600 }, 'choir', 1);
  assert.equal(moved.type, 'doc.accepted_many', JSON.stringify(moved));
  for (const h of homes.slice(0, 2)) assert.equal((await list(k, h))[0].body.starts_at, AT + 3600);
});

test('doc.put_many: all or nothing — a household without the right, a stale revision, a twice-named household', async (t) => {
  const { hub, homes, kari } = await setup(t);
  const k = await personClient(hub, t, kari);
  const forbidden = await putMany(k, homes, BODY);
  assert.equal(forbidden.code, 'forbidden', JSON.stringify(forbidden));
  assert.equal(forbidden.field, 'targets[2].household');
  for (const h of homes.slice(0, 2)) assert.deepEqual(await list(k, h), [], 'nothing written anywhere');

  const unknown = await k.request({ type: 'doc.put_many', kind: 'activity', doc: 'choir', body: BODY,
    targets: [{ household: homes[0].id, base_rev: 0 }, { household: 'h_nowhere', base_rev: 0 }] });
  assert.equal(unknown.code, 'not_found');
  assert.equal(unknown.field, 'targets[1].household');

  const twice = await k.request({ type: 'doc.put_many', kind: 'activity', doc: 'choir', body: BODY,
    targets: [{ household: homes[0].id, base_rev: 0 }, { household: homes[0].id, base_rev: 0 }] });
  assert.equal(twice.code, 'out_of_range');

  const bad = await putMany(k, homes.slice(0, 2), { place: 'Day centre', starts_at: AT });
  assert.equal(bad.code, 'missing_field');
  assert.equal(bad.field, 'title');

  // Written in the first household alone, then both at base 0: the second is current, the first
  // is not — conflict, and the second household still has nothing.
  const one = await k.request({ type: 'doc.put', household: homes[0].id, kind: 'activity', doc: 'choir', base_rev: 0, body: BODY });
  assert.equal(one.type, 'doc.accepted');
  const stale = await putMany(k, [homes[1], homes[0]], BODY);
  assert.equal(stale.code, 'conflict', JSON.stringify(stale));
  assert.equal(stale.field, 'targets[1].base_rev');
  assert.deepEqual(await list(k, homes[1]), [], 'the first target was rolled back');
  assert.equal((await list(k, homes[0]))[0].rev, 1);
});

test('doc.put_many: a kiosk may not send it; at most 50 households', async (t) => {
  const { hub, homes, kari, kiosks } = await setup(t);
  const kc = await kioskClient(hub, t, kiosks[0]);
  const r = await putMany(kc, homes.slice(0, 1), BODY);
  assert.equal(r.code, 'forbidden');
  const k = await personClient(hub, t, kari);
  const many = Array.from({ length: 51 }, (_, i) => ({ id: `h_x${i}` }));
  const over = await putMany(k, many, BODY);
  assert.equal(over.code, 'out_of_range', JSON.stringify(over));
  assert.deepEqual(await list(k, homes[0]), []);
});

test('admin address: the pick-up address is in household.state for activities and admin, not for others', async (t) => {
  const { hub, homes, kari } = await setup(t);
  const set = admin(hub.dataDir, 'address', '--household', homes[0].id, '--address', 'Storgata 1, 0155 Oslo');
  assert.equal(set.ok, true, JSON.stringify(set));
  const tooLong = admin(hub.dataDir, 'address', '--household', homes[0].id, '--address', 'x'.repeat(121));
  assert.equal(tooLong.code, 'out_of_range');
  assert.equal(admin(hub.dataDir, 'address', '--household', 'h_nowhere', '--address', 'Somewhere 2').ok, false);
  const stateOf = async (c, h) => (await c.request({ type: 'household.get', household: h.id })).household;
  const k = await personClient(hub, t, kari);
  assert.equal((await stateOf(k, homes[0])).address, 'Storgata 1, 0155 Oslo');
  assert.equal((await stateOf(k, homes[1])).address, undefined, 'none set there');
  const olav = await personClient(hub, t, homes[0].people.Olav);
  assert.equal((await stateOf(olav, homes[0])).address, undefined, 'no activities right, no address');
  assert.equal(admin(hub.dataDir, 'address', '--household', homes[0].id, '--none').ok, true);
  assert.equal((await stateOf(k, homes[0])).address, undefined);
});
