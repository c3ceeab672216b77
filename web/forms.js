// A form drawn from a plugin manifest's fields (docs/plugin-manifest.md): one widget per field
// type, labelled in the page's language, filled from a document's body and read back into one.
// The hub checks every body against the same field list, so the form does not repeat its rules:
// what the hub refuses is shown next to the field it names. No plugin code runs here.
import { h } from './dom.js';
import { language, t } from './i18n.js';
import { fileUrl } from './inbox.js';
import { scalePhoto } from './send.js';
import { uploadWithRetry } from './upload_retry.js';
import { voiceWidget } from './voice_field.js';

// A manifest label ({nb, nn, sv, en}) in the page's language.
export function label(texts) {
  return (texts && (texts[language()] || texts.en)) || '';
}

// The repetitions a person can pick, in words; the RRULE each one stores.
const REPEATS = [
  ['', 'forms.repeat.once'],
  ['FREQ=DAILY', 'forms.repeat.daily'],
  ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'forms.repeat.weekdays'],
  ['FREQ=WEEKLY', 'forms.repeat.weekly'],
  ['FREQ=WEEKLY;INTERVAL=2', 'forms.repeat.every_other_week'],
  ['FREQ=MONTHLY', 'forms.repeat.monthly'],
  ['FREQ=YEARLY', 'forms.repeat.yearly'],
];

// A repetition the list above does not have ("FREQ=DAILY;BYHOUR=11"), still said in words.
export function repetitionInWords(rule) {
  const known = REPEATS.find(([value]) => value === rule);
  if (known) return t(known[1]);
  const parts = Object.fromEntries(String(rule).split(';').map((p) => p.split('=')));
  const freq = { DAILY: 'forms.repeat.daily', WEEKLY: 'forms.repeat.weekly', MONTHLY: 'forms.repeat.monthly', YEARLY: 'forms.repeat.yearly' }[parts.FREQ];
  let words = freq ? t(freq) : rule;
  if (parts.BYDAY) {
    const names = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 0 };
    const fmt = new Intl.DateTimeFormat(locale(), { weekday: 'long' });
    const days = parts.BYDAY.split(',').map((d) => names[d.slice(-2)]).filter((d) => d !== undefined)
      .map((d) => fmt.format(new Date(2024, 0, 7 + d)));
    words = `${words}: ${days.join(', ')}`;
  }
  if (parts.BYHOUR) words = `${words}, ${t('forms.repeat.at_hour', { hour: parts.BYHOUR })}`;
  return words;
}

function locale() {
  return { nb: 'nb-NO', nn: 'nn-NO', sv: 'sv-SE', en: 'en-GB' }[language()] || 'en-GB';
}

const pad = (n) => String(n).padStart(2, '0');
const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

// Each widget: {element, read(): value | undefined (left out), focusable}. `ctx` has the field's
// id, the household, its people and the body's current value.
const WIDGETS = {
  text: (f, ctx) => input(f, ctx, { type: 'text', maxLength: f.max || 200, autocomplete: 'off' }),
  place: (f, ctx) => input(f, ctx, { type: 'text', maxLength: f.max || 200, autocomplete: 'off' }),
  long_text: (f, ctx) => {
    const el = h('textarea', { id: ctx.id, rows: 4, maxLength: f.max || 4000, required: !!f.required, 'aria-describedby': ctx.problemId }, ctx.value ?? '');
    return { element: fieldBox(f, ctx, el), read: () => (el.value.trim() ? el.value : undefined), focusable: el };
  },
  date: (f, ctx) => input(f, ctx, { type: 'date' }),
  time: (f, ctx) => input(f, ctx, { type: 'time' }),
  minutes: (f, ctx) => {
    const w = input(f, ctx, { type: 'number', min: f.min ?? 0, max: f.max ?? 10080, step: 1, inputMode: 'numeric' },
      ctx.value ?? f.default, t('forms.minutes_unit'));
    return { ...w, read: () => (w.focusable.value === '' ? undefined : Number(w.focusable.value)) };
  },
  count: (f, ctx) => {
    const w = input(f, ctx, { type: 'number', min: f.min ?? 0, max: f.max ?? 10080, step: 1, inputMode: 'numeric' }, ctx.value ?? f.default);
    return { ...w, read: () => (w.focusable.value === '' ? undefined : Number(w.focusable.value)) };
  },
  datetime: datetimeWidget,
  repetition: repetitionWidget,
  person: personWidget,
  yes_no: (f, ctx) => {
    const el = h('input', { type: 'checkbox', id: ctx.id, checked: ctx.value === true || (ctx.value === undefined && f.default === true), 'aria-describedby': ctx.problemId });
    const box = h('div', { class: 'field check', dataset: { field: f.name } }, h('label', { class: 'check' }, el, h('span', {}, label(f.label))), problemLine(ctx));
    return { element: box, read: () => el.checked, focusable: el };
  },
  choice: choiceWidget,
  photo: photoWidget,
  voice: (f, ctx) => voiceWidget(f, ctx, (control) => groupBox(f, ctx, control)),
  // a new document takes this browser's zone: the family member sets reminders in the
  // household's zone far more often than from abroad, and the box shows it to change
  time_zone: (f, ctx) => input(f, ctx, { type: 'text', maxLength: 64, autocomplete: 'off' },
    ctx.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
};

function problemLine(ctx) {
  return h('p', { class: 'field-problem', id: ctx.problemId, hidden: true });
}

// A list that starts on "Only once" or "Nobody chosen" needs no "can be left empty".
const SAYS_EMPTY_ITSELF = ['repetition', 'person'];

function fieldBox(f, ctx, control, unit) {
  const optional = !f.required && !SAYS_EMPTY_ITSELF.includes(f.type);
  return h('div', { class: 'field', dataset: { field: f.name } },
    h('label', { for: ctx.id }, label(f.label), unit ? ` (${unit})` : '', optional ? ` ${t('forms.optional')}` : ''),
    control, problemLine(ctx));
}

// Several controls under one name (a fieldset and its legend).
function groupBox(f, ctx, control) {
  return h('fieldset', { class: 'field', dataset: { field: f.name } },
    h('legend', {}, label(f.label), f.required ? '' : ` ${t('forms.optional')}`), control, problemLine(ctx));
}

function input(f, ctx, attrs, value = ctx.value, unit) {
  const el = h('input', { id: ctx.id, required: !!f.required, 'aria-describedby': ctx.problemId, ...attrs });
  if (value !== undefined && value !== null) el.value = String(value);
  return { element: fieldBox(f, ctx, el, unit), read: () => (el.value.trim() ? el.value.trim() : undefined), focusable: el };
}

// Whole seconds, from a date and a time in this browser's time zone.
function datetimeWidget(f, ctx) {
  const when = typeof ctx.value === 'number' ? new Date(ctx.value * 1000) : null;
  const date = h('input', { type: 'date', id: ctx.id, required: !!f.required, value: when ? localDate(when) : '', 'aria-describedby': ctx.problemId });
  const time = h('input', { type: 'time', id: `${ctx.id}-time`, required: !!f.required, value: when ? localTime(when) : '' });
  const box = h('fieldset', { class: 'field datetime', dataset: { field: f.name } },
    h('legend', {}, label(f.label), f.required ? '' : ` ${t('forms.optional')}`),
    h('label', { for: date.id }, t('forms.date')), date,
    h('label', { for: time.id }, t('forms.time')), time, problemLine(ctx));
  const read = () => {
    if (!date.value) return undefined;
    const [y, m, d] = date.value.split('-').map(Number);
    const [hh, mm] = (time.value || '12:00').split(':').map(Number);
    return Math.floor(new Date(y, m - 1, d, hh, mm).getTime() / 1000);
  };
  return { element: box, read, focusable: date };
}

// Weekdays as RRULE names, Monday first; the value of the "chosen weekdays" choice.
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const CHOSEN = 'chosen-days';

// The chosen days of a rule "FREQ=WEEKLY;BYDAY=MO,WE" that is none of the fixed repetitions,
// or null.
function chosenDays(rule) {
  const m = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(rule || '');
  return m && !REPEATS.some(([value]) => value === rule) ? m[1].split(',') : null;
}

// A choice of repetitions in words; "On chosen weekdays" shows a tick box per day.
function repetitionWidget(f, ctx) {
  const current = ctx.value || '';
  const picked = chosenDays(current);
  const options = REPEATS.map(([value, key]) => h('option', { value, selected: value === current }, t(key)));
  options.splice(3, 0, h('option', { value: CHOSEN, selected: !!picked }, t('forms.repeat.chosen_days')));
  if (current && !picked && !REPEATS.some(([value]) => value === current)) {
    options.push(h('option', { value: current, selected: true }, repetitionInWords(current)));
  }
  const fmt = new Intl.DateTimeFormat(locale(), { weekday: 'long' });
  const boxes = DAYS.map((day) => h('input', { type: 'checkbox', id: `${ctx.id}-${day}`, value: day, checked: !!(picked && picked.includes(day)) }));
  const days = h('fieldset', { class: 'chosen-days', hidden: !picked },
    h('legend', {}, t('forms.repeat.which_days')),
    boxes.map((box, i) => h('label', { for: box.id }, box, ` ${fmt.format(new Date(2024, 0, 8 + i))}`)));
  const el = h('select', { id: ctx.id, 'aria-describedby': ctx.problemId, onchange: () => { days.hidden = el.value !== CHOSEN; } }, options);
  const read = () => {
    if (el.value !== CHOSEN) return el.value || undefined;
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    return chosen.length ? `FREQ=WEEKLY;BYDAY=${chosen.join(',')}` : 'FREQ=WEEKLY'; // none ticked: its own day
  };
  return { element: fieldBox(f, ctx, h('div', {}, el, days)), read, focusable: el };
}

function personWidget(f, ctx) {
  const people = ctx.people || [];
  const el = h('select', { id: ctx.id, required: !!f.required, 'aria-describedby': ctx.problemId },
    h('option', { value: '' }, t('forms.nobody')),
    people.map((p) => h('option', { value: p.id, selected: p.id === ctx.value },
      p.relationship ? `${p.name} (${p.relationship})` : p.name)));
  return { element: fieldBox(f, ctx, el), read: () => el.value || undefined, focusable: el };
}

function choiceWidget(f, ctx) {
  const choices = (f.choices || []).map((c) => (typeof c === 'string' ? { value: c, label: null } : c));
  const radios = choices.map((c, i) => h('input', {
    type: 'radio', name: ctx.id, id: i ? `${ctx.id}-${i}` : ctx.id, value: c.value, checked: c.value === (ctx.value ?? f.default),
  }));
  const box = h('fieldset', { class: 'field choice', dataset: { field: f.name }, 'aria-describedby': ctx.problemId },
    h('legend', {}, label(f.label), f.required ? '' : ` ${t('forms.optional')}`),
    choices.map((c, i) => h('label', { class: 'check' }, radios[i], h('span', {}, c.label ? label(c.label) : c.value))),
    problemLine(ctx));
  return { element: box, read: () => (radios.find((r) => r.checked) || {}).value, focusable: radios[0] };
}

// A photo: the one kept now (shown), or a new one picked here, scaled and uploaded on save.
function photoWidget(f, ctx) {
  const picked = { file: null };
  const preview = h('div', { class: 'photo-preview' });
  if (ctx.value && ctx.household) {
    fileUrl(ctx.household, ctx.value).then((url) => preview.replaceChildren(h('img', { src: url, alt: t('forms.photo_now') })))
      .catch(() => preview.replaceChildren(h('p', { class: 'hint' }, t('forms.photo_unavailable'))));
  }
  const el = h('input', {
    type: 'file', id: ctx.id, accept: 'image/jpeg,image/png,image/webp,image/*', 'aria-describedby': ctx.problemId,
    onchange: () => { picked.file = el.files[0] || null; },
  });
  const read = async () => {
    if (!picked.file) return ctx.value || undefined;
    const { blob } = await scalePhoto(picked.file);
    // an invitation to several households needs the photo in each (activity_invite.js)
    const targets = ctx.uploadTo ? ctx.uploadTo() : [ctx.household];
    let stored = null;
    for (const household of targets) stored = await uploadWithRetry(household, blob, ctx.uploads);
    return stored.file;
  };
  return { element: fieldBox(f, ctx, h('div', {}, preview, el)), read, focusable: el };
}

// Draws the form for `kind` (a manifest kind entry). `values`: the body being changed ({} for a
// new one). Returns {element: the fields, read(): Promise<body>, showProblem(field, text), clear()}.
// `uploads`: {onProgress(fraction), onRetry({attempt, waitMs})} for the files uploaded on read();
// `uploadTo`: the households a new document goes to, when more than one (activity_invite.js).
export function drawFields(kind, { values = {}, household, people = [], idPrefix, uploads = {}, uploadTo }) {
  const widgets = new Map();
  const elements = [];
  for (const f of kind.fields || []) {
    const make = WIDGETS[f.type];
    if (!make) continue; // the hub refuses such a manifest; nothing to draw
    const id = `${idPrefix}-${f.name}`;
    const w = make(f, { id, problemId: `${id}-problem`, value: values[f.name], household, people, uploads, uploadTo });
    widgets.set(f.name, { field: f, ...w });
    elements.push(w.element);
  }
  const clear = () => {
    for (const w of widgets.values()) {
      const p = w.element.querySelector('.field-problem');
      p.hidden = true;
      p.textContent = '';
      w.focusable.removeAttribute('aria-invalid');
    }
  };
  const read = async () => {
    const body = {};
    for (const [name, w] of widgets) {
      const value = await w.read();
      if (value !== undefined) body[name] = value;
    }
    return body;
  };
  // Says what is wrong next to the field and moves there; FALSE if no such field is drawn.
  const showProblem = (name, text) => {
    const w = widgets.get(name);
    if (!w) return false;
    const p = w.element.querySelector('.field-problem');
    p.textContent = text;
    p.hidden = false;
    w.focusable.setAttribute('aria-invalid', 'true');
    w.focusable.focus();
    return true;
  };
  const fieldLabel = (name) => (widgets.has(name) ? label(widgets.get(name).field.label) : name);
  return { element: elements, read, showProblem, clear, fieldLabel };
}
