// What this browser knows about its households: the welcome's list, each household's state
// (people, kiosks, quiet hours) and live presence. Views listen for 'change'.
import { HubError } from './ws.js';

export class Store extends EventTarget {
  constructor(hub) {
    super();
    this.hub = hub;
    this.self = null;
    this.households = []; // [{id, resident, rights}]
    this.states = new Map(); // household id -> household.state.household
    hub.on('household.state', (msg) => this.setState(msg.household));
    hub.on('presence', (msg) => this.setPresence(msg));
  }

  setWelcome(welcome) {
    this.self = welcome.self;
    this.households = welcome.households || [];
    this.changed();
  }

  // Asks the hub for every household's state; failures leave the household with no state.
  async refresh() {
    await Promise.all(this.households.map((h) => this.fetch(h.id).catch((err) => {
      if (!(err instanceof HubError)) throw err;
    })));
  }

  async fetch(id) {
    const answer = await this.hub.request({ type: 'household.get', household: id });
    this.setState(answer.household);
    return answer.household;
  }

  setState(household) {
    if (!household || !household.id) return;
    this.states.set(household.id, household);
    // Rights may have changed for us: keep the welcome list in step.
    const me = (household.people || []).find((p) => this.self && p.id === this.self.id);
    const entry = this.households.find((h) => h.id === household.id);
    if (entry && me && Array.isArray(me.rights)) entry.rights = me.rights;
    if (entry) entry.resident = household.resident;
    this.changed();
  }

  setPresence(msg) {
    const state = this.states.get(msg.household);
    if (!state) return;
    for (const list of [state.kiosks || [], state.people || []]) {
      const subject = list.find((x) => x.id === msg.subject);
      if (subject) {
        subject.presence = msg.state;
        if (msg.last_seen_at) subject.last_seen_at = msg.last_seen_at;
      }
    }
    this.changed();
  }

  household(id) {
    return this.households.find((h) => h.id === id) || null;
  }

  state(id) {
    return this.states.get(id) || null;
  }

  can(id, right) {
    const h = this.household(id);
    return !!h && Array.isArray(h.rights) && h.rights.includes(right);
  }

  // Role in a household comes from household.state (welcome has rights only).
  role(id) {
    const state = this.states.get(id);
    const me = state && (state.people || []).find((p) => this.self && p.id === this.self.id);
    return me ? me.role : null;
  }

  isStaff() {
    return this.households.some((h) => ['staff', 'coordinator'].includes(this.role(h.id)));
  }

  // The household's kiosk, or null while none is paired.
  kiosk(id) {
    const state = this.states.get(id);
    return (state && state.kiosks && state.kiosks[0]) || null;
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  onChange(fn) {
    this.addEventListener('change', fn);
    return () => this.removeEventListener('change', fn);
  }
}
