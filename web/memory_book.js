// The memory book's own parts of the web app, around the generic plugin form (plugins.js): the
// photo a call is about on the ringing page, a page's photo in the list, and its place in the
// book (the body's `order`, ascending; pages without one come after, oldest first).
import { announce, h, holdButtons } from './dom.js';
import { formatDateTime, t } from './i18n.js';
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

// Under a page in the list: its photo, small, and buttons to move it one place earlier or later.
export function pageExtras(app, household, item, items, reload) {
  const box = h('div', { class: 'memory-photo' });
  if (item.body && item.body.file) {
    fileUrl(household, item.body.file)
      .then((url) => box.prepend(h('img', { src: url, alt: item.body.caption || t('plugins.a_photo') })))
      .catch(() => {});
  }
  const index = items.indexOf(item);
  const title = (item.body && item.body.caption) || t('plugins.a_photo');
  const result = h('p', { class: 'result', role: 'status' });
  const move = (to) => async (ev) => {
    const release = holdButtons(ev.currentTarget.parentElement);
    try {
      await moveTo(app.hub, household, items, index, to);
      announce(t('memory.moved', { title, place: to + 1 }));
    } catch {
      result.textContent = t('memory.move_failed');
      result.className = 'result problem';
    }
    release();
    reload();
  };
  box.append(h('div', { class: 'doc-actions' },
    index > 0 ? h('button', { type: 'button', class: 'secondary move-earlier', onclick: move(index - 1) }, t('memory.earlier', { title })) : null,
    index < items.length - 1 ? h('button', { type: 'button', class: 'secondary move-later', onclick: move(index + 1) }, t('memory.later', { title })) : null),
  result);
  return box;
}

// Moves the page at `from` to place `to` and numbers the book 1, 2, 3 … in that order: only the
// pages whose number changes are written (each with the revision it was read at, so a change
// someone else made first is not overwritten: the hub answers `conflict`).
export async function moveTo(hub, household, items, from, to) {
  const pages = items.slice();
  pages.splice(to, 0, pages.splice(from, 1)[0]);
  for (const [i, page] of pages.entries()) {
    if (page.body.order === i + 1) continue;
    await hub.request({
      type: 'doc.put', household, kind: MEMORY_KIND, doc: page.doc, base_rev: page.rev, body: { ...page.body, order: i + 1 },
    });
  }
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

// The admin page: whether the family sees which photos the resident looked at, and when. Off
// until someone turns it on; turned off, the looks kept so far are forgotten by the hub.
export function looksSetting(app, household, state) {
  const resident = app.store.household(household).resident;
  // drawn again when the setting changes: says what holds now
  const result = h('p', { class: 'result', role: 'status', id: 'looks-result' },
    state.share_looks ? t('memory.looks_on', { name: resident }) : '');
  const box = h('input', {
    type: 'checkbox', id: 'share-looks', checked: !!state.share_looks,
    onchange: async () => {
      const release = holdButtons(box.closest('div'));
      box.disabled = true;
      result.textContent = t('admin.saving');
      try {
        await app.hub.request({ type: 'household.set_share_looks', household, share_looks: box.checked });
        result.textContent = t(box.checked ? 'memory.looks_on' : 'memory.looks_off', { name: resident });
        await app.store.fetch(household).catch(() => {});
      } catch {
        box.checked = !box.checked;
        result.textContent = t('memory.looks_failed');
      }
      box.disabled = false;
      release();
      announce(result.textContent);
    },
  });
  return h('div', {},
    h('p', {}, t('memory.looks_help', { name: resident })),
    h('label', { class: 'check', for: 'share-looks' }, box, h('span', {}, t('memory.looks_label', { name: resident }))),
    result);
}

// "Ingebjørg looked at it on Friday 5 December at 10:12".
export function lookInWords(resident, answer) {
  const at = answer.body && Number.isInteger(answer.body.looked_at) ? answer.body.looked_at : answer.at;
  return t('memory.looked', { name: resident, when: formatDateTime(at) });
}
