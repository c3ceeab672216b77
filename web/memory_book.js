// The memory book's own parts of the web app, around the generic plugin form (plugins.js): the
// photo a call is about on the ringing page, a page's photo in the list, and its place in the
// book (the body's `order`, ascending; pages without one come after, oldest first).
import { h } from './dom.js';
import { t } from './i18n.js';
import { fileUrl } from './inbox.js';

export const MEMORY_KIND = 'memory';

// The book's pages in the order the screen shows them.
export function inBookOrder(items) {
  const position = (it) => (Number.isInteger(it.body && it.body.order) ? it.body.order : Infinity);
  return items.slice().sort((a, b) => position(a) - position(b));
}

// The photo a call is about (`call.invite.about_photo`) with its page's caption when this person
// may read the book; only the photo otherwise. Nothing is said until it is known.
export function aboutPhotoFigure(hub, household, hash) {
  const words = h('figcaption', { id: 'call-about-caption' }, t('memory.about_photo'));
  const figure = h('figure', { class: 'call-about', id: 'call-about', dataset: { file: hash } }, words);
  fileUrl(household, hash)
    .then((url) => figure.prepend(h('img', { src: url, alt: t('memory.about_photo_alt') })))
    .catch(() => { figure.hidden = true; });
  hub.request({ type: 'doc.list', household, kind: MEMORY_KIND })
    .then((answer) => {
      const page = (answer.items || []).find((it) => !it.deleted && it.body && it.body.file === hash);
      if (page && page.body.caption) words.textContent = t('memory.about_caption', { caption: page.body.caption });
    })
    .catch(() => {}); // no right to the book: the photo alone says it
  return figure;
}

// A page's photo, small, in the list of the book.
export function pagePhoto(household, item) {
  const box = h('div', { class: 'memory-photo' });
  if (item.body && item.body.file) {
    fileUrl(household, item.body.file)
      .then((url) => box.replaceChildren(h('img', { src: url, alt: item.body.caption || t('plugins.a_photo') })))
      .catch(() => {});
  }
  return box;
}

// "Save to the memory book" on a photo received as a message: the book's form opens with the
// photo (and its words as the caption) already there. Only for people holding the book's right.
export function saveToBookButton(app, household, m) {
  const state = app.store.state(household);
  const runs = ((state && state.plugin_kinds) || []).some((k) => k.kind === MEMORY_KIND);
  if (!m.file || !runs || !app.store.can(household, 'memory_book')) return null;
  return h('button', {
    type: 'button', class: 'secondary save-to-book', onclick: () => {
      const book = document.querySelector(`.plugin-kind[data-kind="${MEMORY_KIND}"]`);
      if (!book || !book.openNew) return;
      book.openNew({ file: m.file, caption: m.caption });
      book.scrollIntoView({ block: 'start' });
    },
  }, t('memory.save_to_book'));
}
