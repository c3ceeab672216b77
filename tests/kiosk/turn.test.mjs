// TURN for real: the hub hands out coturn REST credentials and, with [turn] relay_only=true,
// asks both sides for relay candidates only; two kiosks then talk through Debian's coturn on
// loopback — pictures both ways, and coturn's own accounting shows the media went through it.
// With credentials coturn refuses, a relay-only call cannot connect and ends plainly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startHub, household, tempDir } from '../hub/lib.mjs';
import { startCoturn, relayedBytes, hubTurnConfig } from './coturn.mjs';
import { pairWithShownCode } from './kiosk_process.mjs';

const KIOSK = process.env.VINDU_KIOSK;

// A headless kiosk driven by --control (commands on stdin, one status line per "status").
function kiosk(t, hub, dir, code) {
  const args = ['--headless', '--control', '--no-speech', '--insecure', '--media-test',
    '--hub', hub.wsUrl, '--data-dir', dir, '--size', '800x480', '--dpi', '96'];
  if (code) args.push('--pair-code', code);
  const child = spawn(KIOSK, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const k = { child, lines: [], stderr: '' };
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { k.lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
  });
  child.stderr.on('data', (d) => { k.stderr += d; });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  k.send = (cmd) => child.stdin.write(cmd + '\n');
  k.status = async () => {
    const from = k.lines.length;
    k.send('status');
    for (let i = 0; i < 600; i++) { // up to 60 s: a sanitizer build under load is slow
      const l = k.lines.slice(from).find((x) => x.startsWith('vindu-kiosk: status '));
      if (l) return Object.fromEntries(l.replace('vindu-kiosk: status ', '').split(' ').map((kv) => kv.split('=')));
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no status; stderr ' + k.stderr.slice(-2000));
  };
  k.until = async (pred, ms = 60000) => {
    const end = Date.now() + ms;
    let s;
    while (Date.now() < end) {
      s = await k.status();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('not reached; last ' + JSON.stringify(s) + '\nstderr ' + k.stderr.slice(-3000));
  };
  k.stop = () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
  return k;
}

async function twoKiosks(t, hub) {
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  const a = kiosk(t, hub, path.join(tempDir(t), 'a'), h.code);
  const b = kiosk(t, hub, path.join(tempDir(t), 'b'), null); // a code pairs one kiosk
  await pairWithShownCode(b, hub, h.id);
  await a.until((x) => x.connected === '1' && x.kiosk.startsWith('k_'));
  // paired: the connection that paired b closes and b connects again with its credential
  const sb = await b.until((x) => x.connected === '1' && x.paired === '1' && x.kiosk.startsWith('k_'));
  return { a, b, bId: sb.kiosk };
}

test('kiosk to kiosk, relay only: pictures both ways through coturn', { timeout: 180000 }, async (t) => {
  const dir = tempDir(t);
  const secret = 'test-secret-' + Math.random().toString(36).slice(2);
  const turn = await startCoturn(t, dir, secret);
  const hub = await startHub(t, { args: ['--config', hubTurnConfig(dir, turn, secret)] });
  const { a, b, bId } = await twoKiosks(t, hub);
  a.send(`call ${bId}`);
  await b.until((x) => x.state === 'incoming', 20000);
  b.send('touch answer');
  await a.until((x) => x.call === 'in-call' && Number(x.frames) >= 30, 90000);
  await b.until((x) => x.call === 'in-call' && Number(x.frames) >= 30, 90000);
  a.send('touch hangup');
  await a.until((x) => x.call !== 'in-call', 20000);
  await a.stop();
  await b.stop();
  // The kiosks gave their allocations back when the call ended; coturn says what it carried.
  const end = Date.now() + 20000;
  while (relayedBytes(turn.log) < 100000 && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
  assert.match(turn.log, /ALLOCATE processed, success/);
  assert.doesNotMatch(turn.log, /Cannot find credentials/);
  assert.ok(relayedBytes(turn.log) >= 100000, `coturn relayed ${relayedBytes(turn.log)} bytes:\n${turn.log.slice(-3000)}`);
});

test('kiosk to kiosk, relay only, with credentials coturn refuses: no picture, the call ends plainly, coturn says why', { timeout: 300000 }, async (t) => {
  const dir = tempDir(t);
  const turn = await startCoturn(t, dir, 'the-secret-coturn-has');
  const hub = await startHub(t, { args: ['--config', hubTurnConfig(dir, turn, 'a-different-secret')] });
  const { a, b, bId } = await twoKiosks(t, hub);
  a.send(`call ${bId}`);
  await b.until((x) => x.state === 'incoming', 20000);
  b.send('touch answer');
  // The call tries (and redials) while it may still connect, then ends: never "in-call".
  const active = ['calling-out', 'ringing', 'auto-answer', 'connecting', 'in-call', 'reconnecting'];
  const ended = await a.until((x) => !active.includes(x.call), 240000);
  assert.equal(Number(ended.frames), 0);
  assert.match(ended.state, /^call-ended/);
  // The operator's reason is in coturn's log: these credentials were refused (a bare 401 is
  // only TURN's normal first challenge)...
  assert.match(turn.log, /check_stun_auth: Cannot find credentials of user <\d+:k_/);
  // ...and no media went through it (a few kB of refused requests at most).
  assert.ok(relayedBytes(turn.log) < 20000, `coturn relayed ${relayedBytes(turn.log)} bytes`);
  await a.stop();
  await b.stop();
});

test('kiosk to kiosk, relay only, with expired credentials: coturn refuses them and no picture comes', { timeout: 180000 }, async (t) => {
  const dir = tempDir(t);
  const secret = 'test-secret-' + Math.random().toString(36).slice(2);
  const turn = await startCoturn(t, dir, secret);
  // Credentials valid for 1 s; the call is answered 3 s after they were given.
  const hub = await startHub(t, { args: ['--config', hubTurnConfig(dir, turn, secret, { ttl: 1 })] });
  const { a, b, bId } = await twoKiosks(t, hub);
  a.send(`call ${bId}`);
  await b.until((x) => x.state === 'incoming', 20000);
  await new Promise((r) => setTimeout(r, 3000));
  b.send('touch answer');
  const refused = /check_stun_auth: Cannot find credentials of user <\d+:k_/;
  const end = Date.now() + 30000;
  while (!refused.test(turn.log) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
  assert.match(turn.log, refused, turn.log.slice(-3000));
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal(Number((await a.status()).frames), 0);
  assert.equal(Number((await b.status()).frames), 0);
  assert.doesNotMatch(turn.log, /ALLOCATE processed, success/);
  a.send('touch hangup');
  await a.stop();
  await b.stop();
});
