// The real vindu-hub for every JavaScript test (node:test integration tests through
// tests/hub/lib.mjs, browser tests through tests/web/harness.js): its binary, temp dirs, the hub
// process on 127.0.0.1 (started, its URL, port and data dir, stopped), and its admin commands
// (households, invites).
//
// Whatever is started here belongs to a `scope`: anything with after(fn), as node:test's test
// context `t` is. The browser tests' scope runs fn(true) when the process is exiting: then only
// what can be done synchronously is done.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Not import.meta.dirname: that needs Node 20.11, and Debian 12's node is 18.
export const repoRoot = process.env.VINDU_SOURCE_DIR || path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const webRoot = path.join(repoRoot, 'web');
const buildDir = process.env.VINDU_BUILD_DIR || path.join(repoRoot, 'build');

// A built binary: $envName, else --argName=PATH or an argument ending in /name, else the build tree.
function binary(envName, argName, relPath) {
  const fromArg = process.argv.find((a) => a.startsWith(`--${argName}=`));
  const byName = process.argv.find((a) => a.endsWith('/' + path.basename(relPath)));
  return process.env[envName] || (fromArg && fromArg.split('=')[1]) || byName || path.join(buildDir, relPath);
}
export const hubBinary = () => binary('VINDU_HUB', 'hub', 'hub/vindu-hub');
export const kioskBinary = () => binary('VINDU_KIOSK', 'kiosk', 'kiosk/vindu-kiosk');

// A new empty directory, removed with everything in it when the scope ends.
export function tempDir(scope, name = 'test') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vindu-${name}-`));
  scope.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

// Sends `signal` to the hub; resolves to its exit code (or signal) once it has exited.
export function stopHub(hub, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (exited(hub.child)) return resolve(hub.child.exitCode);
    hub.child.once('exit', (code, sig) => resolve(code ?? sig));
    hub.child.kill(signal);
  });
}

// SIGTERM, and SIGKILL if it has not stopped in 10 s: its exit code, or 'hung'.
function stopWithin10s(child) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('hung'); }, 10000);
    child.once('exit', (c, sig) => { clearTimeout(timer); resolve(c ?? sig); });
    child.kill('SIGTERM');
  });
}

// Start a hub; resolves once it prints its "listening on" line. Pass the dataDir and port of a
// stopped hub to start it again as the same hub. `limits`: keys of the config's [limits] group
// (hub/config.h), written to a config file. `webRoot`: the web app it serves. At the end of the
// scope the hub must stop cleanly on SIGTERM (exit 0: under the sanitizers this also means no
// leak and no error at shutdown); a hub a test stopped or killed on purpose is left alone.
export async function startHub(scope, { dataDir, port = 0, args = [], env = {}, limits, webRoot: root, readyTimeoutMs = 30000 } = {}) {
  dataDir = dataDir || path.join(tempDir(scope, 'hub'), 'data');
  if (limits) {
    const conf = path.join(tempDir(scope, 'hub-conf'), 'hub.conf');
    fs.writeFileSync(conf, '[limits]\n' + Object.entries(limits).map(([k, v]) => `${k}=${v}\n`).join(''));
    args = ['--config', conf, ...args];
  }
  if (root) args = ['--web-root', root, ...args];
  const child = spawn(hubBinary(), ['--listen', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const hub = { child, dataDir, stderr: () => stderr, admin: (...a) => adminChecked(dataDir, a) };
  scope.after(async (exiting) => {
    if (exited(child)) return;
    if (exiting === true) { child.kill('SIGTERM'); return; }
    const code = await stopWithin10s(child);
    if (code !== 0) throw new Error(`hub did not stop cleanly (${code}): ${stderr.slice(-4000)}`);
  });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start in ${readyTimeoutMs} ms: ${stderr.slice(-4000)}`)), readyTimeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/vindu-hub: listening on https:\/\/([0-9.]+):(\d+)/);
      if (m) { clearTimeout(timer); hub.port = Number(m[2]); resolve(); }
    });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hub exited ${code}: ${stderr.slice(-4000)}`)); });
  });
  hub.url = `https://127.0.0.1:${hub.port}`;
  hub.origin = hub.url;
  hub.wsUrl = `wss://127.0.0.1:${hub.port}/ws`;
  return hub;
}

// `vindu-hub admin ARGS…` without --json: { status, stdout, stderr }.
export function adminRaw(dataDir, ...args) {
  const r = spawnSync(hubBinary(), ['admin', '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The same, not blocking the event loop (so a test can keep posting while it runs). With
// timeoutMs, a command still running then is killed (SIGTERM; status null).
export function adminAsync(dataDir, ...args) {
  return adminSpawn(dataDir, args);
}
function adminSpawn(dataDir, args, timeoutMs = 0) {
  return new Promise((resolve) => {
    const child = spawn(hubBinary(), ['admin', '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGTERM'), timeoutMs) : null;
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

// The last line of --json output as an object (empty when there is none), with the exit status.
function jsonAnswer({ status, stdout }) {
  const line = stdout.trim().split('\n').pop();
  const out = line ? JSON.parse(line) : {};
  out.status = status;
  return out;
}

// `vindu-hub admin ARGS… --json` as an object with its exit status; a refusal is returned too.
export function admin(dataDir, ...args) {
  return jsonAnswer(adminRaw(dataDir, ...args, '--json'));
}

// The same without blocking, for set-up: a refusal, a failure or 20 s without an answer throws.
async function adminChecked(dataDir, args) {
  const r = await adminSpawn(dataDir, [...args, '--json'], 20000);
  const out = r.stdout.trim() ? jsonAnswer(r) : {};
  if (out.ok === false) throw new Error(`admin ${args[0]}: ${out.code} ${out.message}`);
  if (r.status !== 0) throw new Error(`admin ${args[0]} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  delete out.status;
  return out;
}

// A household; resolves to the admin answer (household, provisioning_code, …).
export async function createHousehold(hub, resident = 'Ingebjørg', { language } = {}) {
  return adminChecked(hub.dataDir, ['household', 'create', '--resident', resident, ...(language ? ['--language', language] : [])]);
}

// Invites a person; returns {person, token, link} with the link on the running hub's origin.
// `rights`: an array or a comma-separated string.
export async function invite(hub, household, { name, relationship = 'Daughter', role = 'family', rights = ['call', 'message', 'status'] }) {
  const out = await adminChecked(hub.dataDir, ['invite', '--household', household, '--name', name,
    '--relationship', relationship, '--role', role, '--rights', [rights].flat().join(',')]);
  return { ...out, link: `${hub.origin}/#join=${out.token}` };
}
