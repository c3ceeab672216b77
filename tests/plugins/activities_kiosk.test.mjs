// Activity invitations end to end: a real hub, two headless kiosks running the real activities
// plugin in its runner. Each household's coordinator posts the same invitation; each kiosk shows
// the card and reads it (the kiosk's speech counter); one answers yes with a ride, one no; the
// coordinator receives both answers from the hub; the hour-before reminder comes by the kiosk's
// clock (--control clock-advance); a new time and a cancellation reach the kiosk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHub, household, personClient, tempDir } from '../hub/lib.mjs';
import { Kiosk } from '../kiosk/kiosk_process.mjs';

const PLUGIN_DIR = process.env.VINDU_PLUGIN_DIR;
if (!PLUGIN_DIR) throw new Error('set VINDU_PLUGIN_DIR');

const nowS = () => Math.floor(Date.now() / 1000);

async function home(t, hub, name) {
  const h = await household(t, hub, [{ name: 'Wenche', relationship: 'Coordinator', role: 'coordinator', rights: 'call,activities' }]);
  const k = new Kiosk(t, hub, path.join(tempDir(t), name), h.code, ['--plugins-dir', PLUGIN_DIR]);
  await k.until((s) => s.connected === '1' && s.paired === '1', 90000);
  await k.until((s) => s.plugins && s.plugins.split('/')[0] === s.plugins.split('/')[1] && s.plugins !== '0/0', 90000);
  const wenche = await personClient(hub, t, h.people.Wenche);
  return { h, k, wenche };
}

test('an invitation reaches two kiosks as a card read aloud; yes with a ride and no come back; reminder, new time, cancellation', async (t) => {
  const hub = await startHub(t);
  const a = await home(t, hub, 'a');
  const b = await home(t, hub, 'b');
  const start = nowS() + 3 * 3600;
  const body = (home, extra = {}) => ({
    title: 'Kaffe', place: 'Dagsenteret', address: 'Storgata 1', starts_at: start, ends_at: start + 7200,
    invited_by_name: 'Wenche', invited_by: home.h.people.Wenche.id, ride_offered: true, ride_by: 'Wenche',
    pickup_at: start - 1200, ...extra,
  });
  for (const home of [a, b]) {
    const r = await home.wenche.request({ type: 'doc.put', household: home.h.id, kind: 'activity', doc: 'coffee', base_rev: 0, body: body(home) });
    assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  }
  for (const home of [a, b]) {
    const s = await home.k.until((st) => st.card === 'invite:coffee', 60000);
    assert.ok(Number(s.said) >= 1, 'the card was read aloud');
  }
  a.k.send('touch card:yes');
  await a.k.until((st) => st.card === 'ride:coffee', 30000);
  a.k.send('touch card:ride-yes');
  await a.k.until((st) => st.card === 'confirm:coffee' && st.answers_queued === '1', 30000);
  b.k.send('touch card:no');
  await b.k.until((st) => st.card === 'confirm:coffee' && st.answers_queued === '1', 30000);
  const got = await a.wenche.next((m) => m.type === 'doc.answer' && m.doc === 'coffee', 30000);
  assert.equal(got.body.reply, 'yes');
  assert.equal(got.body.ride, true);
  const gotB = await b.wenche.next((m) => m.type === 'doc.answer' && m.doc === 'coffee', 30000);
  assert.equal(gotB.body.reply, 'no');
  a.k.send('touch card-close');
  await a.k.until((st) => st.card === '-', 30000);

  // the hour before, by the kiosk's clock
  a.k.send(`clock-advance ${2 * 3600 + 60}`);
  await a.k.until((st) => st.card === 'remind:coffee', 60000);
  a.k.send('touch card-close');
  await a.k.until((st) => st.card === '-', 30000);

  // a new time, then a cancellation
  let r = await a.wenche.request({ type: 'doc.put', household: a.h.id, kind: 'activity', doc: 'coffee', base_rev: 1, body: body(a, { starts_at: start + 86400, ends_at: start + 86400 + 7200, pickup_at: start + 86400 - 1200 }) });
  assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  await a.k.until((st) => st.card === 'changed:coffee', 60000);
  a.k.send('touch card-close');
  r = await a.wenche.request({ type: 'doc.put', household: a.h.id, kind: 'activity', doc: 'coffee', base_rev: 2, body: body(a, { starts_at: start + 86400, ends_at: start + 86400 + 7200, cancelled: true }) });
  assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  await a.k.until((st) => st.card === 'cancelled:coffee', 60000);
  await a.k.stop();
  await b.k.stop();
});

// The strip's action end to end: the invitation on the "today" strip carries the plugin's action
// ("Answer") as a button of its own; a touch on it (--control touch) reaches the plugin's
// action(), which opens the invitation card again. Fails when the button is not drawn (the touch
// finds no widget) or the touch is not routed to the plugin (no card).
test('a touch on the strip item\'s action reaches the plugin, which opens the invitation again', async (t) => {
  const hub = await startHub(t);
  const a = await home(t, hub, 'strip');
  // today by the kiosk's clock (TZ=Europe/Oslo), and more than an hour away: no reminder card
  const lateToday = new Date();
  lateToday.setHours(23, 50, 0, 0);
  const start = Math.min(nowS() + 3 * 3600, Math.floor(lateToday.getTime() / 1000));
  const r = await a.wenche.request({ type: 'doc.put', household: a.h.id, kind: 'activity', doc: 'coffee', base_rev: 0, body: {
    title: 'Kaffe', place: 'Dagsenteret', starts_at: start, ends_at: start + 7200,
    invited_by_name: 'Wenche', invited_by: a.h.people.Wenche.id,
  } });
  assert.equal(r.type, 'doc.accepted', JSON.stringify(r));
  await a.k.until((st) => st.card === 'invite:coffee', 60000);
  a.k.send('touch card-close');
  await a.k.until((st) => st.card === '-' && st.state === 'home', 30000);
  // the button is on the strip (asked of the kiosk's own description, not assumed)
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  let shown = false;
  for (let i = 0; i < 100 && !shown; i++) {
    const from = a.k.lines.length;
    a.k.send('describe');
    await sleep(200);
    shown = a.k.lines.slice(from).some((x) => x.startsWith('vindu-kiosk: describe ') && x.includes('"name":"today-action:answer"'));
  }
  assert.ok(shown, 'the strip shows the invitation\'s action as a button');
  a.k.send('touch today-action:answer');
  await a.k.until((st) => st.card === 'invite:coffee', 30000);
  await a.k.stop();
});
