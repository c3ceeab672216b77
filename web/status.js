// The kiosk's state in plain words: "On and ready", "In a call", "Off – last seen …".
import { formatWhen, t } from './i18n.js';
import { h } from './dom.js';

export function kioskStatus(store, householdId) {
  const state = store.state(householdId);
  if (!state) return { key: 'unknown', text: t('status.unknown') };
  const kiosk = store.kiosk(householdId);
  if (!kiosk) return { key: 'none', text: t('status.no_kiosk') };
  if (!kiosk.presence) return { key: 'unknown', text: t('status.hidden') };
  if (kiosk.presence === 'online') return { key: 'online', text: t('status.online') };
  if (kiosk.presence === 'in_call') return { key: 'in_call', text: t('status.in_call') };
  return {
    key: 'offline',
    text: kiosk.last_seen_at
      ? t('status.offline_since', { when: formatWhen(kiosk.last_seen_at) })
      : t('status.offline'),
  };
}

// A badge whose text carries the meaning (colour only repeats it).
export function statusBadge(store, householdId) {
  const s = kioskStatus(store, householdId);
  return h('p', { class: `status status-${s.key}`, dataset: { status: s.key } },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), s.text);
}
