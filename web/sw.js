// Vindu's service worker: the app shell for a fast start on a poor connection, and Web Push.
//
// Shell: no list of file names. Every same-origin GET the page itself makes (index, its modules,
// styles, texts, icons — whatever names the build gives them) is fetched from the network first
// and kept; when the network fails, the kept copy answers. So the cache follows the page as its
// files change. The hub's API, files and the WebSocket are never cached.
//
// Push: the hub's payload (docs/protocol.md, "Web Push") becomes a notification in the page's
// language; touching it opens Vindu — for a call at `#answer=CALL`, which answers as it rings.
const SHELL = 'vindu-shell-v1';
const PREFS = 'vindu-prefs';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function cacheable(request) {
  const url = new URL(request.url);
  return request.method === 'GET' && url.origin === self.location.origin &&
    !url.pathname.startsWith('/api/') && url.pathname !== '/ws' && url.pathname !== '/healthz';
}

self.addEventListener('fetch', (event) => {
  if (!cacheable(event.request)) return;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL);
    try {
      const res = await fetch(event.request);
      if (res.ok) await cache.put(event.request, res.clone());
      return res;
    } catch (err) {
      const kept = await cache.match(event.request, { ignoreSearch: true });
      if (kept) return kept;
      throw err;
    }
  })());
});

// The page keeps its language here (push.js) so notifications speak it.
async function texts() {
  let lang = 'en';
  try {
    const res = await (await caches.open(PREFS)).match('lang');
    if (res) lang = await res.text();
  } catch { /* English */ }
  for (const code of [lang, 'en']) {
    try {
      const res = await fetch(`i18n/${code}.json`);
      if (res.ok) return res.json();
    } catch { /* offline: try the cache */ }
    const kept = await (await caches.open(SHELL)).match(new URL(`i18n/${code}.json`, self.location.href).href);
    if (kept) return kept.json();
  }
  return {};
}

const fill = (text, vars) => (text || '').replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ''));

function describe(p, tx) {
  const vars = { name: p.from || '' };
  switch (p.kind) {
    case 'call':
      return { title: fill(tx['push.call.title'], vars), body: tx['push.call.body'], tag: `call-${p.call}`, url: `./#answer=${p.call}`, requireInteraction: true };
    case 'missed_call':
      return { title: fill(tx['push.missed.title'], vars), body: tx['push.missed.body'], tag: `call-${p.call}`, url: `./#/h/${p.household}` };
    case 'message':
      return { title: fill(tx['push.message.title'], vars), body: p.text || tx['push.message.body'], tag: `msg-${p.msg}`, url: `./#/h/${p.household}` };
    case 'checkin_due':
      return { title: fill(tx['push.checkin.title'], vars), body: p.text || tx['push.checkin.body'], tag: `checkin-${p.household}-${p.at}`, url: './#/staff' };
    default:
      return { title: fill(tx['push.other.title'], vars), body: p.text || tx['push.other.body'], tag: p.kind, url: p.household ? `./#/h/${p.household}` : './' };
  }
}

self.addEventListener('push', (event) => {
  event.waitUntil((async () => {
    let payload = {};
    try { payload = event.data ? event.data.json() : {}; } catch { /* shown as "something new" */ }
    const d = describe(payload, await texts());
    await self.registration.showNotification(d.title || 'Vindu', {
      body: d.body || '', tag: d.tag, renotify: true, icon: 'icon-192.png',
      requireInteraction: !!d.requireInteraction, data: { url: d.url, kind: payload.kind, call: payload.call },
    });
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || './', self.location.href).href;
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of open) {
      if ('focus' in client) {
        await client.navigate(url).catch(() => {});
        return client.focus();
      }
    }
    return self.clients.openWindow(url);
  })());
});
