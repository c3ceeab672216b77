// The browser calls the real kiosk through Debian's coturn on loopback with the hub's
// [turn] relay_only=true: the app's RTCPeerConnection is made with iceTransportPolicy 'relay',
// the pair the browser uses is a relay pair, video is decoded on both sides, and coturn's own
// accounting shows the media went through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cleanup, createHousehold, instrumentPage, invite, joinByInvite, launchBrowser, newPerson, startHub,
  startKiosk, waitFor,
} from './harness.js';
import { startCoturn, relayedBytes, hubTurnConfig } from '../kiosk/coturn.mjs';

const FRAMES = 15;
const stops = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'vindu-web-turn-'));
let turn;
let kiosk;
let page;

before(async () => {
  const secret = 'web-turn-' + Math.random().toString(36).slice(2);
  turn = await startCoturn({ after: (fn) => stops.push(fn) }, dir, secret);
  const hub = await startHub({ args: ['--config', hubTurnConfig(dir, turn, secret)] });
  const home = await createHousehold(hub, 'Ingebjørg');
  kiosk = await startKiosk(hub, home.provisioning_code);
  const anna = await invite(hub, home.household, { name: 'Anna', rights: ['call', 'message', 'status'] });
  const browser = await launchBrowser();
  ({ page } = await newPerson(browser));
  await instrumentPage(page);
  await joinByInvite(page, anna.link);
  await page.goto(`${hub.origin}/#/h/${home.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
});
after(async () => {
  await cleanup();
  for (const stop of stops) await stop();
  rmSync(dir, { recursive: true, force: true });
});

test('browser to kiosk, relay only: video both ways through coturn', async () => {
  const incoming = kiosk.waitLine(/vindu-kiosk: state (\S*incoming\S*)/, 20000);
  await page.click('#call-button');
  await incoming;
  kiosk.command('answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 60000 });
  const browserFrames = async () => Number((await page.getAttribute('#call', 'data-frames-decoded')) || 0);
  await waitFor(async () => (await browserFrames()) >= FRAMES, { timeoutMs: 60000, what: 'frames decoded in the browser' });
  await waitFor(async () => (await kiosk.status()).frames >= FRAMES, { timeoutMs: 60000, what: 'frames rendered on the kiosk' });
  const used = await page.evaluate(async () => {
    const pc = window.__testPeers[window.__testPeers.length - 1];
    const stats = [...(await pc.getStats()).values()];
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    const local = pair && stats.find((s) => s.id === pair.localCandidateId);
    const remote = pair && stats.find((s) => s.id === pair.remoteCandidateId);
    return { policy: pc.getConfiguration().iceTransportPolicy, local: local && local.candidateType, remote: remote && remote.candidateType };
  });
  assert.deepEqual(used, { policy: 'relay', local: 'relay', remote: 'relay' });
  await page.click('#call-hangup');
  await waitFor(async () => relayedBytes(turn.log) >= 50000, { timeoutMs: 30000, what: `coturn to account for the relayed media (${relayedBytes(turn.log)} bytes so far)` });
});
