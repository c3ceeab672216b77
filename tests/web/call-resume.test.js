// The page's side of call.resume: the page's socket to the hub drops in the middle of an answered
// call (the test cuts it, both ends, through Playwright's WebSocket routing) and comes back by
// itself; the page asks the hub whether the call lives (`call.resume`) and carries on, the kiosk
// never told the call was lost; or, when the kiosk hung up while the page was away, the page says
// the call ended. Signalling only (a protocol-level kiosk): media is kiosk-call's business.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, closeCall, createHousehold, invite, joinByInvite, launchBrowser, newPerson, startHub, waitFor } from './harness.js';
import { ProtocolKiosk } from './protocol-kiosk.js';

let hub;
let home;
let kiosk;
let anna;
let page;
// The page's current socket, as routed: frames it sent, and whether new sockets may connect.
const link = { route: null, server: null, sent: [], refuse: false };

before(async () => {
  hub = await startHub();
  home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await new ProtocolKiosk(hub).pair(home.provisioning_code);
  anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchBrowser();
  ({ page } = await newPerson(browser));
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (link.refuse) { ws.close(); return; } // the network is still away
    const server = ws.connectToServer();
    ws.onMessage((m) => { link.sent.push(String(m)); server.send(m); });
    server.onMessage((m) => ws.send(m));
    link.route = ws;
    link.server = server;
  });
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('#call-button');
});
after(async () => {
  if (kiosk) kiosk.close();
  await cleanup();
});

// The kiosk calls, Anna answers: an answered call on the hub, the page "connecting".
async function answeredCall() {
  const placed = await kiosk.request({ type: 'call.invite', household: home.household, to: anna.person });
  await page.waitForSelector('#call[data-state=incoming]');
  await page.click('#call-answer');
  await kiosk.next((m) => m.type === 'call.accept' && m.call === placed.call);
  await page.waitForSelector('#call[data-state=connecting]');
  return placed.call;
}

function cut() {
  link.server.close();
  link.route.close();
}

const resumesOf = (call) => link.sent.map((s) => JSON.parse(s)).filter((m) => m.type === 'call.resume' && m.call === call);

test('the page\'s socket drops mid-call and comes back: it resumes the call and carries on', async () => {
  const call = await answeredCall();
  link.sent = [];
  cut();
  await page.waitForSelector('#connection:not([hidden])', { timeout: 10000 });
  await waitFor(() => resumesOf(call).length === 1, { what: 'call.resume from the page', timeoutMs: 15000 });
  await page.waitForSelector('#connection', { state: 'hidden', timeout: 10000 });
  assert.equal(await page.getAttribute('#call', 'data-state'), 'connecting', 'still in the call');
  await assert.rejects(kiosk.next((m) => m.type === 'call.hangup' && m.call === call, 2000), 'the kiosk was not told the call was lost');
  // the call goes on: the kiosk's hang-up reaches the page on its new socket
  kiosk.send({ type: 'call.hangup', call, reason: 'hangup' });
  await page.waitForSelector('#call[data-state=ended]');
  assert.equal(await page.textContent('#call-title'), 'Ingebjørg hung up');
  await closeCall(page);
});

test('the kiosk hangs up while the page is away: back, the page says the call ended', async () => {
  const call = await answeredCall();
  link.sent = [];
  link.refuse = true;
  cut();
  await page.waitForSelector('#connection:not([hidden])', { timeout: 10000 });
  kiosk.send({ type: 'call.hangup', call, reason: 'hangup' });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await page.getAttribute('#call', 'data-state'), 'connecting', 'nothing said while away');
  link.refuse = false;
  await page.waitForSelector('#call[data-state=ended]', { timeout: 30000 });
  assert.equal(resumesOf(call).length, 1);
  assert.equal(await page.textContent('#call-title'), 'The call ended while this page had no connection');
  await closeCall(page);
});
