// What the page starts before its app script has arrived: on a link with long round trips the
// WebSocket's handshake (TCP, TLS, upgrade) and the texts' download then overlap the script's
// download instead of following it. index.html loads this small module on its own (async, no
// imports); ws.js and i18n.js import it and adopt what it started, or start their own;
// session.js takes the name of the stored sign-in from here.
export const LANGUAGE_KEY = 'vindu.lang'; // the person's choice of language
export const LANGUAGE_CODES = ['nb', 'nn', 'sv', 'en']; // i18n.js names them
export const SESSION_KEY = 'vindu.session'; // the active sign-in's token (session.js)

// Picks the stored choice, else the browser's first supported language, else English.
export function preferredLanguage() {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored && LANGUAGE_CODES.includes(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('nn')) return 'nn';
    if (lower.startsWith('nb') || lower.startsWith('no')) return 'nb';
    if (lower.startsWith('sv')) return 'sv';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

// wss://host/ws on the page's own origin (the hub serves this app).
export function hubSocketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export function fetchTexts(code) {
  return fetch(`i18n/${code}.json`, { cache: 'no-cache' }).then((res) => {
    if (!res.ok) throw new Error(`language ${code}: HTTP ${res.status}`);
    return res.json();
  });
}

// The app signs in when the address holds an invite or a device link, or a session is kept.
function willSignIn() {
  return /^#(join|device)=/.test(location.hash) || !!localStorage.getItem(SESSION_KEY);
}

let socket = null;
const texts = new Map(); // language code -> promise of its texts

try {
  if (willSignIn()) socket = new WebSocket(hubSocketUrl(), 'vindu.v1');
} catch {
  socket = null; // ws.js tries again, and says so when it cannot
}
// English is the fallback for missing keys, so it is always loaded.
for (const code of new Set([preferredLanguage(), 'en'])) {
  const promise = fetchTexts(code);
  promise.catch(() => {}); // an unused failure is not an error; i18n.js fetches again
  texts.set(code, promise);
}

// The early socket, once, if it may still sign in (connecting or open); else null.
export function takeSocket(url) {
  const s = socket;
  socket = null;
  if (!s || s.url !== url || s.readyState > WebSocket.OPEN) {
    if (s) s.close();
    return null;
  }
  return s;
}

// The early download of a language's texts, once; null when none was started.
export function takeTexts(code) {
  const promise = texts.get(code) || null;
  texts.delete(code);
  return promise;
}
