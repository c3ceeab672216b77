// A face on the kiosk's home tile (docs/protocol.md, household.set_photo): a photo from a file or
// the camera, cropped in the page to a square (a zoom slider narrows the square around the
// middle, where a face usually is), drawn on a canvas as a 512 × 512 JPEG, uploaded, then set.
// The person sets their own on the household page; an admin sets anyone's on the admin page.
import { h, holdButtons, uid } from './dom.js';
import { t } from './i18n.js';
import { upload } from './send.js';

const SIDE = 512; // what the kiosk's tile needs, and far below the hub's limit for a face
const PREVIEW = 200;

// `report(text, problem)`: where the outcome is said, when the page keeps it across redraws (the
// admin page redraws a person when their photo changes); else in the editor itself.
export function faceEditor(app, household, person, name, report = null) {
  const id = uid();
  const canvas = h('canvas', { width: PREVIEW, height: PREVIEW, class: 'face-preview', role: 'img', 'aria-label': t('face.preview', { name }), hidden: true });
  const zoom = h('input', { type: 'range', id: `${id}-zoom`, min: '1', max: '3', step: '0.1', value: '1' });
  const zoomRow = h('p', { hidden: true }, h('label', { for: `${id}-zoom` }, t('face.zoom')), zoom);
  const output = h('p', { class: 'result', role: 'status' });
  const save = h('button', { type: 'button', class: 'big', hidden: true }, t('face.save'));
  let bitmap = null;
  const say = (text, problem = false) => {
    if (report) report(text, problem);
    else output.textContent = text;
  };

  const draw = (target, side) => {
    const g = target.getContext('2d');
    const crop = Math.min(bitmap.width, bitmap.height) / Number(zoom.value);
    g.drawImage(bitmap, (bitmap.width - crop) / 2, (bitmap.height - crop) / 2, crop, crop, 0, 0, side, side);
  };
  const chosen = async (input) => {
    const file = input.files && input.files[0];
    if (!file) return;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      say(t('face.unreadable'), true);
      return;
    }
    canvas.hidden = false;
    zoomRow.hidden = false;
    save.hidden = false;
    say('');
    draw(canvas, PREVIEW);
  };
  zoom.addEventListener('input', () => { if (bitmap) draw(canvas, PREVIEW); });
  save.onclick = async () => {
    const release = holdButtons(save);
    try {
      const square = new OffscreenCanvas(SIDE, SIDE);
      draw(square, SIDE);
      const blob = await square.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const stored = await upload(household, blob);
      await app.hub.request({ type: 'household.set_photo', household, person, photo: stored.file });
      say(t('face.saved', { name }));
    } catch {
      say(t('face.failed'), true);
    } finally {
      release();
    }
  };
  const pick = (key, attrs) => {
    const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', id: `${id}-${key}`, class: 'visually-hidden', ...attrs });
    input.addEventListener('change', () => chosen(input));
    return [input, h('label', { for: `${id}-${key}`, class: 'button secondary' }, t(`face.${key}`))];
  };
  return h('div', { class: 'face-editor', dataset: { person } },
    h('p', {}, t('face.help', { name })),
    h('div', { class: 'row' }, ...pick('camera', { capture: 'user' }), ...pick('file', {})),
    canvas, zoomRow, save, output);
}
