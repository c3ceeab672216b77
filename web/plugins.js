// The household page's plugin documents: for each kind the household's kiosk runs and this
// person holds the right of (household.state `plugin_kinds`, filtered by the hub), the documents
// with what the screen answered, in plain words, and a form to add, change or delete one. And the
// admin page's notes on documents a kiosk set aside (quarantined). Forms come from forms.js.
// The household page loads this module only when it has such a kind (plugin_slot.js).
import { announce, h, holdButtons, uid } from './dom.js';
import { formatDateTime, formatWhen, t } from './i18n.js';
import { drawFields, label, repetitionInWords } from './forms.js';
import { UploadError } from './send.js';
import { reminderExtras } from './reminders.js';
import { householdChooser, invitationProblem, putInvitation } from './activity_invite.js';
import { MEMORY_KIND, inBookOrder, lookInWords, pageExtras } from './memory_book.js';
import { formKinds } from './plugin_slot.js';

const ERROR_KEYS = ['missing_field', 'wrong_type', 'out_of_range', 'bad_format', 'not_found', 'too_large',
  'unknown_kind', 'conflict', 'forbidden'];


// What the hub's refusal means, in words, naming the field by its label.
function problemText(err, fieldLabel) {
  if (err.code === 'timeout' || err.code === 'disconnected') return t('connection.lost');
  const key = ERROR_KEYS.includes(err.code) ? `plugins.error.${err.code}` : 'plugins.error.other';
  return t(key, { field: err.field ? fieldLabel(err.field) : t('plugins.error.this') });
}

// A document's name in lists: its title field, else its id.
function titleOf(kind, item) {
  const v = kind.title_field && item.body ? item.body[kind.title_field] : null;
  return typeof v === 'string' && v ? v : item.doc;
}

// The rest of the body in words: "When: Friday 5 December 11:00 · Repeat: Every day".
function summaryOf(kind, item, people) {
  const parts = [];
  for (const f of kind.fields || []) {
    const v = item.body ? item.body[f.name] : undefined;
    if (v === undefined || f.name === kind.title_field) continue;
    parts.push(`${label(f.label)}: ${valueInWords(f, v, people)}`);
  }
  return parts.join(' · ');
}

function valueInWords(f, v, people = []) {
  switch (f.type) {
    case 'datetime': return formatDateTime(v);
    case 'repetition': return repetitionInWords(v);
    case 'yes_no': return v ? t('plugins.yes') : t('plugins.no');
    case 'minutes': return t('plugins.minutes', { n: v });
    case 'count': return String(v);
    case 'photo': return t('plugins.a_photo');
    case 'voice': return t('plugins.a_recording');
    case 'person': return (people.find((p) => p.id === v) || {}).name || t('plugins.someone');
    case 'choice': {
      const c = (f.choices || []).find((x) => (typeof x === 'string' ? x : x.value) === v);
      return c && typeof c !== 'string' ? label(c.label) : String(v);
    }
    default: return String(v);
  }
}

// "Ingebjørg answered: Done (5 minutes ago)".
export function answerInWords(kind, answer, resident) {
  if (kind.kind === MEMORY_KIND) return lookInWords(resident, answer); // the only answer a page has
  const fields = kind.answers || [];
  const words = fields.filter((f) => f.type !== 'datetime' && answer.body[f.name] !== undefined)
    .map((f) => valueInWords(f, answer.body[f.name]));
  const what = words.length ? words.join(', ') : t('plugins.answered_something');
  return t('plugins.answer', { name: resident, what, when: formatWhen(answer.at) });
}

export function renderPlugins(app, id) {
  const { store } = app;
  const section = h('div', { class: 'plugins-wrap' });
  let shown = '';
  const fill = () => {
    const kinds = formKinds(store, id);
    const signature = JSON.stringify(kinds.map((k) => k.kind));
    if (signature === shown) return; // presence news must not close a half-filled form
    shown = signature;
    section.replaceChildren(...kinds.map((kind) => kindSection(app, id, kind)));
  };
  fill();
  const offStore = store.onChange(fill);
  // a screen's answer arrives: the list of that kind shows it at once
  const offAnswer = app.hub.on('doc.answer', (msg) => {
    if (msg.household !== id) return;
    const list = section.querySelector(`[data-kind="${msg.kind}"]`);
    if (list && list.reload) list.reload();
    const kind = formKinds(store, id).find((k) => k.kind === msg.kind);
    if (kind) announce(answerInWords(kind, msg, store.household(id).resident));
  });
  return { element: section, cleanup: () => { offStore(); if (typeof offAnswer === 'function') offAnswer(); } };
}

function kindSection(app, id, kind) {
  const headingId = `plugin-${kind.kind}-h`;
  const list = h('ul', { class: 'plugin-docs', 'aria-labelledby': headingId });
  const formSlot = h('div', { class: 'plugin-form-slot' });
  const section = h('section', { class: 'plugin-kind', dataset: { kind: kind.kind }, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, label(kind.label)),
    list,
    h('button', { type: 'button', class: 'secondary', id: `plugin-${kind.kind}-new`, onclick: () => openForm(null) },
      t('plugins.add', { what: label(kind.label) })),
    formSlot);
  // `item` to change one; null and `start` (some fields filled) for a new one
  const openForm = (item, start = {}) => {
    formSlot.replaceChildren(documentForm(app, id, kind, item, () => { formSlot.replaceChildren(); reload(); }, start));
    formSlot.querySelector('input, select, textarea')?.focus();
  };
  const reload = async () => {
    try {
      const answer = await app.hub.request({ type: 'doc.list', household: id, kind: kind.kind });
      const live = (answer.items || []).filter((it) => !it.deleted);
      const items = kind.kind === MEMORY_KIND ? inBookOrder(live) : live; // as the screen shows them
      list.replaceChildren(...(items.length ? items.map((it) => docItem(app, id, kind, it, openForm, reload, items))
        : [h('li', { class: 'empty' }, t('plugins.none'))]));
    } catch {
      list.replaceChildren(h('li', { class: 'empty' }, t('connection.lost')));
    }
  };
  section.reload = reload;
  section.openNew = (start) => openForm(null, start); // "Save to the memory book" on a message
  reload();
  return section;
}

function docItem(app, id, kind, item, openForm, reload, items) {
  const state = app.store.state(id);
  const people = (state && state.people) || [];
  const resident = app.store.household(id).resident;
  const title = titleOf(kind, item);
  const answers = (item.answers || []).slice(0, 3);
  const result = h('p', { class: 'result', role: 'status' });
  const actions = h('div', { class: 'doc-actions' });
  const showActions = () => actions.replaceChildren(
    h('button', { type: 'button', class: 'secondary', onclick: () => openForm(item) }, t('plugins.change', { title })),
    h('button', { type: 'button', class: 'secondary', onclick: askDelete }, t('plugins.delete', { title })));
  // a touch never throws a document away: deleting asks once more
  const askDelete = () => {
    actions.replaceChildren(
      h('span', {}, t('plugins.delete_ask', { title })),
      h('button', { type: 'button', class: 'danger', onclick: doDelete }, t('plugins.delete_yes')),
      h('button', { type: 'button', class: 'secondary', onclick: showActions }, t('plugins.delete_no')));
    actions.querySelector('.danger').focus();
  };
  const doDelete = async () => {
    const release = holdButtons(actions);
    try {
      await app.hub.request({ type: 'doc.put', household: id, kind: kind.kind, doc: item.doc, base_rev: item.rev, deleted: true, body: {} });
      announce(t('plugins.deleted', { title }));
      reload();
    } catch (err) {
      release();
      result.textContent = problemText(err, (f) => f);
      result.className = 'result problem';
    }
  };
  showActions();
  return h('li', { class: 'plugin-doc', dataset: { doc: item.doc } },
    h('h3', {}, title),
    h('p', { class: 'summary' }, summaryOf(kind, item, people)),
    kind.kind === 'reminder' ? reminderExtras(item) : null, // today's state, the last 14 days
    kind.kind === MEMORY_KIND ? pageExtras(app, id, item, items, reload) : null, // photo, place in the book
    answers.length ? h('ul', { class: 'answers', 'aria-label': t('plugins.answers') },
      answers.map((a) => h('li', {}, answerInWords(kind, a, resident)))) : null,
    kind.kind === 'activity' ? h('a', { href: `#/activity/${item.doc}`, class: 'activity-page-link' },
      t('activities.page_link', { title })) : null,
    actions, result);
}

// New (item null) or a change of `item`; `done` closes it and reloads the list.
function documentForm(app, id, kind, item, done, start = {}) {
  const state = app.store.state(id);
  const prefix = `pf-${kind.kind}`;
  // a new activity may go to several households at once (activity_invite.js)
  const chooser = kind.kind === 'activity' && !item ? householdChooser(app.store, id) : null;
  const uploadTo = chooser ? () => chooser.chosen() : undefined;
  const result = h('p', { class: 'result', role: 'status' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, id: `${prefix}-progress`, 'aria-label': t('sent.progress') });
  const uploads = { // a photo or recording on its way: how far, and a cut connection tried again
    onProgress: (f) => {
      progress.hidden = false;
      progress.value = Math.round(f * 100);
      result.textContent = t('state.uploading', { percent: Math.round(f * 100) });
    },
    onRetry: ({ waitMs }) => { result.textContent = t('forms.upload_retry', { seconds: Math.ceil(waitMs / 1000) }); },
  };
  const fields = drawFields(kind, { values: (item && item.body) || start, household: id, people: (state && state.people) || [], idPrefix: prefix, uploads, uploadTo });
  const heading = item ? t('plugins.change_title', { title: titleOf(kind, item) }) : t('plugins.add', { what: label(kind.label) });
  const form = h('form', { class: 'plugin-form', id: `${prefix}-form`, novalidate: true, 'aria-label': heading },
    h('h3', {}, heading),
    chooser ? chooser.element : null,
    fields.element,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'big' }, t('plugins.save')),
      h('button', { type: 'button', class: 'secondary', onclick: done }, t('plugins.cancel'))),
    progress, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const release = holdButtons(form);
    fields.clear();
    result.className = 'result';
    result.textContent = t('admin.saving');
    if (chooser && chooser.chosen().length === 0) {
      release();
      result.textContent = '';
      chooser.showNone();
      return;
    }
    try {
      const body = await fields.read();
      progress.hidden = true;
      result.textContent = t('admin.saving');
      if (chooser) await putInvitation(app.hub, chooser.chosen(), `d-${uid()}`, body);
      else await app.hub.request({ type: 'doc.put', household: id, kind: kind.kind, doc: item ? item.doc : `d-${uid()}`, base_rev: item ? item.rev : 0, body });
      announce(t('plugins.saved'));
      done();
    } catch (err) {
      release();
      progress.hidden = true;
      // a photo that could not be uploaded is not the hub refusing the document
      const text = err instanceof UploadError || !err.code ? t('plugins.error.upload')
        : (chooser && invitationProblem(err, chooser.chosen(), app.store)) || problemText(err, fields.fieldLabel);
      result.textContent = text;
      result.className = 'result problem';
      if (!(err.field && fields.showProblem(err.field, text))) announce(text);
    }
  });
  return form;
}

// The admin page: each document a kiosk set aside, said plainly, with where to change it.
export function setAsideSection(app, id) {
  const box = h('section', { class: 'set-aside', 'aria-labelledby': 'set-aside-h', hidden: true },
    h('h2', { id: 'set-aside-h' }, t('plugins.set_aside_title')), h('ul'));
  const fill = () => {
    const state = app.store.state(id);
    const list = (state && state.quarantined) || [];
    box.hidden = list.length === 0;
    const kinds = new Map(((state && state.plugin_kinds) || []).map((k) => [k.kind, k]));
    const resident = app.store.household(id).resident;
    box.querySelector('ul').replaceChildren(...list.map((q) => h('li', { class: 'problem-note', dataset: { doc: q.doc } },
      t('plugins.set_aside', {
        what: kinds.has(q.kind) ? label(kinds.get(q.kind).label) : q.plugin,
        title: q.title || q.doc,
        name: resident,
        times: q.faults,
      }),
      ' ', h('a', { href: `#/h/${id}` }, t('plugins.set_aside_link', { name: resident })))));
  };
  fill();
  const off = app.store.onChange(fill);
  return { element: box, cleanup: off };
}
