// A tiny element builder: h('button', {class: 'big', onclick: fn}, 'Call'). Text is always set
// as text (never innerHTML), so names and messages from others cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the main view and moves focus to its heading, so screen readers announce the change.
export function show(view) {
  const main = document.getElementById('main');
  main.replaceChildren(view);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
  window.scrollTo(0, 0);
}

// A polite announcement for screen readers (sent, delivered, errors) without moving focus.
export function announce(text) {
  const live = document.getElementById('announce');
  if (!live) return;
  live.textContent = '';
  // A fresh text node after a tick makes repeated identical messages be read again.
  setTimeout(() => { live.textContent = text; }, 50);
}

// Disables the buttons in `area` (a form, or one button) until the returned function is called.
// Call it before the first await of a submit or click handler: a double click, or Enter pressed
// twice, then sends one request. A second would make a second record (a new id each time) or get
// an error (a code already used, a revision already replaced) that replaces the "done" of the
// first.
export function holdButtons(area) {
  const buttons = !area ? [] : area.tagName === 'BUTTON' ? [area] : [...area.querySelectorAll('button')];
  const held = buttons.filter((b) => !b.disabled);
  for (const b of held) b.disabled = true;
  return () => { for (const b of held) b.disabled = false; };
}

export function uid() {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
