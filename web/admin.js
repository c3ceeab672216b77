// Household administration (right `admin`): people and their rights, removing someone, the
// resident's agreement to auto-answer per person, inviting, quiet hours, pairing a new kiosk.
import { announce, h, holdButtons } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { renderMessage } from './notice.js';
import { qrSvg } from './qr.js';
import { deviceList } from './devices.js';
import { faceEditor } from './face.js';
import { setAsideSection } from './plugins.js';
import { looksSetting } from './memory_book.js';
import { relationshipList } from './relationships.js';

export const RIGHTS = ['call', 'message', 'status', 'auto_answer', 'quiet_hours_exempt',
  'reminders', 'memory_book', 'activities', 'admin'];
const ROLES = ['family', 'volunteer', 'staff', 'coordinator'];
const DEFAULT_RIGHTS = {
  family: ['call', 'message', 'status'],
  volunteer: ['call', 'message'],
  staff: ['call', 'message', 'status'],
  coordinator: ['call', 'message', 'status', 'activities'],
};

// What the last action in each form said ("Saved."), kept across redraws: the hub's
// household.state push after a change redraws the list right after the answer.
const notes = new Map();

function resultLine(key, tag = 'p') {
  const note = notes.get(key);
  return h(tag, { class: `result${note && note.problem ? ' problem' : ''}`, role: 'status', dataset: { note: key } }, note ? note.text : '');
}

function setResult(output, text, problem = false) {
  output.textContent = text;
  output.className = `result${problem ? ' problem' : ''}`;
  if (output.dataset.note) notes.set(output.dataset.note, { text, problem });
  // The element may have been replaced by a redraw meanwhile: update the one on the page.
  const live = output.dataset.note && document.querySelector(`[data-note="${output.dataset.note}"]`);
  if (live && live !== output && live.tagName === output.tagName) {
    live.textContent = text;
    live.className = output.className;
  }
}

export function renderAdmin(app, id) {
  notes.clear();
  const { store } = app;
  const household = store.household(id);
  if (!household || !store.can(id, 'admin')) {
    return { element: renderMessage(t('notfound.title'), t('admin.no_right')), title: t('notfound.title') };
  }
  const people = h('ul', { class: 'people' });
  const quiet = h('div');
  const looks = h('div');
  const screens = h('ul', { class: 'screens' });
  const open = new Set(); // people whose "change" panel is open, kept across refreshes
  let shown = '';
  const fill = () => {
    const state = store.state(id);
    if (!state) return;
    // Presence changes often; redraw (and lose half-typed input) only when people or settings do.
    const signature = JSON.stringify([state.quiet_hours, state.share_looks, (state.people || []).map((p) => ({ ...p, presence: null })),
      (state.kiosks || []).map((k) => k.id)]);
    if (signature === shown) return;
    shown = signature;
    people.replaceChildren(...(state.people || []).map((p) => personItem(app, id, state, p, open)));
    quiet.replaceChildren(quietHours(app, id, state));
    looks.replaceChildren(looksSetting(app, id, state));
    const kiosks = state.kiosks || [];
    screens.replaceChildren(...(kiosks.length ? kiosks.map((k, i) => screenItem(app, id, k, i + 1))
      : [h('li', {}, t('admin.screens_none'))]));
  };
  fill();
  const off = store.onChange(fill);
  const setAside = setAsideSection(app, id); // documents a kiosk's plugin kept stopping on
  const element = h('section', { class: 'admin' },
    h('p', {}, h('a', { href: `#/h/${id}` }, t('admin.back', { name: household.resident }))),
    h('h1', {}, t('admin.title', { name: household.resident })),
    setAside.element,
    h('section', { 'aria-labelledby': 'people-h' }, h('h2', { id: 'people-h' }, t('admin.people')), people),
    inviteForm(app, id),
    h('section', { 'aria-labelledby': 'quiet-h' }, h('h2', { id: 'quiet-h' }, t('admin.quiet')), quiet),
    h('section', { 'aria-labelledby': 'looks-h' }, h('h2', { id: 'looks-h' }, t('memory.looks_title')), looks),
    h('section', { 'aria-labelledby': 'screens-h' }, h('h2', { id: 'screens-h' }, t('admin.screens')),
      h('p', {}, t('admin.screens_help')), screens),
    pairForm(app, id));
  return { element, cleanup: () => { off(); setAside.cleanup(); }, title: t('admin.short') };
}

// Sends an admin request and says in words how it went, next to the form that sent it.
// `errorKeys` gives the sentence for an error code this form can meet ({not_found: '…'}).
// `busy`: whose buttons are disabled while the request runs (by default the form or fieldset
// around `output`).
async function act(app, output, message, doneKey, errorKeys = {}, busy = output.closest('form, fieldset')) {
  const release = holdButtons(busy);
  try {
    return await request(app, output, message, doneKey, errorKeys);
  } finally {
    release();
  }
}

async function request(app, output, message, doneKey, errorKeys) {
  setResult(output, t('admin.saving'));
  try {
    const answer = await app.hub.request(message);
    setResult(output, t(doneKey));
    announce(t(doneKey));
    await app.store.fetch(message.household).catch(() => {});
    setResult(output, t(doneKey));
    return answer;
  } catch (err) {
    let text = err.message && err.code !== 'timeout' && err.code !== 'disconnected'
      ? `${t('admin.failed')} ${err.message}` : t('connection.lost');
    if (errorKeys[err.code]) text = t(errorKeys[err.code]);
    setResult(output, text, true);
    announce(text);
    return null;
  }
}

function rightsFieldset(prefix, checked, legend) {
  return h('fieldset', { class: 'rights' },
    h('legend', {}, legend),
    RIGHTS.map((right) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'right', value: right, checked: checked.includes(right), id: `${prefix}-${right}` }),
      h('span', {}, t(`right.${right}`)))));
}

function checkedRights(form) {
  return [...form.querySelectorAll('input[name=right]:checked')].map((el) => el.value);
}

function personItem(app, id, state, person, open) {
  const me = app.store.self && person.id === app.store.self.id;
  const rights = person.rights || [];
  const output = resultLine(`person-${person.id}`);
  const details = h('details', { open: open.has(person.id), ontoggle: () => {
    if (details.open) open.add(person.id); else open.delete(person.id);
  } },
  h('summary', {}, t('admin.change', { name: person.name })));

  const rightsForm = h('form', {
    onsubmit: (ev) => {
      ev.preventDefault();
      act(app, output, { type: 'household.set_rights', household: id, person: person.id, rights: checkedRights(rightsForm) }, 'admin.rights_saved', {}, rightsForm);
    },
  }, rightsFieldset(`r-${person.id}`, rights, t('admin.rights_of', { name: person.name })),
  h('button', { type: 'submit', class: 'big' }, t('admin.save_rights')));
  details.append(rightsForm, shortNameForm(app, id, person, output),
    h('div', { class: 'member-face' }, h('h4', {}, t('face.admin', { name: person.name })),
      faceEditor(app, id, person.id, person.name, (text, problem) => setResult(output, text, problem))),
    devicesOf(app, id, person));

  if (rights.includes('auto_answer')) details.append(consentForm(app, id, state, person));

  if (!me) {
    const confirm = h('div', { class: 'confirm', hidden: true },
      h('p', {}, t('admin.revoke_confirm', { name: person.name })),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'big danger', dataset: { revoke: person.id }, onclick: () => {
          act(app, output, { type: 'household.revoke', household: id, person: person.id }, 'admin.revoked', {}, confirm);
        } }, t('admin.revoke_yes')),
        h('button', { type: 'button', class: 'big secondary', onclick: () => { confirm.hidden = true; } }, t('admin.revoke_no'))));
    details.append(
      h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = false; } }, t('admin.revoke', { name: person.name })),
      confirm);
  }
  details.append(output);

  return h('li', { class: 'person', dataset: { person: person.id } },
    h('h3', {}, person.name, me ? ` (${t('admin.you')})` : ''),
    h('p', {}, [person.relationship, t(`role.${person.role}`)].filter(Boolean).join(' · ')),
    h('p', { class: 'rights-summary' }, rights.length ? rights.map((r) => t(`right.${r}`)).join(', ') : t('admin.no_rights')),
    person.short_name ? h('p', { class: 'short-name' }, t('admin.short_name_now', { short: person.short_name })) : null,
    consentSummary(person),
    details);
}

// The member's devices, read when asked for (an admin signs out a lost phone).
function devicesOf(app, id, person) {
  const box = h('div', { class: 'member-devices' });
  const show = h('button', { type: 'button', class: 'secondary show-devices', 'aria-expanded': 'false', onclick: () => {
    show.setAttribute('aria-expanded', 'true');
    show.disabled = true;
    box.append(deviceList(app, { household: id, person: person.id }).element);
  } }, t('devices.of', { name: person.name }));
  box.append(show);
  return box;
}

// The short name the kiosk's home tile shows when the name does not fit (≤ 20 characters;
// empty removes it).
function shortNameForm(app, id, person, output) {
  const input = h('input', { type: 'text', id: `short-${person.id}`, maxLength: 20, autocomplete: 'off', value: person.short_name || '' });
  const form = h('form', {
    class: 'short-name-form',
    onsubmit: (ev) => {
      ev.preventDefault();
      act(app, output, { type: 'household.set_short_name', household: id, person: person.id, short_name: input.value.trim() },
        'admin.short_name_saved', { out_of_range: 'admin.short_name_too_long' }, form);
    },
  },
  h('label', { for: `short-${person.id}` }, t('admin.short_name')),
  h('p', {}, t('admin.short_name_help')),
  input,
  h('button', { type: 'submit', class: 'big' }, t('admin.short_name_save')));
  return form;
}

// A paired screen, and removing it (a lost or stolen one): it is signed out at once and shows a
// new code that someone here must type in again before it gets anything.
function screenItem(app, id, kiosk, n) {
  const output = resultLine(`screen-${kiosk.id}`);
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', {}, t('admin.screen_remove_confirm', { n })),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'big danger', dataset: { removeScreen: kiosk.id }, onclick: () => {
        act(app, output, { type: 'household.revoke', household: id, person: kiosk.id }, 'admin.screen_removed', {}, confirm);
      } }, t('admin.revoke_yes')),
      h('button', { type: 'button', class: 'big secondary', onclick: () => { confirm.hidden = true; } }, t('admin.revoke_no'))));
  const seen = kiosk.presence === 'online' ? t('admin.screen_online')
    : kiosk.last_seen_at ? t('admin.screen_seen', { when: formatDateTime(kiosk.last_seen_at) }) : null;
  return h('li', { class: 'screen', dataset: { kiosk: kiosk.id } },
    h('h3', {}, t('admin.screen', { n })),
    seen ? h('p', {}, seen) : null,
    h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = false; } }, t('admin.screen_remove', { n })),
    confirm, output);
}

function consentSummary(person) {
  const c = person.auto_answer_consent;
  if (!person.rights || !person.rights.includes('auto_answer')) return null;
  if (!c) return h('p', { class: 'consent none' }, t('consent.none'));
  return h('p', { class: 'consent' }, t('consent.recorded', { who: c.agreed_by, when: formatDateTime(c.at) }));
}

// The resident's own agreement, per person: who agreed (the resident, or someone acting for them).
function consentForm(app, id, state, person) {
  const output = resultLine(`consent-${person.id}`);
  const agreedBy = h('input', { type: 'text', id: `consent-by-${person.id}`, value: state.resident, maxLength: 80, autocomplete: 'off' });
  const send = (yes) => {
    const msg = { type: 'household.consent', household: id, person: person.id, auto_answer: yes };
    if (yes) msg.agreed_by = agreedBy.value.trim() || state.resident;
    act(app, output, msg, yes ? 'consent.saved' : 'consent.withdrawn');
  };
  return h('fieldset', { class: 'consent-form' },
    h('legend', {}, t('consent.title', { name: person.name, resident: state.resident })),
    h('p', {}, t('consent.help', { name: person.name, resident: state.resident })),
    h('label', { for: `consent-by-${person.id}` }, t('consent.agreed_by')),
    agreedBy,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'big', onclick: () => send(true) }, t('consent.record')),
      person.auto_answer_consent ? h('button', { type: 'button', class: 'big secondary', onclick: () => send(false) }, t('consent.withdraw')) : null),
    output);
}

function inviteForm(app, id) {
  const output = h('div', { class: 'result', role: 'status' });
  const said = h('p', { class: 'result', role: 'status' });
  const name = h('input', { type: 'text', id: 'invite-name', required: true, maxLength: 64, autocomplete: 'off' });
  const state = app.store.state(id); // household.state carries the household's language
  const relationship = h('input', { type: 'text', id: 'invite-relationship', maxLength: 40, autocomplete: 'off', list: 'invite-relationships' });
  const role = h('select', { id: 'invite-role' }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
  const rightsBox = h('div');
  const setRights = () => rightsBox.replaceChildren(rightsFieldset('invite', DEFAULT_RIGHTS[role.value], t('admin.invite_rights')));
  role.addEventListener('change', setRights);
  setRights();
  const form = h('form', {
    class: 'invite',
    onsubmit: async (ev) => {
      ev.preventDefault();
      output.replaceChildren();
      const answer = await act(app, said, {
        type: 'household.invite', household: id, name: name.value.trim(),
        relationship: relationship.value.trim(), role: role.value, rights: checkedRights(form),
      }, 'admin.invited');
      if (answer && answer.link) output.append(inviteLink(answer, name.value.trim()));
      if (answer) { name.value = ''; relationship.value = ''; }
    },
  },
  h('label', { for: 'invite-name' }, t('admin.invite_name')), name,
  h('label', { for: 'invite-relationship' }, t('admin.invite_relationship')), relationship,
  relationshipList('invite-relationships', state && state.language),
  h('label', { for: 'invite-role' }, t('admin.invite_role')), role,
  rightsBox,
  h('button', { type: 'submit', class: 'big', id: 'invite-create' }, t('admin.invite_create')),
  said,
  output);
  return h('section', { 'aria-labelledby': 'invite-h' }, h('h2', { id: 'invite-h' }, t('admin.invite')), h('p', {}, t('admin.invite_help')), form);
}

// The link is shown once; copy or share it with the new person (it works once, for 7 days).
function inviteLink(answer, who) {
  const field = h('input', { type: 'text', readOnly: true, value: answer.link, id: 'invite-link', 'aria-label': t('admin.invite_link') });
  const note = h('p', { role: 'status' });
  return h('div', { class: 'invite-link' },
    h('p', {}, t('admin.invite_give', { name: who, until: formatDateTime(answer.expires_at) })),
    field,
    h('figure', { class: 'invite-qr' },
      qrSvg(answer.link, t('admin.invite_qr', { name: who })),
      h('figcaption', {}, t('admin.invite_qr_help', { name: who }))),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'big', onclick: async () => {
        try {
          await navigator.clipboard.writeText(answer.link);
          note.textContent = t('admin.copied');
        } catch {
          field.select();
          note.textContent = t('admin.copy_manual');
        }
      } }, t('admin.copy')),
      navigator.share ? h('button', { type: 'button', class: 'big secondary', onclick: () => {
        navigator.share({ title: 'Vindu', text: t('admin.share_text'), url: answer.link }).catch(() => {});
      } }, t('admin.share')) : null),
    note);
}

function quietHours(app, id, state) {
  const q = state.quiet_hours;
  const output = resultLine('quiet');
  const start = h('input', { type: 'time', id: 'quiet-start', value: q ? q.start : '22:00', required: true });
  const end = h('input', { type: 'time', id: 'quiet-end', value: q ? q.end : '08:00', required: true });
  return h('form', {
    onsubmit: (ev) => {
      ev.preventDefault();
      act(app, output, { type: 'household.set_quiet_hours', household: id, quiet_hours: { start: start.value, end: end.value } }, 'admin.quiet_saved');
    },
  },
  h('p', { id: 'quiet-now' }, q ? t('admin.quiet_now', { start: q.start, end: q.end }) : t('admin.quiet_none')),
  h('p', {}, t('admin.quiet_help')),
  h('div', { class: 'row' },
    h('div', {}, h('label', { for: 'quiet-start' }, t('admin.quiet_from')), start),
    h('div', {}, h('label', { for: 'quiet-end' }, t('admin.quiet_to')), end)),
  h('div', { class: 'row' },
    h('button', { type: 'submit', class: 'big', id: 'quiet-save' }, t('admin.quiet_save')),
    q ? h('button', { type: 'button', class: 'big secondary', onclick: () => {
      act(app, output, { type: 'household.set_quiet_hours', household: id, quiet_hours: null }, 'admin.quiet_removed');
    } }, t('admin.quiet_remove')) : null),
  output);
}

function pairForm(app, id) {
  const output = resultLine('pair');
  const code = h('input', { type: 'text', id: 'pair-code', inputMode: 'numeric', autocomplete: 'off', required: true, maxLength: 20, pattern: '[0-9 -]+' });
  return h('section', { 'aria-labelledby': 'pair-h' },
    h('h2', { id: 'pair-h' }, t('admin.pair')),
    h('p', {}, t('admin.pair_help')),
    h('form', {
      onsubmit: async (ev) => {
        ev.preventDefault();
        // People read "4827 1930" off the screen; the hub wants "4827-1930".
        const digits = code.value.replace(/\D/g, '');
        const value = digits.length === 8 ? `${digits.slice(0, 4)}-${digits.slice(4)}` : code.value.trim();
        // A code no waiting screen shows (not_found), or not a code at all: one plain sentence.
        // Too many wrong codes (the hub counts them per person): wait, in words.
        const wrong = { not_found: 'admin.pair_wrong', bad_format: 'admin.pair_wrong', out_of_range: 'admin.pair_wrong', rate_limited: 'admin.pair_rate_limited' };
        if (await act(app, output, { type: 'household.pair', household: id, code: value }, 'admin.paired', wrong)) code.value = '';
      },
    },
    h('label', { for: 'pair-code' }, t('admin.pair_code')), code,
    h('button', { type: 'submit', class: 'big', id: 'pair-submit' }, t('admin.pair_submit')),
    output));
}
