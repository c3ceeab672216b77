// A full-page plain message: not signed in, invite used, access withdrawn, no connection.
import { h } from './dom.js';

export function renderMessage(title, body, action = null) {
  return h('section', { class: 'notice' }, h('h1', {}, title), h('p', {}, body), action);
}
