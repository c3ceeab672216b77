// One household: the kiosk's state, a big call button, and sending photos, text and voice notes,
// with the state of each thing sent.
import { announce, h } from './dom.js';
import { formatWhen, t } from './i18n.js';
import { faceEditor } from './face.js';
import { statusBadge } from './status.js';
import { MAX_CAPTION, MAX_TEXT, VoiceRecorder, scalePhoto, thumbnail, upload, voiceMimeType } from './send.js';
import { renderMessage } from './notice.js';
import { icon } from './icons.js';
import { fileUrl } from './inbox.js';
import { canMakeVideoCalls } from './webrtc.js';
import { pluginSlot } from './plugin_slot.js';
import { escalationSection } from './reminders.js';
import { saveToBookButton } from './memory_book.js';

const thumbs = new Map(); // outbox cid -> canvas, for photos sent in this visit
const retries = new Map(); // outbox cid -> function that uploads and posts again (this visit)

// Uploads `blob` and posts it; on a failure that a new try can mend (no connection, the hub
// busy), keeps a "Try again" for it, so that a touch never throws a photo or a voice note away.
async function uploadAndPost(app, id, entry, blob, fields) {
  retries.delete(entry.cid);
  entry.state = 'uploading';
  app.outbox.progress(entry, 0);
  try {
    const stored = await upload(id, blob, (f) => app.outbox.progress(entry, f));
    await app.outbox.post(entry, { ...fields, file: stored.file });
    announce(t(`state.${entry.state}`));
  } catch (err) {
    if (err.status !== 413 && err.status !== 415) retries.set(entry.cid, () => uploadAndPost(app, id, entry, blob, fields));
    app.outbox.fail(entry, uploadProblem(err));
    announce(uploadProblem(err));
  }
}

export function renderHousehold(app, id) {
  const { store, outbox } = app;
  const household = store.household(id);
  if (!household) return { element: renderMessage(t('notfound.title'), t('notfound.body')), title: t('notfound.title') };

  const status = h('div', { class: 'status-wrap' });
  const actions = h('div', { class: 'actions' });
  const sent = h('ol', { class: 'sent', 'aria-label': t('sent.label') });
  const adminLink = h('p', { class: 'admin-link' });
  const send = h('div', { class: 'send-wrap' });
  let canSend = null;

  const refresh = () => {
    status.replaceChildren(statusBadge(store, id));
    actions.replaceChildren(...actionButtons(app, id));
    // Rebuilt only when the right changes, so a half-written message is not lost on presence news.
    if (canSend !== store.can(id, 'message')) {
      canSend = store.can(id, 'message');
      send.replaceChildren(canSend ? sendSection(app, id) : h('p', { class: 'hint' }, t('send.no_right')));
    }
    adminLink.replaceChildren(store.can(id, 'admin')
      ? h('a', { href: `#/h/${id}/admin`, class: 'button secondary' }, t('admin.open'))
      : '');
  };
  const fillSent = () => {
    const entries = outbox.list(id).slice().reverse();
    sent.replaceChildren(...(entries.length ? entries.map(sentItem) : [h('li', { class: 'empty' }, t('sent.none'))]));
  };
  refresh();
  fillSent();
  const offStore = store.onChange(refresh);
  const offOutbox = outbox.onChange(fillSent);
  const received = h('ol', { class: 'received' });
  const receivedSection = h('section', { class: 'received-section', 'aria-labelledby': 'received-h', hidden: true },
    h('h2', { id: 'received-h' }, t('received.title', { name: household.resident })), received);
  const fillReceived = () => {
    const items = app.inbox.list(id).slice().reverse();
    receivedSection.hidden = items.length === 0;
    received.replaceChildren(...items.map((m) => receivedItem(app, id, m)));
    app.inbox.markSeen(id);
  };
  fillReceived();
  const offInbox = app.inbox.onChange(fillReceived);
  const plugins = pluginSlot(app, id); // reminders, memory book, activities: forms from manifests
  const escalations = escalationSection(app, id); // reminders not confirmed, told to this person

  const element = h('section', { class: 'household' },
    h('h1', {}, household.resident),
    status,
    escalations.element,
    actions,
    receivedSection,
    send,
    plugins.element,
    // a face needs an upload, which needs a right that sends files (docs/protocol.md)
    ['message', 'reminders', 'memory_book', 'activities', 'admin'].some((r) => store.can(id, r))
      ? h('section', { class: 'face-section', 'aria-labelledby': 'face-h' },
        h('h2', { id: 'face-h' }, t('face.title')),
        faceEditor(app, id, store.self.id, store.self.name))
      : null,
    h('section', { class: 'sent-section', 'aria-labelledby': 'sent-h' },
      h('h2', { id: 'sent-h' }, t('sent.title')),
      sent),
    adminLink);
  return { element, cleanup: () => { offStore(); offOutbox(); offInbox(); plugins.cleanup(); escalations.cleanup(); }, title: household.resident };
}

function actionButtons(app, id) {
  const { store } = app;
  const household = store.household(id);
  if (!store.can(id, 'call')) return [h('p', { class: 'hint' }, t('call.no_right'))];
  const kiosk = store.kiosk(id);
  if (!kiosk) return [h('p', { class: 'hint' }, t('call.no_kiosk'))];
  if (!canMakeVideoCalls()) return [h('p', { class: 'hint', id: 'call-unsupported' }, t('call.no_webrtc'))];
  return [h('button', {
    type: 'button', class: 'big call-button', id: 'call-button',
    onclick: () => app.calls.start(id, kiosk.id),
  }, icon('phone'), t('call.start', { name: household.resident }))];
}

function sendSection(app, id) {
  return h('section', { class: 'send', 'aria-labelledby': 'send-h' },
    h('h2', { id: 'send-h' }, t('send.title', { name: app.store.household(id).resident })),
    photoCard(app, id),
    textCard(app, id),
    voiceCard(app, id));
}

// One step: pick or take a photo and it goes. The optional words are read when the photo is picked.
function photoCard(app, id) {
  const caption = h('input', { id: 'photo-caption', type: 'text', maxLength: MAX_CAPTION, autocomplete: 'off' });
  const input = h('input', {
    type: 'file', accept: 'image/jpeg,image/png,image/webp,image/heic,image/*', id: 'photo-input',
    class: 'visually-hidden', tabIndex: -1, 'aria-hidden': 'true',
    onchange: async () => {
      const files = [...input.files];
      input.value = '';
      const words = caption.value.trim();
      caption.value = '';
      for (const file of files) await sendPhoto(app, id, file, words);
    },
  });
  return h('div', { class: 'send-card' },
    h('button', { type: 'button', class: 'big', id: 'photo-button', onclick: () => input.click() },
      icon('camera'), t('send.photo')),
    input,
    h('label', { for: 'photo-caption' }, t('send.caption')),
    caption);
}

export async function sendPhoto(app, id, file, caption) {
  const { outbox } = app;
  const entry = outbox.begin(id, 'photo', { caption });
  let scaled;
  try {
    scaled = await scalePhoto(file);
  } catch {
    outbox.fail(entry, t('send.photo_unreadable'));
    announce(t('send.photo_unreadable'));
    return;
  }
  thumbs.set(entry.cid, thumbnail(scaled.canvas));
  const fields = { kind: 'photo' };
  if (caption) fields.caption = caption;
  await uploadAndPost(app, id, entry, scaled.blob, fields);
}

function uploadProblem(err) {
  if (err.status === 413) return t('send.too_large');
  if (err.status === 415) return t('send.bad_format');
  if (err.status === 0) return t('connection.lost');
  return t('send.failed');
}

function textCard(app, id) {
  const text = h('textarea', { id: 'text-input', rows: 3, maxLength: MAX_TEXT });
  const form = h('form', {
    class: 'send-card',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      if (!value) { text.focus(); return; }
      text.value = '';
      const entry = app.outbox.begin(id, 'text', { text: value });
      await app.outbox.post(entry, { kind: 'text', text: value });
      announce(t(`state.${entry.state}`));
    },
  },
  h('label', { for: 'text-input' }, t('send.text_label')),
  text,
  h('button', { type: 'submit', class: 'big', id: 'text-send' }, t('send.text_send')));
  return form;
}

function voiceCard(app, id) {
  const card = h('div', { class: 'send-card' });
  if (!voiceMimeType()) {
    card.append(h('p', { class: 'hint' }, t('send.voice_unsupported')));
    return card;
  }
  let recorder = null;
  let ticker = null;
  const clock = h('p', { class: 'clock', role: 'timer', 'aria-live': 'off' });
  const idle = () => {
    clearInterval(ticker);
    card.replaceChildren(h('button', { type: 'button', class: 'big', id: 'voice-button', onclick: start },
      icon('mic'), t('send.voice')));
  };
  const start = async () => {
    recorder = new VoiceRecorder();
    try {
      await recorder.start();
    } catch {
      announce(t('send.mic_denied'));
      card.append(h('p', { class: 'problem' }, t('send.mic_denied')));
      return;
    }
    const tick = () => {
      const s = Math.floor(recorder.elapsedMs() / 1000);
      clock.textContent = t('send.recording', { time: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` });
    };
    tick();
    ticker = setInterval(tick, 500);
    card.replaceChildren(clock,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'big', id: 'voice-send', onclick: finish }, t('send.voice_stop')),
        h('button', { type: 'button', class: 'big secondary', onclick: cancel }, t('send.voice_cancel'))));
    announce(t('send.recording_started'));
  };
  const finish = async () => {
    const { blob, duration_ms: duration } = await recorder.stop();
    idle();
    const entry = app.outbox.begin(id, 'voice', { duration_ms: duration });
    await uploadAndPost(app, id, entry, blob, { kind: 'voice', duration_ms: duration });
  };
  const cancel = () => {
    recorder.release();
    idle();
  };
  idle();
  return card;
}

// A message from the kiosk: text at once; a photo or voice note loads when asked for, because it
// must be fetched with the session token.
function receivedItem(app, household, m) {
  const body = h('div', { class: 'what' });
  if (m.kind === 'text') body.append(h('span', { class: 'text' }, m.text || ''));
  else {
    const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      button.disabled = true;
      try {
        const url = await fileUrl(household, m.file);
        button.replaceWith(m.kind === 'photo'
          ? h('img', { src: url, alt: m.caption || t('sent.photo'), class: 'received-photo' })
          : h('audio', { src: url, controls: true, autoplay: true }));
      } catch {
        button.disabled = false;
        announce(t('send.failed'));
      }
    } }, icon(m.kind === 'photo' ? 'camera' : 'mic'), m.kind === 'photo' ? t('received.show_photo') : t('received.play'));
    body.append(button);
    if (m.caption) body.append(h('span', {}, m.caption));
    if (m.kind === 'photo') body.append(saveToBookButton(app, household, m));
  }
  return h('li', { class: 'received-item', dataset: { msg: m.id } }, body,
    h('p', { class: 'when' }, formatWhen(m.sent_at)));
}

function sentItem(entry) {
  let what;
  if (entry.kind === 'photo') what = [thumbs.get(entry.cid) || icon('camera'), entry.caption || t('sent.photo')];
  else if (entry.kind === 'voice') what = [icon('mic'), t('sent.voice', { seconds: Math.round((entry.duration_ms || 0) / 1000) })];
  else what = [h('span', { class: 'text' }, entry.text || '')];
  const state = h('p', { class: `state state-${entry.state}`, dataset: { state: entry.state } }, stateText(entry));
  const progress = entry.state === 'uploading'
    ? h('progress', { max: 100, value: Math.round((entry.progress || 0) * 100), 'aria-label': t('sent.progress') })
    : null;
  const retry = entry.state === 'failed' && retries.get(entry.cid);
  return h('li', { class: `sent-item kind-${entry.kind}`, dataset: { cid: entry.cid } },
    h('div', { class: 'what' }, what), progress, state,
    retry ? h('button', { type: 'button', class: 'secondary retry', onclick: retry }, t('sent.retry')) : null,
    h('p', { class: 'when' }, formatWhen(Math.round(entry.at / 1000))));
}

function stateText(entry) {
  if (entry.state === 'uploading') return t('state.uploading', { percent: Math.round((entry.progress || 0) * 100) });
  if (entry.state === 'failed') return `${t('state.failed')} ${entry.reason || ''}`.trim();
  return t(`state.${entry.state}`);
}
