// The first page: the households this person belongs to, each with its kiosk's state.
import { h } from './dom.js';
import { t } from './i18n.js';
import { statusBadge } from './status.js';
import { otherSessions } from './session.js';
import { pushSection } from './push.js';

export function renderHome(app) {
  const { store } = app;
  const list = h('ul', { class: 'cards' });
  const fill = () => {
    list.replaceChildren(...store.households.map((household) => h('li', { class: 'card' },
      h('h2', {}, h('a', { href: `#/h/${household.id}`, class: 'card-link' }, household.resident)),
      statusBadge(store, household.id))));
  };
  fill();
  const off = store.onChange(fill);
  const element = h('section', { class: 'home' },
    h('h1', {}, t('home.title', { name: store.self ? store.self.name : '' })),
    h('p', { class: 'lead' }, t('home.lead')),
    list,
    store.isStaff() ? h('p', {}, h('a', { href: '#/staff', class: 'button secondary' }, t('nav.staff'))) : null,
    otherSignIns(app),
    pushSection(app),
    h('details', { class: 'this-browser' },
      h('summary', {}, t('home.this_browser')),
      h('p', {}, t('home.sign_out_help')),
      h('button', { type: 'button', class: 'secondary', onclick: () => app.signOut() }, t('home.sign_out'))));
  return { element, cleanup: off, title: t('home.short') };
}

// Sign-ins from other invites kept on this browser (e.g. a nurse in several households).
function otherSignIns(app) {
  const others = otherSessions();
  if (!others.length) return null;
  return h('section', { class: 'other-sessions', 'aria-labelledby': 'other-h' },
    h('h2', { id: 'other-h' }, t('session.others')),
    h('ul', { class: 'plain' }, others.map((s) => h('li', {},
      h('button', { type: 'button', class: 'secondary', onclick: () => app.switchTo(s.token) },
        t('session.switch', { name: s.name, residents: s.residents.join(', ') }))))));
}
