// This browser as an installed app: the service worker (sw.js) and Web Push. Pushes let the
// hub reach this person when no Vindu page is open (a call from the screen at home rings here,
// a missed call or a reply shows as a notification). The browser asks for permission only
// when the person presses the button, never by itself.
import { h } from './dom.js';
import { t, language } from './i18n.js';

const PREFS = 'vindu-prefs';

export function registerWorker() {
  if (!('serviceWorker' in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register('sw.js').catch(() => null);
}

// The service worker writes notifications in the page's language.
export async function rememberLanguage() {
  if (!('caches' in self)) return;
  try {
    await (await caches.open(PREFS)).put('lang', new Response(language()));
  } catch { /* notifications fall back to English */ }
}

// `#answer=CALL`: opened from a call's notification — that touch answers the call when it rings.
export function takeAnswerCall() {
  const m = /^#answer=([A-Za-z0-9_-]{3,64})$/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', '#/');
  return m[1];
}

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in self && 'Notification' in self;
}

function keyBytes(b64url) {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

async function enablePush(hub, showText) {
  if (await Notification.requestPermission() !== 'granted') throw new Error('denied');
  const registration = await navigator.serviceWorker.ready;
  const { public_key: key } = await hub.request({ type: 'push.get_key' });
  const sub = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const json = sub.toJSON();
  await hub.request({ type: 'push.subscribe', endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth, show_text: showText });
}

// "Ring this phone when Vindu is closed", with the choice to show message words.
export function pushSection(app) {
  if (!pushSupported()) return null;
  const status = h('p', { role: 'status', class: 'push-status' });
  const words = h('input', { type: 'checkbox', id: 'push-words' });
  const button = h('button', {
    type: 'button', class: 'secondary', id: 'push-enable',
    onclick: async () => {
      button.disabled = true;
      try {
        await enablePush(app.hub, words.checked);
        status.textContent = t('push.enabled');
      } catch (err) {
        status.textContent = err.message === 'denied' ? t('push.denied') : t('push.failed');
      } finally {
        button.disabled = false;
      }
    },
  }, t('push.enable'));
  return h('section', { class: 'push', 'aria-labelledby': 'push-h' },
    h('h2', { id: 'push-h' }, t('push.title')),
    h('p', {}, t('push.help')),
    h('p', {}, words, ' ', h('label', { for: 'push-words' }, t('push.words'))),
    button, status);
}
