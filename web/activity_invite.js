// A coordinator invites several households at once: the new-activity form gets a list of the
// households where this person holds the `activities` right (the one the form was opened in
// ticked), and one `doc.put_many` writes the invitation into every ticked one — all or nothing,
// the hub checks the right in each. A photo is uploaded to each chosen household (the hub
// accepts a photo only in a household that has it).
import { h } from './dom.js';
import { t } from './i18n.js';

// Households where the activities right is held; the form's own first.
export function activityHouseholds(store, id) {
  const all = store.households.filter((x) => store.can(x.id, 'activities'));
  return [...all.filter((x) => x.id === id), ...all.filter((x) => x.id !== id)];
}

// The chooser: null when there is no other household to invite. `chosen()` gives the ticked ids.
export function householdChooser(store, id) {
  const homes = activityHouseholds(store, id);
  if (homes.length < 2) return null;
  const boxes = homes.map((x) => h('input', {
    type: 'checkbox', id: `invite-${x.id}`, value: x.id, checked: x.id === id, name: 'invite-household',
  }));
  const problem = h('p', { class: 'field-problem', id: 'invite-households-problem', hidden: true });
  const element = h('fieldset', { class: 'field invite-households', id: 'invite-households', 'aria-describedby': problem.id },
    h('legend', {}, t('activities.invite_who')),
    homes.map((x, i) => h('div', { class: 'check' }, boxes[i], ' ', h('label', { for: boxes[i].id }, x.resident))),
    problem);
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  const showNone = () => {
    problem.textContent = t('activities.invite_none');
    problem.hidden = false;
    boxes[0].focus();
  };
  return { element, chosen, showNone };
}

// One request for every chosen household: doc.accepted_many, or the hub's error (thrown).
export function putInvitation(hub, households, doc, body) {
  if (households.length === 1) {
    return hub.request({ type: 'doc.put', household: households[0], kind: 'activity', doc, base_rev: 0, body });
  }
  return hub.request({
    type: 'doc.put_many', kind: 'activity', doc, body,
    targets: households.map((household) => ({ household, base_rev: 0 })),
  });
}

// The hub names a refused household as `targets[i]…`: say whose, in words; null for others.
export function invitationProblem(err, households, store) {
  const m = /^targets\[(\d+)\]/.exec(err.field || '');
  if (!m) return null;
  const home = store.household(households[Number(m[1])]);
  const name = home ? home.resident : '';
  if (err.code === 'conflict') return t('activities.changed_first', { name });
  if (err.code === 'forbidden' || err.code === 'not_found') return t('activities.invite_refused', { name });
  return null;
}
