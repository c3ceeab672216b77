// A 60 s network blackout between two kiosks in a call (issue 19: the callee was never told the
// call ended and redialled alone until not_found). The hub and each kiosk live in network
// namespaces this test makes (root, as CI runs), joined by a bridge in a fourth; the test takes
// kiosk B's port off the bridge for 60 s. Afterwards the call comes back, or both kiosks say it
// ended — never one side "in the call" alone for more than a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { household, tempDir } from '../hub/lib.mjs';

const tag = `vb${process.pid % 100000}`;
const NS = { r: `${tag}r`, h: `${tag}h`, a: `${tag}a`, b: `${tag}b` };
const ADDR = { h: '10.231.77.1', a: '10.231.77.2', b: '10.231.77.3' };

function ip(...args) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

// Namespaces h, a, b each with one veth to the bridge in r; nothing leaves them.
function makeNetwork(t) {
  if (process.getuid() !== 0 || spawnSync('ip', ['netns', 'list']).status !== 0) return false;
  t.after(() => { for (const n of Object.values(NS)) spawnSync('ip', ['netns', 'del', n]); });
  for (const n of Object.values(NS)) ip('netns', 'add', n);
  ip('-n', NS.r, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', NS.r, 'link', 'set', 'br0', 'up');
  for (const side of ['h', 'a', 'b']) {
    ip('-n', NS.r, 'link', 'add', `p${side}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS[side]);
    ip('-n', NS.r, 'link', 'set', `p${side}`, 'master', 'br0', 'up');
    ip('-n', NS[side], 'addr', 'add', `${ADDR[side]}/24`, 'dev', 'eth0');
    ip('-n', NS[side], 'link', 'set', 'eth0', 'up');
    ip('-n', NS[side], 'link', 'set', 'lo', 'up');
  }
  return true;
}

function startHubIn(t, dataDir) {
  const child = spawn('ip', ['netns', 'exec', NS.h, process.env.VINDU_HUB, '--listen', ADDR.h, '--port', '8443',
    '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
  t.after(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('hub did not start')), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) { clearTimeout(timer); resolve({ child, dataDir, wsUrl: `wss://${ADDR.h}:8443/ws` }); }
    });
  });
}

test('a 60 s blackout of one kiosk in a call: the call comes back, or both sides say it ended', { timeout: 600000 }, async (t) => {
  if (!makeNetwork(t)) return t.skip('needs root and network namespaces');
  // each kiosk runs inside its namespace through a small wrapper (the Kiosk helper spawns one binary)
  const wrap = path.join(tempDir(t), 'kiosk-in-netns');
  fs.writeFileSync(wrap, `#!/bin/sh\nexec ip netns exec "$VINDU_TEST_NETNS" "${process.env.VINDU_KIOSK}" "$@"\n`, { mode: 0o755 });
  process.env.VINDU_KIOSK = wrap;
  const { Kiosk, pairWithShownCode } = await import('./kiosk_process.mjs');
  const hub = await startHubIn(t, path.join(tempDir(t), 'hub'));
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message' }]);
  process.env.VINDU_TEST_NETNS = NS.a;
  const a = new Kiosk(t, hub, path.join(tempDir(t), 'a'), h.code);
  const home = (k) => k.until((x) => x.connected === '1' && x.state === 'home' && x.kiosk.startsWith('k_'), 120000);
  await home(a);
  process.env.VINDU_TEST_NETNS = NS.b;
  const b = new Kiosk(t, hub, path.join(tempDir(t), 'b'), null);
  await pairWithShownCode(b, hub, h.id);
  const bId = (await home(b)).kiosk;
  a.send(`call ${bId}`);
  await b.line(/^vindu-kiosk: state incoming$/, 30000);
  b.send('touch answer');
  const inCall = (x) => x.call === 'in-call' && Number(x.frames) > 10;
  await a.until(inCall, 120000);
  await b.until(inCall, 120000);

  // B's port leaves the bridge: every link stays up, packets to and from B go nowhere (as through
  // a router that stopped forwarding; taking the link down instead lets sockets notice at once)
  ip('-n', NS.r, 'link', 'set', 'pb', 'nomaster');
  await new Promise((r) => setTimeout(r, 60000));
  ip('-n', NS.r, 'link', 'set', 'pb', 'master', 'br0');

  // From now on, sample both sides: "in a call" (in-call, reconnecting, connecting) on one side
  // while the other is out of it may last only a short while; at the end they agree.
  const inIt = (s) => ['in-call', 'reconnecting', 'connecting'].includes(s.call);
  let aloneSince = null;
  let aloneMax = 0;
  let last;
  const end = Date.now() + 150000;
  while (Date.now() < end) {
    const [sa, sb] = [await a.status(), await b.status()];
    last = [sa.call, sb.call];
    if (inIt(sa) !== inIt(sb)) {
      aloneSince ??= Date.now();
      aloneMax = Math.max(aloneMax, Date.now() - aloneSince);
    } else {
      aloneSince = null;
      if (sa.call === 'in-call' && sb.call === 'in-call' && Number(sa.frames) > 0) break; // back
      if (!inIt(sa) && !inIt(sb)) break; // both say it ended
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  t.diagnostic(`after the blackout: A ${last[0]}, B ${last[1]}; one side alone at most ${aloneMax} ms`);
  assert.ok(aloneMax <= 10000, `one side was in the call alone for ${aloneMax} ms (last ${last})`);
  assert.equal(inIt({ call: last[0] }), inIt({ call: last[1] }), `the two sides disagree at the end: ${last}`);
  await a.stop();
  await b.stop();
});
