// A real coturn (Debian's turnserver) on 127.0.0.1 with a free port and the hub's REST-secret
// scheme, for tests of calls through the relay. Stopped when the test ends.
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both).
async function freePort() {
  for (;;) {
    const port = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    const udpFree = await new Promise((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

export async function startCoturn(t, dir, secret) {
  const port = await freePort();
  const minPort = 20000 + Math.floor(Math.random() * 20000);
  const conf = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(conf, [
    'listening-ip=127.0.0.1', 'relay-ip=127.0.0.1', `listening-port=${port}`,
    `min-port=${minPort}`, `max-port=${minPort + 400}`,
    'use-auth-secret', `static-auth-secret=${secret}`, 'realm=vindu.test', 'fingerprint',
    // everything is on loopback here; a real server keeps coturn's default of refusing it
    'allow-loopback-peers', 'no-tls', 'no-dtls', 'no-cli', 'no-multicast-peers', 'no-tcp-relay',
    `userdb=${path.join(dir, 'turndb')}`, `pidfile=${path.join(dir, 'turnserver.pid')}`,
    'log-file=stdout', 'simple-log', 'verbose', '',
  ].join('\n'));
  const child = spawn('turnserver', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const turn = { child, port, log: '', url: `turn:127.0.0.1:${port}?transport=udp` };
  child.stdout.on('data', (d) => { turn.log += d; });
  child.stderr.on('data', (d) => { turn.log += d; });
  t.after(() => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  }));
  const end = Date.now() + 15000;
  while (!/Total (General|UDP) servers|IPv4\. UDP listener opened on : 127\.0\.0\.1:\d+/.test(turn.log)) {
    if (child.exitCode !== null) throw new Error('turnserver exited: ' + turn.log);
    if (Date.now() > end) throw new Error('turnserver did not start: ' + turn.log);
    await new Promise((r) => setTimeout(r, 100));
  }
  return turn;
}

// Bytes coturn relayed for finished allocations ("usage: ... rb=N ... sb=N" at each close).
export function relayedBytes(log) {
  let total = 0;
  for (const m of log.matchAll(/usage: .*?rb=(\d+), sp=\d+, sb=(\d+)/g)) total += Number(m[1]) + Number(m[2]);
  return total;
}

// The hub's settings file with TURN through this coturn, and a certificate made here by openssl
// (a hub built with the sanitizers takes many seconds to make its own at start-up).
export function hubTurnConfig(dir, turn, secret, { relayOnly = true, ttl = 600 } = {}) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const file = path.join(dir, 'hub.conf');
  fs.writeFileSync(file, `[tls]\ncert=${cert}\nkey=${key}\n[turn]\nsecret=${secret}\nurls=${turn.url}\nttl_s=${ttl}\nrelay_only=${relayOnly}\n`);
  return file;
}
