// The browser's sign-ins: session tokens from redeemed invites, kept in localStorage so that the
// person never needs a password. A nurse or a volunteer invited to several households holds one
// sign-in per household (the protocol makes a person per invite): all are kept, one is active.
// Tokens are never logged and never put in a URL.
import { SESSION_KEY as ACTIVE } from './early.js';

const LIST = 'vindu.sessions'; // [{token, name, residents: [..]}], most recently used first

function list() {
  try {
    const value = JSON.parse(localStorage.getItem(LIST) || '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function saveList(items) {
  localStorage.setItem(LIST, JSON.stringify(items));
}

export function sessionToken() {
  return localStorage.getItem(ACTIVE);
}

// Makes `token` the active sign-in and remembers who it is, for the "switch" list.
export function saveSession(token, welcome) {
  localStorage.setItem(ACTIVE, token);
  const entry = {
    token,
    name: welcome && welcome.self ? welcome.self.name : '',
    residents: welcome && welcome.households ? welcome.households.map((h) => h.resident) : [],
  };
  saveList([entry, ...list().filter((s) => s.token !== token)]);
}

export function otherSessions() {
  const active = sessionToken();
  return list().filter((s) => s.token !== active);
}

export function switchSession(token) {
  localStorage.setItem(ACTIVE, token);
}

// Drops one sign-in (withdrawn or refused); returns the next one kept, or null.
export function dropSession(token) {
  const rest = list().filter((s) => s.token !== token);
  saveList(rest);
  if (sessionToken() === token) localStorage.removeItem(ACTIVE);
  return rest.length ? rest[0] : null;
}

// Forgets every sign-in and everything kept for them on this browser.
export function forgetSession() {
  for (const key of Object.keys(localStorage)) {
    if (key === ACTIVE || key === LIST || key.startsWith('vindu.outbox.')) localStorage.removeItem(key);
  }
}

// Reads `#join=TOKEN` from the invite link and removes it from the address bar and history,
// so the one-time token does not linger in the browser's history or get shared by copy-paste.
export function takeInviteToken() {
  const match = /^#join=([A-Za-z0-9_\-.~%]+)$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search + '#/');
  return decodeURIComponent(match[1]);
}

// Reads `#device=TOKEN` (a one-time link made on another device of the same person, devices.js)
// and removes it from the address bar and history, as for an invite.
export function takeDeviceToken() {
  const match = /^#device=([A-Za-z0-9_\-.~%]+)$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search + '#/');
  return decodeURIComponent(match[1]);
}

// The name this device gets in the person's list of devices, from its user agent: "Chrome on
// Android". Only the browser's and the system's names, nothing that tells one phone from another.
export function deviceName(userAgent = navigator.userAgent, words = (key, vars) => `${vars.browser} – ${vars.system}`) {
  const browsers = [[/Edg\//, 'Edge'], [/SamsungBrowser\//, 'Samsung Internet'], [/Firefox\/|FxiOS\//, 'Firefox'],
    [/Chrome\/|CriOS\//, 'Chrome'], [/Safari\//, 'Safari']];
  const systems = [[/Android/, 'Android'], [/iPhone/, 'iPhone'], [/iPad/, 'iPad'], [/CrOS/, 'ChromeOS'],
    [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'], [/Linux/, 'Linux']];
  const pick = (list) => (list.find(([re]) => re.test(userAgent)) || [null, ''])[1];
  const browser = pick(browsers);
  const system = pick(systems);
  if (!browser || !system) return (browser || system || '').slice(0, 64);
  return words('device.name', { browser, system }).slice(0, 64);
}
