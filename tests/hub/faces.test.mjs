// Faces: a person sets the photo on their own kiosk tile, an admin sets anyone's; the kiosk gets
// it in household.state (and may fetch the file, also a kiosk of the person's other household);
// a photo not in the household, one too large for a face, or someone else's tile without admin
// is refused with a code and changes nothing; "" removes it.
import test from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startHub, household, pairKiosk, kioskClient, personClient, jpegOf } from './lib.mjs';

function post(hub, path, token, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(hub.url + path, { method: 'POST', rejectUnauthorized: false,
      headers: { Authorization: 'Bearer ' + token, 'Content-Length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(hub, path, auth) {
  return new Promise((resolve, reject) => {
    https.get(hub.url + path, { rejectUnauthorized: false, headers: { Authorization: 'Bearer ' + auth } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

async function upload(hub, h, person, bytes) {
  const r = await post(hub, `/api/files?household=${h.id}`, person.session, bytes);
  assert.equal(r.status, 201, r.body.toString());
  return JSON.parse(r.body).file;
}

const photoOf = (state, id) => state.household.people.find((p) => p.id === id).photo;

test('a person sets their own face, an admin anyone\'s; the kiosk gets it', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [
    { name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' },
    { name: 'Nils', relationship: 'Son', rights: 'call,message' },
  ]);
  const kiosk = await pairKiosk(hub, t, h);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  const nils = await personClient(hub, t, h.people.Nils);
  const face = await upload(hub, h, h.people.Nils, jpegOf(512, 512));

  const set = await nils.request({ type: 'household.set_photo', household: h.id, person: h.people.Nils.id, photo: face });
  assert.equal(set.type, 'ok', JSON.stringify(set));
  const pushed = await k.next((m) => m.type === 'household.state' && !m.re && photoOf(m, h.people.Nils.id) === face);
  assert.equal(photoOf(pushed, h.people.Nils.id), face);
  assert.equal(await get(hub, `/api/files/${face}?household=${h.id}`, `${kiosk.id}:${kiosk.secret}`), 200);

  // Nils may not set Anna's; Anna (admin) may set Nils's, and remove it
  assert.equal((await nils.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: face })).code, 'forbidden');
  const other = await upload(hub, h, h.people.Anna, jpegOf(400, 400));
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Nils.id, photo: other })).type, 'ok');
  let state = await k.request({ type: 'household.get', household: h.id });
  assert.equal(photoOf(state, h.people.Nils.id), other);
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Nils.id, photo: '' })).type, 'ok');
  state = await k.request({ type: 'household.get', household: h.id });
  assert.equal(photoOf(state, h.people.Nils.id), undefined);
});

test('a face too large, not a photo of the household, or not a hash is refused; nothing changes', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,admin' }]);
  const elsewhere = await household(t, hub, [{ name: 'Olav', relationship: 'Son', rights: 'message' }]);
  const kiosk = await pairKiosk(hub, t, h);
  const k = await kioskClient(hub, t, kiosk);
  const anna = await personClient(hub, t, h.people.Anna);
  await personClient(hub, t, elsewhere.people.Olav);
  const small = await upload(hub, h, h.people.Anna, jpegOf(300, 300));
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: small })).type, 'ok');

  const huge = await upload(hub, h, h.people.Anna, jpegOf(4000, 3000));
  const big = await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: huge });
  assert.equal(big.code, 'too_large');
  assert.equal(big.field, 'photo');
  const heavy = await upload(hub, h, h.people.Anna, jpegOf(1000, 1000, 3 * 1024 * 1024));
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: heavy })).code, 'too_large');
  const theirs = await upload(hub, elsewhere, elsewhere.people.Olav, jpegOf(300, 300));
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: theirs })).code, 'not_found');
  assert.equal((await anna.request({ type: 'household.set_photo', household: h.id, person: h.people.Anna.id, photo: 'cat.jpg' })).code, 'bad_format');
  const state = await k.request({ type: 'household.get', household: h.id });
  assert.equal(photoOf(state, h.people.Anna.id), small, 'the face set before is kept');
});
