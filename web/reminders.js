// Reminders on the family's page: today's state of each reminder in words ("Done at 08:03",
// "Later (until 08:20)", "Not confirmed") and the last 14 days at a glance, from the screen's
// answers (plugin.answer bodies carry the occurrence they answer in `due`); and the notice the
// hub gives the chosen person when a reminder is not confirmed (reminder.escalated), with a
// button to call the resident and, when her screen is offline, since when.
import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';

const DAY = 86400;
const pad = (n) => String(n).padStart(2, '0');
const clock = (s) => { const d = new Date(s * 1000); return `${pad(d.getHours())}:${pad(d.getMinutes())}`; };
const dayOf = (s) => { const d = new Date(s * 1000); return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 1000; };

// The newest answer of each occurrence (answers come newest first).
function byOccurrence(answers) {
  const out = new Map();
  for (const a of answers || []) {
    const due = a.body && a.body.due;
    if (typeof due === 'number' && !out.has(due)) out.set(due, a);
  }
  return out;
}

// "Done at 08:03" / "Later (until 08:20)" / "Not confirmed" for today, or null.
export function todayInWords(answers, now = Date.now() / 1000) {
  const today = dayOf(now);
  const latest = [...byOccurrence(answers).values()].filter((a) => dayOf(a.body.due) === today)
    .sort((x, y) => y.body.due - x.body.due)[0];
  if (!latest) return null;
  const b = latest.body;
  if (b.state === 'done') return t('reminders.done_at', { time: clock(b.at || latest.at) });
  if (b.state === 'later' && b.until) return t('reminders.later_until', { time: clock(b.until) });
  if (b.state === 'not_confirmed') return t('reminders.not_confirmed');
  return null;
}

// The last 14 days, oldest first: each day 'done', 'missed' (not confirmed) or 'none'.
export function fourteenDays(answers, now = Date.now() / 1000) {
  const occ = [...byOccurrence(answers).values()];
  const today = dayOf(now);
  return Array.from({ length: 14 }, (_, i) => {
    const day = dayOf(today - (13 - i) * DAY + 3600 * 12);
    const states = occ.filter((a) => dayOf(a.body.due) === day).map((a) => a.body.state);
    const state = states.includes('not_confirmed') ? 'missed' : states.includes('done') ? 'done' : 'none';
    return { day, state };
  });
}

const DAY_NUMBER = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const daysBetween = (a, b) => Math.round((midnight(b) - midnight(a)) / (DAY * 1000));

// Does the day `c` (at the start's time of day) belong to the rule, counted from `start`?
function ruleHas(p, start, c) {
  const interval = Number(p.INTERVAL || 1);
  const days = daysBetween(start, c);
  if (p.FREQ === 'DAILY') return days % interval === 0;
  if (p.FREQ === 'WEEKLY') {
    const weeks = Math.floor((days + ((start.getDay() + 6) % 7)) / 7); // weeks start on Monday
    const on = p.BYDAY ? p.BYDAY.split(',').map((d) => DAY_NUMBER[d.slice(-2)]) : [start.getDay()];
    return weeks % interval === 0 && on.includes(c.getDay());
  }
  const months = (c.getFullYear() - start.getFullYear()) * 12 + c.getMonth() - start.getMonth();
  if (p.FREQ === 'MONTHLY') return c.getDate() === start.getDate() && months % interval === 0;
  if (p.FREQ === 'YEARLY') return c.getDate() === start.getDate() && months % (12 * interval) === 0;
  return false;
}

// The next time a reminder is due after `now` (seconds), by this browser's clock, or null (a
// single time that is past, a repetition that has ended). The kiosk counts in the household's
// time zone; a relative in another zone sees the same moment in her own.
export function nextTime(body, now = Date.now() / 1000) {
  const first = body && body.starts_at;
  if (typeof first !== 'number') return null;
  if (!body.rrule) return first > now ? first : null;
  const p = Object.fromEntries(body.rrule.split(';').map((part) => part.split('=')));
  const step = { MINUTELY: 60, HOURLY: 3600 }[p.FREQ];
  if (step) return first > now ? first : first + Math.ceil((now - first) / (step * Number(p.INTERVAL || 1))) * step * Number(p.INTERVAL || 1);
  const start = new Date(first * 1000);
  const from = midnight(new Date(Math.max(first, now) * 1000));
  for (let i = 0; i < 800; i++) {
    const c = new Date(from.getFullYear(), from.getMonth(), from.getDate() + i, start.getHours(), start.getMinutes());
    if (c.getTime() / 1000 < first || c.getTime() / 1000 <= now || !ruleHas(p, start, c)) continue;
    return c.getTime() / 1000;
  }
  return null;
}

function nextInWords(body) {
  const next = nextTime(body);
  if (next === null) return null;
  return t('reminders.next', { when: formatDateTime(next) });
}

// Added to a reminder's entry in the list (plugins.js).
export function reminderExtras(item) {
  const answers = item.answers || [];
  const next = nextInWords(item.body);
  const words = todayInWords(answers);
  const days = fourteenDays(answers);
  const fmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
  const mark = { done: '✓', missed: '✗', none: '·' };
  return h('div', { class: 'reminder-state' },
    next ? h('p', { class: 'next-time' }, next) : null,
    h('p', { class: 'today-state' }, t('reminders.today', { state: words || t('reminders.today_nothing') })),
    h('ol', { class: 'fourteen-days', 'aria-label': t('reminders.fourteen_days') },
      days.map((d) => h('li', { dataset: { state: d.state }, title: fmt.format(new Date(d.day * 1000)) },
        h('span', { 'aria-hidden': 'true' }, mark[d.state]),
        h('span', { class: 'visually-hidden' }, `${fmt.format(new Date(d.day * 1000))}: ${t(`reminders.day_${d.state}`)}`)))));
}

// Notices kept per household, from the moment the app starts (sign-in brings pending ones).
const notices = new Map();
const listeners = new Set();

export function watchEscalations(hub) {
  hub.on('reminder.escalated', (msg) => {
    const list = notices.get(msg.household) || [];
    if (!list.some((n) => n.doc === msg.doc && n.due === msg.due)) list.push(msg);
    notices.set(msg.household, list);
    for (const l of listeners) l(msg.household);
  });
}

// The household page's notices: "Ingebjørg has not confirmed “Heart pills” (08:00)", a call
// button, and the screen's offline time when it is offline.
export function escalationSection(app, id) {
  const box = h('section', { class: 'escalations', 'aria-labelledby': 'escalations-h', hidden: true },
    h('h2', { id: 'escalations-h' }, t('reminders.escalated_title')), h('ul'));
  const fill = () => {
    const list = notices.get(id) || [];
    box.hidden = list.length === 0;
    box.querySelector('ul').replaceChildren(...list.map((n) => {
      const kiosk = app.store.kiosk(id);
      return h('li', { class: 'problem-note escalation', dataset: { doc: n.doc } },
        h('p', {}, t('reminders.escalated', { name: n.resident, title: n.title, time: clock(n.due) })),
        n.kiosk_offline_since ? h('p', { class: 'offline-since' }, t('reminders.offline_since', { time: clock(n.kiosk_offline_since) })) : null,
        kiosk && app.store.can(id, 'call') ? h('button', { type: 'button', class: 'big call-button escalation-call', onclick: () => app.calls.start(id, kiosk.id) },
          t('call.start', { name: n.resident })) : null);
    }));
  };
  const listener = (household) => { if (household === id) fill(); };
  listeners.add(listener);
  fill();
  return { element: box, cleanup: () => listeners.delete(listener) };
}
