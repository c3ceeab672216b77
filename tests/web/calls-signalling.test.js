// Call signalling between the browser and a kiosk through the real hub (no media: that is
// kiosk-call.test.js with the real kiosk): a member calls and the kiosk's answer is shown in plain
// words; the kiosk's call rings in the browser and is answered or declined with one click; a
// stranger — another household's person, a member without the call right, or nobody signed in —
// cannot call, whatever they send. Mute pressed while the call is placed holds once the
// microphone opens; the hub's TURN credentials reach the peer connection; the family's pages say
// when the kiosk is in a call and when it was last seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanup, closeCall, createHousehold, holdMedia, instrumentPage, invite, joinByInvite, launchBrowser, newPerson,
  startHub, tempDir, waitFor,
} from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let browser;
let home; // household A, with a kiosk
let other; // household B
let kiosk;
let anna;
let annaPage;
const moreKiosks = [];
let offerPage;

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  other = await createHousehold(hub, 'Sigrid');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  browser = await launchBrowser();
  annaPage = (await newPerson(browser)).page;
  await joinByInvite(annaPage, anna.link);
  await annaPage.goto(`${hub.origin}/#/h/${home.household}`);
  await annaPage.waitForSelector('#call-button');
});
after(async () => {
  if (kiosk) kiosk.close();
  for (const k of moreKiosks) k.close();
  await cleanup();
});

// Sends one message on a fresh WebSocket signed in with this page's stored session, from inside
// the page, and returns the hub's answer (what any script on a stranger's browser could do).
async function sendAsPage(page, message) {
  return page.evaluate(async (msg) => new Promise((resolve) => {
    const ws = new WebSocket(`wss://${location.host}/ws`, 'vindu.v1');
    const token = localStorage.getItem('vindu.session');
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', id: 'h', version: 1, client: 'test', auth: { kind: 'session', token } }));
    ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.re === 'h') ws.send(JSON.stringify({ ...msg, id: 'x' }));
      else if (m.re === 'x') { resolve(m); ws.close(); }
    };
    ws.onclose = (ev) => resolve({ type: 'closed', code: ev.code });
    setTimeout(() => resolve({ type: 'timeout' }), 8000);
  }), message);
}

test('the browser shows the kiosk online and its call reaches the kiosk', async () => {
  assert.equal(await annaPage.getAttribute('.status', 'data-status'), 'online');
  await annaPage.click('#call-button');
  const ring = await kiosk.next((m) => m.type === 'call.invite');
  assert.equal(ring.household, home.household);
  assert.equal(ring.from.id, anna.person);
  assert.equal(ring.from.name, 'Anna');
  await annaPage.waitForSelector('#call[data-state=placing], #call[data-state=ringing]');
  kiosk.send({ type: 'call.ringing', call: ring.call });
  await annaPage.waitForSelector('#call[data-state=ringing]');
  assert.equal(await annaPage.textContent('#call-title'), 'Ringing at Ingebjørg’s …');
  // The camera is live while calling (it opens while the kiosk rings), and the page says so.
  await annaPage.waitForSelector('#live-indicator:not([hidden])');
  assert.equal(await annaPage.textContent('#live-indicator'), 'Your camera and microphone are on');
  kiosk.send({ type: 'call.decline', call: ring.call, reason: 'not_now' });
  await annaPage.waitForSelector('#call[data-state=ended]');
  assert.equal(await annaPage.textContent('#call-title'), 'Ingebjørg cannot take the call now');
  await closeCall(annaPage);
  await annaPage.waitForSelector('#call', { state: 'hidden' });
});

test('a kiosk without a working microphone declines, and the page says why', async () => {
  await annaPage.click('#call-button');
  const ring = await kiosk.next((m) => m.type === 'call.invite');
  kiosk.send({ type: 'call.decline', call: ring.call, reason: 'no_microphone' });
  await annaPage.waitForSelector('#call[data-state=ended]');
  assert.equal(await annaPage.textContent('#call-title'),
    'Ingebjørg’s screen could not answer: its microphone is not working. A helper can look at it.');
  await closeCall(annaPage);
  await annaPage.waitForSelector('#call', { state: 'hidden' });
});

test('hanging up before an answer cancels the call at the kiosk', async () => {
  await annaPage.click('#call-button');
  const ring = await kiosk.next((m) => m.type === 'call.invite');
  await annaPage.waitForSelector('#call-hangup');
  await annaPage.click('#call-hangup');
  const cancel = await kiosk.next((m) => m.type === 'call.cancel');
  assert.equal(cancel.call, ring.call);
  await closeCall(annaPage);
});

test('the kiosk calls the browser: it rings, one click answers', async () => {
  const placed = await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
  await annaPage.waitForSelector('#call[data-state=incoming]');
  assert.equal(await annaPage.textContent('#call-title'), 'Ingebjørg is calling you');
  await kiosk.next((m) => m.type === 'call.ringing' && m.call === placed.call);
  await annaPage.click('#call-answer');
  await kiosk.next((m) => m.type === 'call.accept' && m.call === placed.call);
  await annaPage.waitForSelector('#call[data-state=connecting]');
  kiosk.send({ type: 'call.hangup', call: placed.call, reason: 'hangup' });
  await annaPage.waitForSelector('#call[data-state=ended]');
  assert.equal(await annaPage.textContent('#call-title'), 'Ingebjørg hung up');
  await closeCall(annaPage);
});

test('the kiosk calls the browser: "Not now" declines', async () => {
  const placed = await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
  await annaPage.waitForSelector('#call-decline');
  await annaPage.click('#call-decline');
  const decline = await kiosk.next((m) => m.type === 'call.decline' && m.call === placed.call);
  assert.equal(decline.reason, 'not_now');
  await closeCall(annaPage);
});

test('a person of another household cannot call this kiosk', async () => {
  const bob = await invite(hub, other.household, { name: 'Bob', rights: ['call', 'message', 'status', 'admin'] });
  const page = (await newPerson(browser)).page;
  await joinByInvite(page, bob.link);
  // The stranger's app does not know the household at all.
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.notice h1');
  assert.equal(await page.textContent('.notice h1'), 'Not found');
  assert.equal(await page.isVisible('#call-button'), false);
  // And what a script could send is refused by the hub.
  for (const household of [home.household, other.household]) {
    const answer = await sendAsPage(page, { type: 'call.invite', household, to: kiosk.kiosk });
    assert.equal(answer.type, 'error', JSON.stringify(answer));
    assert.ok(['forbidden', 'not_found'].includes(answer.code), answer.code);
  }
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(kiosk.inbox.filter((m) => m.type === 'call.invite').length, 0);
});

test('a member without the call right has no call button and cannot call', async () => {
  const carl = await invite(hub, home.household, { name: 'Carl', relationship: 'Neighbour', rights: ['message'] });
  const page = (await newPerson(browser)).page;
  await joinByInvite(page, carl.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.household h1');
  assert.equal(await page.isVisible('#call-button'), false);
  assert.equal(await page.textContent('.actions .hint'), 'You have not been given the right to call here.');
  const answer = await sendAsPage(page, { type: 'call.invite', household: home.household, to: kiosk.kiosk });
  assert.equal(answer.type, 'error');
  assert.equal(answer.code, 'forbidden');
  assert.equal(kiosk.inbox.filter((m) => m.type === 'call.invite').length, 0);
});

test('nobody signed in cannot call', async () => {
  const page = (await newPerson(browser)).page;
  await page.goto(`${hub.origin}/`);
  const answer = await page.evaluate(() => new Promise((resolve) => {
    const ws = new WebSocket(`wss://${location.host}/ws`, 'vindu.v1');
    ws.onopen = () => ws.send(JSON.stringify({ type: 'call.invite', id: 'x', household: 'h_x', to: 'k_x' }));
    ws.onmessage = (ev) => resolve(JSON.parse(ev.data));
    ws.onclose = (ev) => resolve({ type: 'closed', code: ev.code });
    setTimeout(() => resolve({ type: 'timeout' }), 8000);
  }));
  assert.ok(answer.type === 'closed' || (answer.type === 'error' && answer.code === 'not_authenticated'), JSON.stringify(answer));
  assert.equal(kiosk.inbox.filter((m) => m.type === 'call.invite').length, 0);
});

// A real SDP offer shaped like the kiosk's (sendrecv audio + video, max-bundle), made in a page of
// its own: the protocol kiosk sends no media, but the browser under test answers only a real offer.
async function kioskOffer() {
  if (!offerPage) offerPage = (await newPerson(browser)).page;
  return offerPage.evaluate(async () => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    pc.addTransceiver('video', { direction: 'sendrecv' });
    await pc.setLocalDescription(await pc.createOffer());
    const { sdp } = pc.localDescription;
    pc.close();
    return sdp;
  });
}

// What the page's n-th peer connection (see instrumentPage) sends, per kind: 'on', 'disabled'
// (a disabled track: silence) or 'nothing' (no track on the sender). Waits until it is
// `expected` (replaceTrack takes effect a moment later), then asserts it.
async function assertSent(page, n, expected) {
  const read = () => page.evaluate((i) => {
    const pc = window.__testPeers[i];
    if (!pc || !pc.localDescription) return null;
    const sent = {};
    for (const tr of pc.getTransceivers()) {
      const track = tr.sender.track;
      sent[tr.receiver.track.kind] = !track ? 'nothing' : (track.enabled ? 'on' : 'disabled');
    }
    return sent;
  }, n);
  await waitFor(async () => JSON.stringify(await read()) === JSON.stringify(expected), { what: `peer connection ${n} to send ${JSON.stringify(expected)}` })
    .catch(() => {});
  assert.deepEqual(await read(), expected, `what peer connection ${n} sends`);
}

// The local stream's tracks as the call view holds them.
function localTracks(page) {
  return page.evaluate(() => {
    const stream = document.getElementById('local-video').srcObject;
    return { audio: stream.getAudioTracks().map((tr) => tr.enabled), video: stream.getVideoTracks().map((tr) => tr.enabled) };
  });
}

// The kiosk answers a call it was sent and makes its offer; resolves with the browser's answer.
async function kioskAnswers(k, call) {
  k.send({ type: 'call.ringing', call });
  k.send({ type: 'call.accept', call });
  k.send({ type: 'call.sdp', call, sdp_type: 'offer', sdp: await kioskOffer() });
  return k.next((m) => m.type === 'call.sdp' && m.call === call && m.sdp_type === 'answer');
}

test('mute pressed while the call is placed holds once the microphone opens; mute and camera off hold after a redial', async () => {
  const dag = await invite(hub, home.household, { name: 'Dag', relationship: 'Son' });
  const { page } = await newPerson(browser);
  await instrumentPage(page);
  await joinByInvite(page, dag.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('#call-button');
  const releaseMedia = await holdMedia(page); // the camera is still opening ...
  await page.click('#call-button');
  const ring = await kiosk.next((m) => m.type === 'call.invite');
  await page.waitForSelector('#call[data-state=placing] #call-mute');
  assert.equal(await page.isVisible('#live-indicator'), false, 'no camera or microphone open yet');
  await page.click('#call-mute'); // ... when Dag presses mute
  assert.equal(await page.getAttribute('#call-mute', 'aria-pressed'), 'true');
  await releaseMedia();
  await page.waitForSelector('#live-indicator:not([hidden])');
  assert.equal(await page.textContent('#live-indicator'), 'Your camera is on, microphone off');
  assert.equal(await page.getAttribute('#call-mute', 'aria-pressed'), 'true');
  assert.equal(await page.textContent('#call-mute'), 'Turn sound on');
  assert.deepEqual(await localTracks(page), { audio: [false], video: [true] }, 'the microphone opened muted');

  // The kiosk answers and offers: the muted microphone is what the peer connection sends.
  await kioskAnswers(kiosk, ring.call);
  await assertSent(page, 0, { audio: 'disabled', video: 'on' });
  // Camera off as well, then the kiosk redials (a second offer: a new peer connection): both hold.
  await page.click('#call-camera');
  assert.equal(await page.getAttribute('#call-camera', 'aria-pressed'), 'true');
  await assertSent(page, 0, { audio: 'disabled', video: 'nothing' });
  kiosk.send({ type: 'call.sdp', call: ring.call, sdp_type: 'offer', sdp: await kioskOffer() });
  await kiosk.next((m) => m.type === 'call.sdp' && m.call === ring.call && m.sdp_type === 'answer');
  await page.waitForSelector('#call[data-redials="1"]');
  await assertSent(page, 1, { audio: 'disabled', video: 'nothing' });
  assert.equal(await page.textContent('#live-indicator'), 'Camera and microphone are off');
  // And sound back on reaches the track the new connection sends.
  await page.click('#call-mute');
  assert.equal(await page.getAttribute('#call-mute', 'aria-pressed'), 'false');
  await assertSent(page, 1, { audio: 'on', video: 'nothing' });
  assert.equal(await page.textContent('#live-indicator'), 'Your microphone is on, camera off');
  await page.click('#call-camera');
  await assertSent(page, 1, { audio: 'on', video: 'on' });

  await page.click('#call-hangup');
  await kiosk.next((m) => m.type === 'call.hangup' && m.call === ring.call);
  await closeCall(page);
  await page.context().close();
});

test('the hub\'s TURN credentials are used for the peer connection, also after a redial', async () => {
  const secret = 's3cret-web';
  const url = 'turn:127.0.0.1:3478?transport=udp';
  const conf = join(tempDir('turn'), 'hub.conf');
  writeFileSync(conf, `[turn]\nsecret=${secret}\nurls=${url}\nttl_s=600\n`);
  const turnHub = await startHub({ args: ['--config', conf] });
  const house = await createHousehold(turnHub, 'Ragnhild');
  const k = await new ProtocolKiosk(turnHub).pair(house.provisioning_code);
  moreKiosks.push(k);
  const erik = await invite(turnHub, house.household, { name: 'Erik', relationship: 'Son' });
  const { page, context } = await newPerson(browser);
  await instrumentPage(page);
  await joinByInvite(page, erik.link);
  await page.goto(`${turnHub.origin}/#/h/${house.household}`);
  await page.waitForSelector('#call-button');
  await page.click('#call-button');
  const ring = await k.next((m) => m.type === 'call.invite');
  const kioskTurn = await k.next((m) => m.type === 'call.turn' && m.call === ring.call);
  assert.equal(kioskTurn.ice_servers[0].urls[0], url, 'the hub is configured with TURN');
  await kioskAnswers(k, ring.call);

  const turnServer = async (n) => {
    const servers = await page.evaluate((i) => window.__testPeers[i].getConfiguration().iceServers, n);
    const found = servers.find((s) => [].concat(s.urls).includes(url));
    assert.ok(found, `peer connection ${n} has the hub's TURN server: ${JSON.stringify(servers)}`);
    return found;
  };
  const first = await turnServer(0);
  // coturn's REST scheme: "expiry:person", HMAC-SHA1 with the hub's shared secret (docs/protocol.md)
  const [expiry, person] = first.username.split(':');
  assert.equal(person, erik.person);
  const now = Date.now() / 1000;
  assert.ok(Number(expiry) > now && Number(expiry) <= now + 600 + 5, `expiry ${expiry}`);
  assert.equal(first.credential, createHmac('sha1', secret).update(first.username).digest('base64'));

  // The kiosk redials: the new peer connection has the same TURN server.
  k.send({ type: 'call.sdp', call: ring.call, sdp_type: 'offer', sdp: await kioskOffer() });
  await k.next((m) => m.type === 'call.sdp' && m.call === ring.call && m.sdp_type === 'answer');
  const second = await turnServer(1);
  assert.deepEqual([second.username, second.credential], [first.username, first.credential]);

  await page.click('#call-hangup');
  await k.next((m) => m.type === 'call.hangup' && m.call === ring.call);
  await context.close();
});

test('the family\'s pages say when the kiosk is in a call, and when it was last seen', async () => {
  const house = await createHousehold(hub, 'Solveig');
  const k = await new ProtocolKiosk(hub).pair(house.provisioning_code);
  moreKiosks.push(k);
  const eva = await invite(hub, house.household, { name: 'Eva' });
  const frode = await invite(hub, house.household, { name: 'Frode', relationship: 'Grandson' });
  const evaPerson = await newPerson(browser);
  await joinByInvite(evaPerson.page, eva.link);
  await evaPerson.page.goto(`${hub.origin}/#/h/${house.household}`);
  await evaPerson.page.waitForSelector('#call-button');
  // Frode watches from his home page; his clock can be moved on.
  const frodePerson = await newPerson(browser);
  const frodePage = frodePerson.page;
  await frodePage.clock.install();
  await joinByInvite(frodePage, frode.link);
  const badge = '.home .card .status';
  await frodePage.waitForSelector(`${badge}[data-status=online]`);
  assert.equal(await frodePage.textContent(badge), 'On and ready');

  // Eva calls, the kiosk answers: both pages say it is in a call.
  await evaPerson.page.click('#call-button');
  const ring = await k.next((m) => m.type === 'call.invite');
  k.send({ type: 'call.ringing', call: ring.call });
  k.send({ type: 'call.accept', call: ring.call });
  await frodePage.waitForSelector(`${badge}[data-status=in_call]`);
  assert.equal(await frodePage.textContent(badge), 'In a call now');
  await evaPerson.page.waitForSelector('.household .status[data-status=in_call]');
  assert.equal(await evaPerson.page.textContent('.household .status'), 'In a call now');
  await evaPerson.page.click('#call-hangup');
  await k.next((m) => m.type === 'call.hangup' && m.call === ring.call);
  await frodePage.waitForSelector(`${badge}[data-status=online]`);
  await closeCall(evaPerson.page);
  await evaPerson.page.waitForSelector('.household .status[data-status=online]');

  // The kiosk goes away: "last seen", and the words follow the time that passes.
  k.close();
  await frodePage.waitForSelector(`${badge}[data-status=offline]`);
  assert.equal(await frodePage.textContent(badge), 'Not connected – last seen just now');
  await evaPerson.page.waitForSelector('.household .status[data-status=offline]');
  assert.equal(await evaPerson.page.textContent('.household .status'), 'Not connected – last seen just now');
  await frodePage.clock.fastForward('10:00');
  await frodePage.waitForFunction((sel) => document.querySelector(sel).textContent !== 'Not connected – last seen just now', badge);
  assert.equal(await frodePage.textContent(badge), 'Not connected – last seen 10 minutes ago');
  await evaPerson.context.close();
  await frodePerson.context.close();
});
