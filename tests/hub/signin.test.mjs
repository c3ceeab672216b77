// Sign-in, pairing, invites, healthz, web root and security headers.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import https from 'node:https';
import { startHub, stopHub, admin, household, pairKiosk, kioskClient, personClient, Client, hello, tempDir } from './lib.mjs';

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    https.get(url, { rejectUnauthorized: false, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('healthz, web root with strict headers, no path escape', async (t) => {
  const dir = tempDir(t);
  const web = path.join(dir, 'web');
  fs.mkdirSync(path.join(web, 'js'), { recursive: true });
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Vindu</title>');
  fs.writeFileSync(path.join(web, 'js', 'app.js'), 'export {}');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'no');
  const hub = await startHub(t, { args: ['--web-root', web] });
  const hz = await get(hub.url + '/healthz');
  assert.equal(hz.status, 200);
  assert.deepEqual(JSON.parse(hz.body), { status: 'ok', version: '0.1.0', connections: 0 });
  const index = await get(hub.url + '/');
  assert.equal(index.status, 200);
  assert.match(index.body.toString(), /Vindu/);
  const csp = index.headers['content-security-policy'];
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.equal(index.headers['referrer-policy'], 'no-referrer');
  const js = await get(hub.url + '/js/app.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/js/../../secret.txt', '/nope.html']) {
    const r = await get(hub.url + p);
    assert.notEqual(r.status, 200, p);
    assert.doesNotMatch(r.body.toString(), /^no$/);
  }
});

test('kiosk pairs with the provisioning code, then signs in with its device secret', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub);
  const kiosk = await pairKiosk(hub, t, h);
  assert.match(kiosk.id, /^k_/);
  assert.ok(kiosk.secret.length >= 22);
  const k = await kioskClient(hub, t, kiosk);
  assert.equal(k.welcome.role, 'kiosk');
  assert.equal(k.welcome.households[0].id, h.id);
  // a wrong secret is refused with bad_credentials; the connection stays open for another try
  const bad = await Client.open(hub, t);
  const e = await hello(bad, { kind: 'device', kiosk: kiosk.id, secret: 'x'.repeat(43) });
  assert.equal(e.type, 'error');
  assert.equal(e.code, 'bad_credentials');
  // the secret is stored only as a hash
  const db = fs.readFileSync(path.join(hub.dataDir, 'hub.db'));
  const wal = fs.existsSync(path.join(hub.dataDir, 'hub.db-wal')) ? fs.readFileSync(path.join(hub.dataDir, 'hub.db-wal')) : Buffer.alloc(0);
  assert.equal(db.includes(kiosk.secret), false);
  assert.equal(wal.includes(kiosk.secret), false);
});

test('unpaired kiosk shows a code; admin pair binds it and it receives its secret', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub);
  const c = await Client.open(hub, t);
  const w = await hello(c, { kind: 'pair' });
  assert.equal(w.role, 'unpaired');
  assert.match(w.pairing_code, /^\d{4}-\d{4}$/);
  const r = admin(hub.dataDir, 'pair', '--household', h.id, '--code', w.pairing_code);
  assert.equal(r.ok, true);
  const paired = await c.next('paired');
  assert.equal(paired.household, h.id);
  const k = await kioskClient(hub, t, { id: paired.kiosk, secret: paired.secret });
  assert.equal(k.welcome.role, 'kiosk');
  // the same code cannot be bound twice
  assert.equal(admin(hub.dataDir, 'pair', '--household', h.id, '--code', w.pairing_code).ok, false);
});

test('an invite is redeemed once; the session token then signs in', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const anna = h.people.Anna;
  const p = await personClient(hub, t, anna);
  assert.equal(p.welcome.role, 'person');
  assert.equal(p.welcome.self.id, anna.id);
  assert.deepEqual(p.welcome.households[0].rights, ['call', 'message']);
  assert.ok(anna.session);
  // the second redemption fails
  const again = await Client.open(hub, t);
  const e = await hello(again, { kind: 'invite', token: anna.token });
  assert.equal(e.code, 'bad_credentials');
  // the session token works, and no new token is handed out
  const s = await personClient(hub, t, anna);
  assert.equal(s.welcome.session_token, undefined);
  assert.equal(s.welcome.self.id, anna.id);
});

// One wrong hello on a new connection; returns the hub's answer.
async function tryOnce(hub, t, auth) {
  const c = await Client.open(hub, t);
  const answer = await hello(c, auth);
  c.close();
  return answer;
}

test('sign-in failures per address: told with the wait; valid sign-ins from that address still work', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', rights: 'call,message' }]);
  const kiosk = await pairKiosk(hub, t, h);
  await personClient(hub, t, h.people.Anna); // redeems the invite: Anna now has a session token
  const answers = [];
  for (let i = 0; i < 10; i++) answers.push(await tryOnce(hub, t, { kind: 'session', token: `wrong-token-${i}-${'x'.repeat(30)}` }));
  assert.deepEqual(answers.slice(0, 9).map((a) => a.code), Array(9).fill('bad_credentials'));
  const last = answers[9];
  assert.equal(last.code, 'rate_limited');
  assert.match(last.message, /^Too many tries from this network\. Wait 1 minute and try again\.$/);
  assert.ok(last.retry_after_s >= 1 && last.retry_after_s <= 60, `retry_after_s ${last.retry_after_s}`);
  // a guesser on the same home router harms nobody else: Anna's session and the kiosk sign in
  const anna = await personClient(hub, t, h.people.Anna);
  assert.equal(anna.welcome.self.id, h.people.Anna.id);
  const k = await kioskClient(hub, t, kiosk);
  assert.equal(k.welcome.role, 'kiosk');
  // ...while the guesser's next wrong try is refused and its connection closed
  const c = await Client.open(hub, t);
  assert.equal((await hello(c, { kind: 'session', token: 'y'.repeat(40) })).code, 'rate_limited');
  assert.equal((await c.waitClosed()).code, 1008);
});

test('a used invite link meets its own limit, said with the wait; others are not slowed', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', rights: 'call' }]);
  const used = h.people.Anna.token;
  await personClient(hub, t, h.people.Anna);
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await tryOnce(hub, t, { kind: 'invite', token: used }));
  assert.deepEqual(answers.slice(0, 4).map((a) => a.code), Array(4).fill('bad_credentials'));
  assert.equal(answers[4].code, 'rate_limited');
  assert.match(answers[4].message, /^Too many tries with this link, code or secret\. Wait 10 minutes and try again\.$/);
  assert.ok(answers[4].retry_after_s > 540 && answers[4].retry_after_s <= 600, `retry_after_s ${answers[4].retry_after_s}`);
  // the address is not over its limit: another wrong link is simply wrong
  assert.equal((await tryOnce(hub, t, { kind: 'invite', token: 'z'.repeat(40) })).code, 'bad_credentials');
});

test('wrong secrets for one kiosk: the guesser is limited, the kiosk with its right secret is not', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, []);
  const kiosk = await pairKiosk(hub, t, h);
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await tryOnce(hub, t, { kind: 'device', kiosk: kiosk.id, secret: `guess-${i}-${'s'.repeat(30)}` })).code);
  assert.deepEqual(codes, ['bad_credentials', 'bad_credentials', 'bad_credentials', 'bad_credentials', 'rate_limited']);
  const k = await kioskClient(hub, t, kiosk);
  assert.equal(k.welcome.role, 'kiosk');
  // a wrong provisioning code is counted by its own hash as well
  const pairCodes = [];
  for (let i = 0; i < 5; i++) pairCodes.push(await tryOnce(hub, t, { kind: 'pair', code: 'WRONG-CODE-1234' }));
  assert.deepEqual(pairCodes.map((a) => a.code).slice(0, 4), Array(4).fill('bad_credentials'));
  assert.match(pairCodes[4].message, /with this link, code or secret/, 'its own limit comes first');
});

test('first message must be hello; later messages need sign-in; version checked', async (t) => {
  const hub = await startHub(t);
  const c = await Client.open(hub, t);
  const e = await c.request({ type: 'household.get', household: 'h_x1' });
  assert.equal(e.code, 'not_authenticated');
  const closed = await c.waitClosed();
  assert.equal(closed.code, 1008);
  const v = await Client.open(hub, t);
  const r = await v.request({ type: 'hello', version: 0, client: 'x', auth: { kind: 'pair' } });
  assert.equal(r.type, 'error');
});

test('a browser with no subprotocol is served; SIGTERM stops cleanly with exit 0', async (t) => {
  const hub = await startHub(t);
  const c = await Client.open(hub, t, { protocols: [] });
  const w = await hello(c, { kind: 'pair' });
  assert.equal(w.type, 'welcome');
  assert.equal(await stopHub(hub, 'SIGTERM'), 0);
});

test('a connection that never says hello is closed after 10 s with 1008', async (t) => {
  const hub = await startHub(t);
  const c = await Client.open(hub, t);
  const closed = await c.waitClosed(14000);
  assert.equal(closed.code, 1008);
});

test('admin list and set-rights: a running connection gets the new rights at once', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const kiosk = await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  const list = admin(hub.dataDir, 'list');
  assert.equal(list.ok, true);
  const hh = list.households.find((x) => x.id === h.id);
  assert.equal(hh.kiosks[0].id, kiosk.id);
  assert.deepEqual(hh.people[0].rights, ['call', 'message']);
  assert.equal(admin(hub.dataDir, 'set-rights', '--household', h.id, '--person', h.people.Anna.id, '--rights', 'call').ok, true);
  await anna.next((m) => m.type === 'household.state' && !m.re, 3000);
  const e = await anna.request({ type: 'msg.post', household: h.id, client_msg_id: 'x1', kind: 'text', text: 'hei' });
  assert.equal(e.code, 'forbidden');
  // unknown household or person: a JSON error and exit status 1
  const bad = admin(hub.dataDir, 'set-rights', '--household', 'h_nope', '--person', 'p_nope', '--rights', 'call');
  assert.equal(bad.ok, false);
  assert.equal(bad.code, 'not_found');
  assert.equal(bad.status, 1);
});
