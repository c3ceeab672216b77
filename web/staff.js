// Staff view (role staff or coordinator): the organisation's kiosks at a glance, and agreed
// check-in calls, which the kiosk shows on its "today" strip beforehand.
import { announce, h, holdButtons, uid } from './dom.js';
import { formatDateTime, formatWhen, t } from './i18n.js';
import { presenceStatus } from './status.js';

const REFRESH_MS = 30000;

export function renderStaff(app) {
  const list = h('ul', { class: 'cards staff-list', 'aria-busy': 'true' });
  const checkins = h('div', { class: 'checkins' });
  const form = h('div');
  let items = [];

  const load = async () => {
    try {
      // in pages that each fit one frame: follow `next` while there is `more`
      items = [];
      let after;
      do {
        const answer = await app.hub.request({ type: 'staff.overview', ...(after ? { after } : {}) });
        items.push(...(answer.items || []));
        after = answer.more ? answer.next : undefined;
      } while (after);
      list.replaceChildren(...(items.length ? items.map(kioskCard) : [h('li', { class: 'empty' }, t('staff.none'))]));
      if (!form.firstChild && items.length) form.append(checkinForm(app, items, () => loadCheckins()));
      await loadCheckins();
    } catch (err) {
      list.replaceChildren(h('li', { class: 'problem' }, err.code === 'forbidden' ? t('staff.no_right') : t('connection.lost')));
    }
    list.setAttribute('aria-busy', 'false');
  };

  const loadCheckins = async () => {
    const households = [...new Set(items.map((i) => i.household))];
    const rows = [];
    for (const household of households) {
      try {
        // the hub answers in pages that each fit one frame: follow `next` while there is `more`
        let after;
        do {
          const answer = await app.hub.request({ type: 'doc.list', household, kind: 'checkin', ...(after ? { after } : {}) });
          for (const item of answer.items || []) {
            if (!item.deleted && item.body && item.body.at * 1000 > Date.now() - 3600 * 1000) rows.push({ household, ...item });
          }
          after = answer.more ? answer.next : undefined;
        } while (after);
      } catch {
        // A household we cannot list is simply not shown here.
      }
    }
    rows.sort((a, b) => a.body.at - b.body.at);
    const resident = (hid) => (items.find((i) => i.household === hid) || {}).resident || '';
    checkins.replaceChildren(rows.length
      ? h('ul', { class: 'checkin-list' }, rows.map((row) => h('li', { dataset: { doc: row.doc } },
        h('p', {}, h('strong', {}, formatDateTime(row.body.at)), ' – ', resident(row.household), ': ', row.body.title || t('staff.checkin_default')),
        h('button', { type: 'button', class: 'secondary', onclick: async (ev) => {
          const release = holdButtons(ev.currentTarget);
          try {
            await app.hub.request({ type: 'doc.put', household: row.household, kind: 'checkin', doc: row.doc, base_rev: row.rev, body: {}, deleted: true });
            announce(t('staff.cancelled'));
          } catch (err) {
            announce(`${t('admin.failed')} ${err.message || ''}`);
          } finally {
            release();
          }
          loadCheckins();
        } }, t('staff.cancel_checkin')))))
      : h('p', {}, t('staff.no_checkins')));
  };

  load();
  const timer = setInterval(load, REFRESH_MS);
  // Presence news comes in bursts (a kiosk reconnecting): one reload per second at most.
  let pending = null;
  const offPresence = app.hub.on('presence', () => {
    if (!pending) pending = setTimeout(() => { pending = null; load(); }, 1000);
  });
  const element = h('section', { class: 'staff' },
    h('h1', {}, t('staff.title')),
    h('p', { class: 'lead' }, t('staff.lead')),
    list,
    h('section', { 'aria-labelledby': 'checkins-h' }, h('h2', { id: 'checkins-h' }, t('staff.checkins')), checkins),
    h('section', { 'aria-labelledby': 'schedule-h' }, h('h2', { id: 'schedule-h' }, t('staff.schedule')), form));
  return { element, cleanup: () => { clearInterval(timer); clearTimeout(pending); offPresence(); }, title: t('staff.short') };
}

function kioskCard(item) {
  const presence = item.presence || 'unknown';
  const missed = item.missed_checkins || 0;
  return h('li', { class: `card kiosk-card presence-${presence}`, dataset: { household: item.household } },
    h('h2', {}, h('a', { href: `#/h/${item.household}`, class: 'card-link' }, item.resident)),
    h('p', { class: `status status-${presence}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }),
      presenceStatus(item.presence, item.last_seen_at).text),
    h('dl', {},
      h('dt', {}, t('staff.last_call')), h('dd', {}, item.last_call_at ? formatWhen(item.last_call_at) : t('time.never')),
      h('dt', {}, t('staff.missed')), h('dd', { class: missed ? 'missed' : '' }, String(missed))));
}

function checkinForm(app, items, reload) {
  const output = h('p', { class: 'result', role: 'status' });
  const households = [...new Map(items.map((i) => [i.household, i.resident])).entries()];
  const who = h('select', { id: 'checkin-household' }, households.map(([id, name]) => h('option', { value: id }, name)));
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const date = h('input', { type: 'date', id: 'checkin-date', required: true, value: isoDate(tomorrow) });
  const time = h('input', { type: 'time', id: 'checkin-time', required: true, value: '10:00' });
  const title = h('input', { type: 'text', id: 'checkin-title', maxLength: 80, value: t('staff.checkin_default') });
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const at = Math.round(new Date(`${date.value}T${time.value}`).getTime() / 1000);
      if (!at || at * 1000 < Date.now()) {
        output.textContent = t('staff.in_past');
        return;
      }
      const release = holdButtons(form);
      try {
        await app.hub.request({
          type: 'doc.put', household: who.value, kind: 'checkin', doc: `ci-${uid()}`, base_rev: 0,
          body: { at, person: app.store.self.id, title: title.value.trim() || t('staff.checkin_default') },
        });
        output.textContent = t('staff.scheduled', { when: formatDateTime(at) });
        announce(output.textContent);
        reload();
      } catch (err) {
        output.textContent = `${t('admin.failed')} ${err.message || ''}`;
      } finally {
        release();
      }
    },
  },
  h('label', { for: 'checkin-household' }, t('staff.who')), who,
  h('div', { class: 'row' },
    h('div', {}, h('label', { for: 'checkin-date' }, t('staff.date')), date),
    h('div', {}, h('label', { for: 'checkin-time' }, t('staff.time')), time)),
  h('label', { for: 'checkin-title' }, t('staff.what')), title,
  h('button', { type: 'submit', class: 'big', id: 'checkin-submit' }, t('staff.schedule_submit')),
  output);
  return form;
}

function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
