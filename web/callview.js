// The call screen over the page: calling, the kiosk calling us (answer / decline), in a call
// (mute, camera off, hang up), and how it ended — in plain words. One call at a time.
import { CallSession } from './call.js';
import { announce, h } from './dom.js';
import { language, t } from './i18n.js';
import { Ringer } from './ringer.js';
import { canMakeVideoCalls } from './webrtc.js';
import { aboutPhotoFigure } from './memory_book.js';

const ENDED_VISIBLE_MS = 8000; // long enough to read how the call ended
const CALL_TYPES = ['call.turn', 'call.ringing', 'call.accept', 'call.decline', 'call.cancel',
  'call.busy', 'call.missed', 'call.sdp', 'call.ice', 'call.hangup'];

export class Calls {
  constructor(app) {
    this.app = app;
    this.session = null;
    this.early = []; // messages for a call whose call.placed has not come yet
    this.ringer = new Ringer();
    this.returnFocus = null;
    this.hideTimer = null;
    this.wakeLock = null;
    app.hub.on('call.invite', (msg) => this.incoming(msg));
    for (const type of CALL_TYPES) app.hub.on(type, (msg) => this.route(msg));
    // Back on a new socket during a call: the hub kept the call for us (call_resume_grace_s).
    app.hub.on('open', () => { if (this.session) this.session.resume(); });
    // The page is going away: hang up rather than leave the kiosk waiting for us to come back.
    window.addEventListener('pagehide', () => {
      if (this.session && this.session.state !== 'ended') this.session.hangup();
    });
  }

  route(msg) {
    const s = this.session;
    if (s && s.callId === msg.call) s.handle(msg);
    else if (s && !s.callId && s.state !== 'ended') this.early.push(msg);
  }

  residentName(household) {
    const h = this.app.store.household(household);
    return h ? h.resident : '';
  }

  async start(household, kiosk) {
    if (this.session && this.session.state !== 'ended') return;
    this.open(new CallSession(this.app.hub, { household, peer: kiosk }));
    const s = this.session;
    try {
      await s.place(() => {
        for (const msg of this.early.splice(0)) if (msg.call === s.callId) s.handle(msg);
      });
    } catch (err) {
      s.end(placeProblem(err));
    }
  }

  incoming(msg) {
    // This browser cannot make video calls: declined before it rings (nobody is asked to answer
    // a call that cannot happen), and the page says who tried and why.
    if (!canMakeVideoCalls()) {
      this.app.hub.send({ type: 'call.decline', call: msg.call, reason: 'no_webrtc' });
      this.cannotAnswer(msg);
      return;
    }
    // Already in a call: say so to the caller rather than ring over it.
    if (this.session && this.session.state !== 'ended') {
      this.app.hub.send({ type: 'call.decline', call: msg.call, reason: 'not_now' });
      return;
    }
    this.open(new CallSession(this.app.hub, {
      household: msg.household, peer: msg.from && msg.from.id, incoming: true, callId: msg.call, from: msg.from,
    }));
    // "Call Anna about this photo" on the kiosk: which photo, next to who is calling
    if (msg.about_photo) this.el.title.after(aboutPhotoFigure(this.app.hub, msg.household, msg.about_photo));
    this.app.hub.send({ type: 'call.ringing', call: msg.call });
    this.ringer.start();
    if (this.answerCall === msg.call) { // the touch on its notification was the answer
      this.answerCall = null;
      this.answer();
    }
  }

  // Opened from a call's notification (push.js): answer that call when it rings here.
  answerWhenRinging(callId) {
    const s = this.session;
    if (callId && s && s.callId === callId && s.state === 'incoming') this.answer(); // already ringing here
    else this.answerCall = callId;
  }

  // The call layer without a call: who tried to call, that this browser cannot take video
  // calls and which can, and Close.
  cannotAnswer(msg) {
    if (this.session && this.session.state !== 'ended') return;
    this.session = null;
    clearTimeout(this.hideTimer);
    this.returnFocus = document.activeElement;
    const layer = document.getElementById('call');
    const title = h('h1', { id: 'call-title', tabIndex: -1 }, t('call.no_webrtc_incoming', { name: this.residentName(msg.household) }));
    layer.replaceChildren(
      h('div', { class: 'call-head' }, title, h('p', { class: 'call-detail', id: 'call-detail' }, t('call.no_webrtc'))),
      h('div', { class: 'call-controls' },
        h('button', { type: 'button', class: 'big secondary', id: 'call-close', onclick: () => this.hide() }, t('call.close'))));
    layer.hidden = false;
    layer.setAttribute('role', 'dialog');
    layer.setAttribute('aria-modal', 'true');
    layer.setAttribute('aria-labelledby', 'call-title');
    layer.dataset.state = 'declined-no-webrtc';
    document.getElementById('main').inert = true;
    document.querySelector('header.top').inert = true;
    this.el = null;
    announce(title.textContent);
    title.focus();
  }

  open(session) {
    clearTimeout(this.hideTimer);
    this.early = [];
    this.session = session;
    this.returnFocus = document.activeElement;
    session.addEventListener('change', () => this.render());
    session.addEventListener('remote', () => this.attachRemote());
    session.addEventListener('stats', () => this.showStats());
    this.build();
    this.render();
  }

  endAll() {
    if (this.session && this.session.state !== 'ended') this.session.end('lost');
  }

  // The elements are built once per call; render() only changes texts and visibility, so the
  // video elements keep playing.
  build() {
    const s = this.session;
    const layer = document.getElementById('call');
    this.el = {
      title: h('h1', { id: 'call-title', tabIndex: -1 }),
      detail: h('p', { class: 'call-detail', id: 'call-detail' }),
      remote: h('video', { id: 'remote-video', autoplay: true, playsInline: true, 'aria-label': t('call.remote_video') }),
      waiting: h('p', { class: 'waiting', id: 'call-waiting' }, t('call.waiting_picture')),
      paused: h('p', { class: 'waiting', id: 'call-paused', hidden: true }),
      local: h('video', { id: 'local-video', autoplay: true, playsInline: true, muted: true, 'aria-label': t('call.local_video') }),
      camOffNote: h('p', { class: 'cam-off-note', hidden: true }, t('call.camera_is_off')),
      live: h('p', { class: 'live-indicator', id: 'live-indicator', hidden: true }),
      controls: h('div', { class: 'call-controls' }),
    };
    this.el.localWrap = h('div', { class: 'local-wrap', hidden: true }, this.el.local, this.el.camOffNote);
    this.el.local.muted = true; // attribute alone is not enough for autoplay policies
    layer.replaceChildren(
      h('div', { class: 'call-head' }, this.el.title, this.el.detail, this.el.live),
      h('div', { class: 'videos' },
        h('div', { class: 'remote-wrap' }, this.el.remote, this.el.waiting, this.el.paused),
        this.el.localWrap),
      this.el.controls);
    layer.hidden = false;
    layer.setAttribute('role', 'dialog');
    layer.setAttribute('aria-modal', 'true');
    layer.setAttribute('aria-labelledby', 'call-title');
    layer.dataset.state = s.state;
    document.getElementById('main').inert = true;
    document.querySelector('header.top').inert = true;
    document.body.classList.add('in-call');
    this.el.remote.addEventListener('loadedmetadata', () => this.el.remote.play().catch(() => {}));
    this.watchFirstFrame(s);
    this.el.title.focus();
  }

  // Click-to-first-picture: the moment the first remote frame is painted (shown nowhere, but
  // kept on the layer for the benchmark and for support questions).
  watchFirstFrame(s) {
    const video = this.el.remote;
    const mark = () => {
      if (s.firstRemoteFrameMs === null && video.videoWidth > 0) {
        s.firstRemoteFrameMs = Math.round(performance.now() - s.startedAt);
        document.getElementById('call').dataset.firstRemoteFrameMs = String(s.firstRemoteFrameMs);
        this.el.waiting.hidden = true;
      }
    };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(mark);
    else video.addEventListener('playing', mark, { once: true });
  }

  attachRemote() {
    if (this.el.remote.srcObject !== this.session.remoteStream) this.el.remote.srcObject = this.session.remoteStream;
  }

  showStats() {
    const layer = document.getElementById('call');
    layer.dataset.framesDecoded = String(this.session.stats.framesDecoded);
    layer.dataset.framesEncoded = String(this.session.stats.framesEncoded);
    if (this.session.firstDecodedMs !== null) layer.dataset.firstDecodedMs = String(this.session.firstDecodedMs);
    if (this.session.stats.framesDecoded > 0) this.el.waiting.hidden = true;
  }

  render() {
    const s = this.session;
    const layer = document.getElementById('call');
    if (!this.el) return;
    layer.dataset.state = s.state;
    layer.dataset.redials = String(s.redials || 0);
    const name = this.residentName(s.household);
    const titles = {
      placing: t('call.calling', { name }),
      ringing: t('call.ringing', { name }),
      incoming: t('call.incoming', { name }),
      connecting: s.redials ? t('call.reconnecting', { name }) : t('call.connecting', { name }),
      connected: t('call.with', { name }),
      ended: t(`call.ended.${s.endReason || 'hangup'}`, { name, time: s.endedAt || '' }),
    };
    const previous = this.el.title.textContent;
    this.el.title.textContent = titles[s.state];
    if (previous !== titles[s.state]) announce(titles[s.state]);
    this.el.detail.textContent = s.state === 'incoming' ? t('call.incoming_detail') : '';

    if (s.localStream && this.el.local.srcObject !== s.localStream) this.el.local.srcObject = s.localStream;
    const live = !!s.localStream && s.state !== 'ended';
    this.el.localWrap.hidden = !live;
    this.el.live.hidden = !live;
    this.el.live.textContent = live ? liveText(s) : '';
    this.el.live.classList.toggle('off', s.muted && s.cameraOff);
    this.el.camOffNote.hidden = !s.cameraOff;
    this.el.waiting.hidden = s.state !== 'connecting' && s.state !== 'connected' ? true : s.firstRemoteFrameMs !== null;
    const paused = !!s.remotePaused && s.state === 'connected';
    layer.dataset.remotePaused = paused ? '1' : '0';
    this.el.paused.textContent = t('call.picture_paused', { name });
    if (paused && this.el.paused.hidden) announce(this.el.paused.textContent);
    this.el.paused.hidden = !paused;
    this.el.controls.replaceChildren(...this.controls(s));

    if (s.state !== 'incoming') this.ringer.stop();
    if (s.state === 'connected') this.keepAwake();
    if (s.state === 'ended') this.finish();
  }

  controls(s) {
    if (s.state === 'incoming') {
      return [
        h('button', { type: 'button', class: 'big answer', id: 'call-answer', onclick: () => this.answer() }, t('call.answer')),
        h('button', { type: 'button', class: 'big hangup', id: 'call-decline', onclick: () => s.decline() }, t('call.decline')),
      ];
    }
    if (s.state === 'ended' && s.endReason === 'missed_incoming') { // "Call back", kept until closed
      return [
        h('button', { type: 'button', class: 'big answer', id: 'call-back', onclick: () => this.start(s.household, s.peer) }, t('call.call_back', { name: this.residentName(s.household) })),
        h('button', { type: 'button', class: 'big secondary', id: 'call-close', onclick: () => this.hide() }, t('call.close')),
      ];
    }
    if (s.state === 'ended') {
      return [h('button', { type: 'button', class: 'big secondary', id: 'call-close', onclick: () => this.hide() }, t('call.close'))];
    }
    return [
      h('button', {
        type: 'button', class: 'big toggle', id: 'call-mute', 'aria-pressed': String(s.muted),
        onclick: () => s.setMuted(!s.muted),
      }, s.muted ? t('call.unmute') : t('call.mute')),
      h('button', {
        type: 'button', class: 'big toggle', id: 'call-camera', 'aria-pressed': String(s.cameraOff),
        disabled: !s.localStream || !s.localStream.getVideoTracks().length,
        onclick: () => s.setCameraOff(!s.cameraOff),
      }, s.cameraOff ? t('call.camera_on') : t('call.camera_off')),
      h('button', { type: 'button', class: 'big hangup', id: 'call-hangup', onclick: () => s.hangup() }, t('call.hangup')),
    ];
  }

  async answer() {
    this.ringer.stop();
    try {
      await this.session.accept();
    } catch {
      this.session.end('lost');
    }
  }

  async keepAwake() {
    if (this.wakeLock || !navigator.wakeLock) return;
    try {
      this.wakeLock = await navigator.wakeLock.request('screen');
    } catch {
      this.wakeLock = null;
    }
  }

  finish() {
    this.ringer.stop();
    if (this.wakeLock) this.wakeLock.release().catch(() => {});
    this.wakeLock = null;
    clearTimeout(this.hideTimer);
    const s = this.session;
    if (s && s.endReason === 'missed_incoming') { // a missed call stays until closed
      if (!s.endedAt) {
        s.endedAt = new Date().toLocaleTimeString(language(), { hour: '2-digit', minute: '2-digit' });
        this.render();
      }
    } else {
      this.hideTimer = setTimeout(() => this.hide(), ENDED_VISIBLE_MS);
    }
    const close = document.getElementById('call-close');
    if (close) close.focus();
  }

  hide() {
    clearTimeout(this.hideTimer);
    if (this.session && this.session.state !== 'ended') return;
    const layer = document.getElementById('call');
    layer.hidden = true;
    layer.replaceChildren();
    for (const key of Object.keys(layer.dataset)) delete layer.dataset[key];
    layer.removeAttribute('role');
    document.getElementById('main').inert = false;
    document.querySelector('header.top').inert = false;
    document.body.classList.remove('in-call');
    this.el = null;
    if (this.returnFocus && this.returnFocus.isConnected) this.returnFocus.focus();
  }
}

function liveText(s) {
  if (s.muted && s.cameraOff) return t('call.live_none');
  if (s.cameraOff) return t('call.live_mic');
  if (s.muted) return t('call.live_cam');
  return t('call.live_both');
}

function placeProblem(err) {
  const known = ['forbidden', 'offline', 'busy', 'quiet_hours', 'not_found'];
  if (err && known.includes(err.code)) return err.code;
  if (err && err.name === 'NotAllowedError') return 'no_camera';
  return 'lost';
}
