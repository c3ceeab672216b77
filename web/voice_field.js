// A form field holding a short recording (manifest type `voice`, such as the memory book's
// spoken caption `voice_file`): the one kept now can be listened to, recorded again or removed;
// a new one is recorded here (MediaRecorder: WebM or Ogg Opus, which the kiosk plays) and
// uploaded when the form is saved. Nothing is uploaded for a recording that is thrown away.
import { announce, h } from './dom.js';
import { t } from './i18n.js';
import { fileUrl } from './inbox.js';
import { VoiceRecorder, voiceMimeType } from './send.js';
import { uploadWithRetry } from './upload_retry.js';

export const VOICE_FIELD_MAX_MS = 60 * 1000; // a caption, not a letter: one minute at most

// `ctx` as forms.js gives it: id, problemId, value (a file hash), household; `box(control)` puts
// the label and the problem line around it.
export function voiceWidget(f, ctx, box) {
  const state = { kept: ctx.value || null, blob: null, recorder: null, ticker: null };
  const area = h('div', { class: 'voice-field', id: ctx.id, tabIndex: -1, 'aria-describedby': ctx.problemId });
  const listen = (src) => h('audio', { src, controls: true, class: 'voice-preview', 'aria-label': t('voice_field.listen') });
  const button = (id, text, onclick, cls = 'secondary') => h('button', { type: 'button', class: cls, id: `${ctx.id}-${id}`, onclick }, text);

  const idle = () => {
    clearInterval(state.ticker);
    const parts = [];
    if (state.blob) parts.push(listen(URL.createObjectURL(state.blob)));
    else if (state.kept) {
      const audio = listen('');
      fileUrl(ctx.household, state.kept).then((url) => { audio.src = url; }).catch(() => {});
      parts.push(audio);
    }
    const has = state.blob || state.kept;
    parts.push(button('record', has ? t('voice_field.again') : t('voice_field.record'), record));
    if (has) parts.push(button('remove', t('voice_field.remove'), () => { state.blob = null; state.kept = null; idle(); }));
    area.replaceChildren(...parts);
  };
  const record = async () => {
    state.recorder = new VoiceRecorder({ limitMs: VOICE_FIELD_MAX_MS });
    try {
      await state.recorder.start();
    } catch {
      area.append(h('p', { class: 'problem' }, t('send.mic_denied')));
      announce(t('send.mic_denied'));
      return;
    }
    const clock = h('p', { class: 'clock', role: 'timer', 'aria-live': 'off' });
    const tick = () => {
      const s = Math.floor(state.recorder.elapsedMs() / 1000);
      clock.textContent = t('send.recording', { time: `0:${String(s).padStart(2, '0')}` });
    };
    tick();
    state.ticker = setInterval(tick, 500);
    state.recorder.done.then(({ blob }) => { // stopped by the button or by the limit
      state.blob = blob;
      idle();
      announce(t('voice_field.recorded'));
    });
    area.replaceChildren(clock, button('stop', t('voice_field.stop'), () => state.recorder.stop(), 'big'));
    announce(t('send.recording_started'));
  };
  const read = async () => {
    if (state.recorder && state.recorder.recorder && state.recorder.recorder.state === 'recording') await state.recorder.stop();
    if (state.blob) {
      const stored = await uploadWithRetry(ctx.household, state.blob, ctx.uploads);
      state.kept = stored.file;
      state.blob = null;
      return stored.file;
    }
    return state.kept || undefined;
  };
  if (!voiceMimeType()) area.replaceChildren(h('p', { class: 'hint' }, t('send.voice_unsupported')));
  else idle();
  return { element: box(area), read, focusable: area };
}
