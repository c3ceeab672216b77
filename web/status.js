// The kiosk's state in plain words: "On and ready", "In a call", "Off – last seen …".
import { formatWhen, t } from './i18n.js';
import { h } from './dom.js';

// "last seen 5 minutes ago" must not stay "just now" on a page left open: badges that show a
// time are rewritten this often.
const LAST_SEEN_REFRESH_MS = 30000;
let refreshTimer = null;

export function kioskStatus(store, householdId) {
  const state = store.state(householdId);
  if (!state) return { key: 'unknown', text: t('status.unknown') };
  const kiosk = store.kiosk(householdId);
  if (!kiosk) return { key: 'none', text: t('status.no_kiosk') };
  return presenceStatus(kiosk.presence, kiosk.last_seen_at);
}

// A kiosk's `presence` and `last_seen_at` as the hub sent them, in words: the one mapping for
// the household pages and the staff cards. Without the `status` right the hub sends no
// presence: say so, do not guess "off".
export function presenceStatus(presence, lastSeenAt) {
  if (!presence) return { key: 'unknown', text: t('status.hidden') };
  if (presence === 'online') return { key: 'online', text: t('status.online') };
  if (presence === 'in_call') return { key: 'in_call', text: t('status.in_call') };
  return { key: 'offline', since: lastSeenAt || null, text: offlineText(lastSeenAt) };
}

// "Not connected – last seen 5 minutes ago", or without a time when the hub has none.
export function offlineText(lastSeenAt) {
  return lastSeenAt ? t('status.offline_since', { when: formatWhen(lastSeenAt) }) : t('status.offline');
}

// A badge whose text carries the meaning (colour only repeats it).
export function statusBadge(store, householdId) {
  const s = kioskStatus(store, householdId);
  const text = h('span', { class: 'status-text' }, s.text);
  const badge = h('p', { class: `status status-${s.key}`, dataset: { status: s.key } },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), text);
  if (s.since) {
    badge.dataset.since = String(s.since);
    if (!refreshTimer) refreshTimer = setInterval(refreshLastSeen, LAST_SEEN_REFRESH_MS);
  }
  return badge;
}

function refreshLastSeen() {
  const badges = document.querySelectorAll('.status[data-since] .status-text');
  if (!badges.length) {
    clearInterval(refreshTimer);
    refreshTimer = null;
    return;
  }
  for (const text of badges) {
    const fresh = offlineText(Number(text.parentElement.dataset.since));
    if (text.textContent !== fresh) text.textContent = fresh;
  }
}
