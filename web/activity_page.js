// The coordinator's page for one activity (#/activity/DOC): in every household where this person
// holds the `activities` right and that has the invitation, the resident's latest answer (yes,
// no, "call me", a ride or not); the pick-up list — who needs a ride, when and where (the
// household's address, set by the hub's admin); and a change of time or a cancellation that goes
// to every one of those kiosks with one `doc.put_many`.
import { announce, h, holdButtons } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { activityHouseholds } from './activity_invite.js';

// The household's document `doc`, walking doc.list's pages; null when it has none.
async function findDoc(hub, household, doc) {
  let after;
  do {
    const answer = await hub.request({ type: 'doc.list', household, kind: 'activity', ...(after ? { after } : {}) });
    const item = (answer.items || []).find((it) => it.doc === doc);
    if (item) return item.deleted ? null : item;
    after = answer.more ? answer.next : undefined;
  } while (after);
  return null;
}

// One row per household that has the activity: {id, resident, address, item, answer}.
async function loadRows(app, doc) {
  const rows = [];
  for (const home of activityHouseholds(app.store, null)) {
    const item = await findDoc(app.hub, home.id, doc);
    if (!item) continue;
    const state = app.store.state(home.id) || await app.store.fetch(home.id);
    rows.push({ id: home.id, resident: home.resident, address: state && state.address, item, answer: (item.answers || [])[0] });
  }
  return rows;
}

function replyWords(answer) {
  if (!answer) return t('activities.reply_none');
  return t(`activities.reply_${answer.body.reply}`);
}

function rideWords(answer) {
  if (!answer || answer.body.reply !== 'yes' || answer.body.ride === undefined) return '–';
  return answer.body.ride ? t('activities.ride_yes') : t('activities.ride_no');
}

function answersTable(rows) {
  return h('table', { class: 'activity-answers' },
    h('caption', {}, t('activities.answers_title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('activities.col_who')),
      h('th', { scope: 'col' }, t('activities.col_answer')),
      h('th', { scope: 'col' }, t('activities.col_ride')))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { household: r.id, reply: r.answer ? r.answer.body.reply : 'none' } },
      h('th', { scope: 'row' }, r.resident), h('td', {}, replyWords(r.answer)), h('td', {}, rideWords(r.answer))))));
}

// Who is picked up, in order of pick-up time: time, resident, address, driver.
function pickupList(rows) {
  const riders = rows.filter((r) => r.answer && r.answer.body.reply === 'yes' && r.answer.body.ride)
    .sort((a, b) => (a.item.body.pickup_at || 0) - (b.item.body.pickup_at || 0) || a.resident.localeCompare(b.resident));
  const heading = h('h2', { id: 'pickup-h' }, t('activities.pickup_title'));
  if (!riders.length) return [heading, h('p', { class: 'empty' }, t('activities.pickup_none'))];
  return [heading, h('ol', { class: 'pickup-list', 'aria-labelledby': 'pickup-h' }, riders.map((r) => h('li', { dataset: { household: r.id } },
    h('strong', {}, r.item.body.pickup_at ? formatDateTime(r.item.body.pickup_at) : t('activities.pickup_no_time')),
    ' – ', r.resident, ' – ', r.address || t('activities.no_address'),
    r.item.body.ride_by ? ` (${t('activities.driver', { name: r.item.body.ride_by })})` : '')))];
}

const pad = (n) => String(n).padStart(2, '0');

// The same change for every household, each from its own revision: all or nothing.
function putAll(app, rows, doc, body) {
  return app.hub.request({
    type: 'doc.put_many', kind: 'activity', doc, body,
    targets: rows.map((r) => ({ household: r.id, base_rev: r.item.rev })),
  });
}

// The new time moves the pick-up, the end and the answer-by time by as much.
function movedBody(body, startsAt) {
  const shift = startsAt - body.starts_at;
  const moved = { ...body, starts_at: startsAt };
  for (const f of ['ends_at', 'pickup_at', 'answer_by']) if (typeof body[f] === 'number') moved[f] = body[f] + shift;
  return moved;
}

function changeForm(app, rows, doc, reload) {
  const body = rows[0].item.body;
  const when = new Date(body.starts_at * 1000);
  const date = h('input', { type: 'date', id: 'activity-new-date', required: true, value: `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}` });
  const time = h('input', { type: 'time', id: 'activity-new-time', required: true, value: `${pad(when.getHours())}:${pad(when.getMinutes())}` });
  const result = h('p', { class: 'result', role: 'status' });
  const send = async (area, newBody, done) => {
    const release = holdButtons(area);
    try {
      await putAll(app, rows, doc, newBody);
      announce(done);
      reload();
    } catch (err) {
      release();
      result.textContent = err.code === 'conflict' ? t('plugins.error.conflict') : t('activities.change_failed');
      result.className = 'result problem';
    }
  };
  const form = h('form', { class: 'activity-change', 'aria-labelledby': 'change-h' },
    h('h2', { id: 'change-h' }, t('activities.change_title')),
    h('fieldset', {}, h('legend', {}, t('activities.new_time')),
      h('label', { for: date.id }, t('forms.date')), date, h('label', { for: time.id }, t('forms.time')), time),
    h('button', { type: 'submit', class: 'big' }, t('activities.move')),
    h('button', { type: 'button', class: 'danger', id: 'activity-cancel', onclick: (ev) => askCancel(ev.currentTarget) }, t('activities.cancel')),
    result);
  const askCancel = (button) => {
    const confirm = h('div', { class: 'doc-actions' }, h('span', {}, t('activities.cancel_ask', { n: rows.length })),
      h('button', { type: 'button', class: 'danger', id: 'activity-cancel-yes', onclick: () => send(confirm, { ...body, cancelled: true }, t('activities.cancelled_done')) }, t('activities.cancel_yes')),
      h('button', { type: 'button', class: 'secondary', onclick: () => confirm.remove() }, t('plugins.delete_no')));
    button.after(confirm);
    confirm.querySelector('.danger').focus();
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const [y, m, d] = date.value.split('-').map(Number);
    const [hh, mm] = time.value.split(':').map(Number);
    if (!y || Number.isNaN(hh)) { result.textContent = t('activities.change_failed'); return; }
    const startsAt = Math.floor(new Date(y, m - 1, d, hh, mm).getTime() / 1000);
    send(form, movedBody(body, startsAt), t('activities.moved_done'));
  });
  return form;
}

export function renderActivity(app, doc) {
  const title = h('h1', {}, t('activities.page_title'));
  const about = h('div', { class: 'activity-about', 'aria-busy': 'true' });
  const view = h('section', { class: 'activity-page' }, title, about);
  let alive = true;
  const reload = async () => {
    try {
      const rows = await loadRows(app, doc);
      if (!alive) return;
      if (!rows.length) { about.replaceChildren(h('p', {}, t('activities.page_none'))); return; }
      const body = rows[0].item.body;
      title.textContent = body.title;
      about.replaceChildren(
        h('p', { class: 'activity-when' }, formatDateTime(body.starts_at), body.place ? ` – ${body.place}` : ''),
        body.cancelled ? h('p', { class: 'problem-note' }, t('activities.is_cancelled')) : null,
        answersTable(rows), ...pickupList(rows),
        body.cancelled ? null : changeForm(app, rows, doc, reload));
    } catch {
      if (alive) about.replaceChildren(h('p', { class: 'problem' }, t('connection.lost')));
    }
    about.setAttribute('aria-busy', 'false');
  };
  reload();
  // a screen answers: the page shows it at once
  const off = app.hub.on('doc.answer', (msg) => { if (msg.kind === 'activity' && msg.doc === doc) reload(); });
  return { element: view, cleanup: () => { alive = false; if (typeof off === 'function') off(); } };
}
