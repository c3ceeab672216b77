// A person's devices (docs/protocol.md, "A person's devices"): "Use Vindu on another device"
// makes a one-time link and QR code that sign another phone, tablet or computer in as the same
// person; the list shows each device (its name from its browser, when it was last used) with a
// sign-out button. An admin sees a member's list on the admin page (deviceList with `person`).
import { announce, h, holdButtons } from './dom.js';
import { formatDateTime, formatWhen, t } from './i18n.js';
import { qrSvg } from './qr.js';

export function renderDevices(app) {
  const list = deviceList(app, {});
  const linkArea = h('div', { class: 'device-link-area' });
  const element = h('section', { class: 'devices' },
    h('h1', {}, t('devices.title')),
    h('p', { class: 'lead' }, t('devices.lead')),
    h('button', { type: 'button', class: 'big', id: 'device-link-button', onclick: (ev) => makeLink(app, linkArea, ev.currentTarget) },
      t('devices.add')),
    linkArea,
    h('section', { 'aria-labelledby': 'devices-h' }, h('h2', { id: 'devices-h' }, t('devices.list')), list.element));
  return { element, cleanup: list.cleanup, title: t('devices.title') };
}

async function makeLink(app, area, button) {
  const release = holdButtons(button);
  try {
    const answer = await app.hub.request({ type: 'device.link' });
    const link = `${location.origin}${location.pathname}#device=${answer.token}`;
    area.replaceChildren(linkBox(link, answer.expires_at));
  } catch (err) {
    const key = { rate_limited: 'devices.too_many_links', out_of_range: 'devices.too_many_devices' }[err.code] || 'devices.failed';
    area.replaceChildren(h('p', { class: 'result problem', role: 'status' }, t(key)));
  } finally {
    release();
  }
}

function linkBox(link, expiresAt) {
  const field = h('input', { type: 'text', readOnly: true, value: link, id: 'device-link', 'aria-label': t('devices.link') });
  const note = h('p', { role: 'status' });
  return h('div', { class: 'invite-link device-link' },
    h('p', {}, t('devices.give', { until: formatDateTime(expiresAt) })),
    field,
    h('figure', { class: 'invite-qr' },
      qrSvg(link, t('devices.qr')),
      h('figcaption', {}, t('devices.qr_help'))),
    h('button', { type: 'button', class: 'big secondary', onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        note.textContent = t('devices.copied');
      } catch {
        field.select();
        note.textContent = t('devices.copy_manual');
      }
    } }, t('devices.copy')),
    note);
}

// The devices of the signed-in person, or with `person` and `household` of a member (admin).
// Reloads when a device signs in or out elsewhere is not needed: the list is read on opening and
// after each sign-out.
export function deviceList(app, { household, person }) {
  const list = h('ul', { class: 'device-list', 'aria-busy': 'true' });
  const output = h('p', { class: 'result', role: 'status' });
  const whose = person ? { household, person } : {};
  let gone = false;
  const load = async () => {
    try {
      const answer = await app.hub.request({ type: 'device.list', ...whose });
      if (gone) return;
      const items = answer.items || [];
      list.replaceChildren(...(items.length ? items.map((d) => deviceItem(app, d, whose, output, load)) : [h('li', { class: 'empty' }, t('devices.none'))]));
    } catch {
      list.replaceChildren(h('li', { class: 'problem' }, t('devices.failed')));
    }
    list.setAttribute('aria-busy', 'false');
  };
  load();
  return { element: h('div', {}, list, output), cleanup: () => { gone = true; } };
}

function deviceItem(app, device, whose, output, reload) {
  const name = device.name || t('devices.unnamed');
  const facts = [device.online ? t('devices.online') : t('devices.last_seen', { when: formatWhen(device.last_seen_at) })];
  const signOut = device.current
    ? h('p', {}, t('devices.this_help'))
    : h('button', { type: 'button', class: 'secondary', dataset: { device: device.id }, onclick: async (ev) => {
      const release = holdButtons(ev.currentTarget);
      try {
        await app.hub.request({ type: 'device.revoke', device: device.id, ...whose });
        output.textContent = t('devices.signed_out', { name });
        announce(output.textContent);
      } catch {
        output.textContent = t('devices.failed');
      } finally {
        release();
      }
      reload();
    } }, t('devices.sign_out', { name }));
  return h('li', { class: 'device', dataset: { device: device.id } },
    h('h3', {}, name, device.current ? ` (${t('devices.this')})` : ''),
    h('p', {}, facts.join(' · ')),
    signOut);
}
