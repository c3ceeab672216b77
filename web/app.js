// Start-up and navigation: language, sign-in (invite link, another device's link or stored
// session), then one view per address: #/ households, #/h/ID household, #/h/ID/admin, #/staff,
// #/devices, #/activity/DOC (activity_page.js).
import { Hub, HubError } from './ws.js';
import { LANGUAGES, language, preferredLanguage, setLanguage, t } from './i18n.js';
import {
  deviceName, dropSession, forgetSession, otherSessions, saveSession, sessionToken, switchSession,
  takeDeviceToken, takeInviteToken,
} from './session.js';
import { Store } from './store.js';
import { announce, h, show } from './dom.js';
import { renderHome } from './home.js';
import { renderHousehold } from './household.js';
import { Calls } from './callview.js';
import { Outbox } from './outbox.js';
import { Inbox } from './inbox.js';
import { renderMessage } from './notice.js';
import { registerWorker, rememberLanguage, takeAnswerCall } from './push.js';
import { watchEscalations } from './reminders.js';

const hub = new Hub();
const store = new Store(hub);
const app = {
  hub, store, outbox: new Outbox(hub, store), inbox: new Inbox(hub, store), calls: null, signOut, switchTo, route,
};
app.calls = new Calls(app);
watchEscalations(hub); // before sign-in: the hub sends pending notices right after it
let cleanup = null;

async function main() {
  registerWorker();
  app.calls.answerWhenRinging(takeAnswerCall());
  await setLanguage(preferredLanguage());
  rememberLanguage();
  renderChrome();
  // An invite link opened in a tab that already runs the app changes only the fragment: start
  // again so that it is redeemed like any other.
  // A call's notification touched while this page is open navigates it to #answer=CALL.
  window.addEventListener('hashchange', () => {
    if (/^#(join|device)=/.test(location.hash)) location.reload();
    else if (/^#answer=/.test(location.hash)) app.calls.answerWhenRinging(takeAnswerCall());
    else route();
  });
  hub.on('open', (welcome) => { onSignedIn(welcome).catch(() => {}); });
  hub.on('close', () => setConnectionBanner(t('connection.lost')));
  hub.on('fatal', onFatal);

  const invite = takeInviteToken();
  const link = invite ? null : takeDeviceToken();
  const session = sessionToken();
  if (invite || link) {
    // the device's name for the person's list of devices, in the words of this page's language
    const device = deviceName(navigator.userAgent, t);
    try {
      await hub.connect({ kind: invite ? 'invite' : 'link', token: invite || link, ...(device ? { device } : {}) });
      announce(t('join.done'));
      return;
    } catch (err) {
      if (err.code === 'rate_limited') return showWait(err);
      if (!session && link) return showProblem('device_link.failed.title', 'device_link.failed.body');
      if (!session) return showProblem('join.failed.title', explain(err));
      announce(t(link ? 'device_link.failed.body' : 'join.failed.body'));
    }
  }
  if (!session) return showProblem('start.title', 'start.body');
  try {
    await hub.connect({ kind: 'session', token: session });
  } catch (err) {
    if (err.code === 'bad_credentials' || err.code === 'revoked') {
      return showProblem('signed_out.title', 'signed_out.body', dropSession(session));
    }
    if (err.code === 'rate_limited') return showWait(err);
    // Not reachable yet: the socket keeps retrying and `open` will bring us in.
    setConnectionBanner(t('connection.lost'));
    showProblem('connection.title', 'connection.lost');
  }
}

// Every successful sign-in (first, or after a reconnect) comes through here.
async function onSignedIn(welcome) {
  if (!(welcome.households || []).length) return signedOut('revoked.body');
  if (hub.auth && hub.auth.token) saveSession(hub.auth.token, welcome);
  setConnectionBanner(null);
  store.setWelcome(welcome);
  await store.refresh();
  app.outbox.resend();
  renderChrome();
  route();
}

// Revoked: the hub closed our connection. If this session still belongs to another household we
// stay; otherwise this browser is signed out at once and keeps nothing.
async function onFatal({ code }) {
  app.calls.endAll();
  const token = sessionToken();
  if (code === 'revoked' && token) {
    try {
      await hub.connect({ kind: 'session', token });
      if (store.self) announce(t('revoked.some'));
      return;
    } catch {
      // fall through: signed out
    }
  }
  // a refused session (this device signed out from another) is not a withdrawn access
  if (code === 'revoked') signedOut('revoked.body');
  else signedOut('signed_out.body', 'signed_out.title');
}

// This sign-in is over: forget it (the others kept on this browser stay, and one of them is
// offered), or forget them all when the person signs out.
function signedOut(bodyKey, titleKey = 'revoked.title', all = false) {
  const token = sessionToken();
  hub.close();
  let next = null;
  if (all) forgetSession();
  // (A second notice of the same removal finds no active token: offer the others again.)
  else next = token ? dropSession(token) : (otherSessions()[0] || null);
  store.setWelcome({ self: null, households: [] });
  renderChrome();
  showProblem(titleKey, bodyKey, next);
}

function signOut() {
  signedOut('signed_out.by_you', 'signed_out.title', true);
}

// Another sign-in kept on this browser becomes the active one; a fresh start is the simplest
// way to drop every state of the previous one.
function switchTo(token) {
  switchSession(token);
  location.hash = '#/';
  location.reload();
}

// The admin and staff pages (with the QR code maker) are loaded only by those who open them: a
// relative on a slow phone line downloads neither.
const lazyViews = {
  admin: () => import('./admin.js').then((m) => m.renderAdmin),
  staff: () => import('./staff.js').then((m) => m.renderStaff),
  activity: () => import('./activity_page.js').then((m) => m.renderActivity),
  devices: () => import('./devices.js').then((m) => m.renderDevices),
};
let routeCount = 0;

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  renderNav();
  if (!store.self) return;
  problem = null;
  const path = location.hash.replace(/^#/, '') || '/';
  const count = ++routeCount;
  let match;
  if ((match = /^\/h\/([A-Za-z0-9_-]+)\/admin$/.exec(path))) showLazy(count, 'admin', match[1]);
  else if ((match = /^\/h\/([A-Za-z0-9_-]+)$/.exec(path))) showView(renderHousehold(app, match[1]));
  else if (path === '/staff') showLazy(count, 'staff');
  else if ((match = /^\/activity\/([A-Za-z0-9_-]+)$/.exec(path))) showLazy(count, 'activity', match[1]);
  else if (path === '/devices') showLazy(count, 'devices');
  else showView(renderHome(app));
}

function showLazy(count, name, ...args) {
  lazyViews[name]().then((render) => {
    if (count === routeCount && store.self) showView(render(app, ...args));
  }, () => {
    if (count === routeCount) showProblem('connection.title', 'connection.lost');
  });
}

function showView(view) {
  cleanup = view.cleanup || null;
  show(view.element);
  document.title = view.title ? `${view.title} – Vindu` : 'Vindu';
}

let problem = null; // [titleKey, bodyKey] of the page shown while not signed in

// Too many tries to sign in: how long to wait, in the person's words, not "No connection".
// The hub socket tries again by itself when the wait is over, and `open` brings us in.
function showWait(err) {
  const minutes = Math.max(1, Math.ceil((err.retryAfterS || 60) / 60));
  showProblem('signin.wait.title', ['signin.wait.body', { minutes }]);
}

function showProblem(titleKey, bodyKey, next = null) {
  if (cleanup) cleanup();
  cleanup = null;
  problem = [titleKey, bodyKey, next];
  renderNav();
  const action = next && h('button', { type: 'button', class: 'big', id: 'switch-session', onclick: () => switchTo(next.token) },
    t('session.continue_as', { name: next.name, residents: next.residents.join(', ') }));
  const body = Array.isArray(bodyKey) ? t(...bodyKey) : t(bodyKey); // [key, {vars}] or key
  show(renderMessage(t(titleKey), body, action));
  document.title = `${t(titleKey)} – Vindu`;
}

function explain(err) {
  if (err instanceof HubError && err.code === 'bad_credentials') return 'join.failed.used';
  if (err instanceof HubError && err.code === 'disconnected') return 'connection.lost';
  return 'join.failed.body';
}

function setConnectionBanner(text) {
  const banner = document.getElementById('connection');
  banner.hidden = !text;
  banner.textContent = text || '';
}

// Header: language choice (remembered), skip link and nav, all in the chosen language.
function renderChrome() {
  const select = document.getElementById('lang-select');
  select.replaceChildren(...LANGUAGES.map((l) =>
    h('option', { value: l.code, selected: l.code === language() }, l.name)));
  select.onchange = async () => {
    await setLanguage(select.value, true);
    rememberLanguage();
    renderChrome();
    if (store.self) route();
    else if (problem) showProblem(...problem);
  };
  document.getElementById('lang-label').textContent = t('language');
  document.querySelector('.skip').textContent = t('skip');
  renderNav();
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const links = [];
  if (store.self) {
    links.push(h('a', { href: '#/' }, t('nav.home')));
    if (store.isStaff()) links.push(h('a', { href: '#/staff' }, t('nav.staff')));
    links.push(h('a', { href: '#/devices' }, t('nav.devices')));
  }
  nav.replaceChildren(...links);
}

main().catch((err) => {
  // A broken start must still say something a person can act on.
  showProblem('problem.title', 'problem.body');
  console.error('vindu: start failed', err && err.name);
});
