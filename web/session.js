// The browser's sign-in: the session token from a redeemed invite, kept in localStorage so that
// the person never needs a password. Never logged, never put in a URL.
const KEY = 'vindu.session';

export function sessionToken() {
  return localStorage.getItem(KEY);
}

export function saveSession(token) {
  localStorage.setItem(KEY, token);
}

// Forgets the token and everything kept for this person on this browser.
export function forgetSession() {
  for (const key of Object.keys(localStorage)) {
    if (key === KEY || key.startsWith('vindu.outbox.')) localStorage.removeItem(key);
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
