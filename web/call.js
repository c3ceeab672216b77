// One call between this browser and a kiosk (docs/protocol.md, "Calls"). The kiosk is always the
// SDP offerer: the browser answers its offer whichever side called. Mute disables the microphone
// track, camera-off disables the camera track and stops sending video (no renegotiation), as
// the kiosk does with valves.
const STATS_INTERVAL_MS = 500;
const FIRST_FRAME_POLL_MS = 50; // until the first remote frame is decoded, to time it closely
const DISCONNECTED_GRACE_MS = 8000;
// No new frame this long in a connected call: the kiosk's camera is off (it stops the video with a
// valve, so the last frame would stay on screen) or the picture stalled. Say so, rather than show
// a still face that looks live.
const PICTURE_PAUSED_MS = 2000;

// States: placing → ringing → connecting → connected → ended (outgoing);
//         incoming → connecting → connected → ended (incoming).
export class CallSession extends EventTarget {
  constructor(hub, { household, peer, incoming = false, callId = null, from = null }) {
    super();
    this.hub = hub;
    this.household = household;
    this.peer = peer; // the kiosk id
    this.incoming = incoming;
    this.callId = callId;
    this.from = from;
    this.state = incoming ? 'incoming' : 'placing';
    this.endReason = null;
    this.iceServers = [];
    this.localStream = null;
    this.remoteStream = new MediaStream();
    this.pc = null;
    this.pendingIce = [];
    this.muted = false;
    this.cameraOff = false;
    this.stats = { framesDecoded: 0, framesEncoded: 0, bytesReceived: 0 };
    this.statsTimer = null;
    this.lostTimer = null;
    this.startedAt = performance.now();
    this.firstRemoteFrameMs = null; // painted (set by the call view)
    this.firstDecodedMs = null; // decoded (getStats), to tell decoding from painting apart
    this.mediaPromise = null;
  }

  setState(state) {
    if (this.state === 'ended') return;
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }

  // Camera and microphone; a browser without a camera still calls with sound only.
  openMedia() {
    if (!this.mediaPromise) this.mediaPromise = this.getMedia();
    return this.mediaPromise;
  }

  async getMedia() {
    const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    try {
      this.localStream = await navigator.mediaDevices.getUserMedia({
        audio, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch {
      this.localStream = await navigator.mediaDevices.getUserMedia({ audio });
    }
    // Mute or camera-off pressed while the camera was opening holds for the new tracks too:
    // the indicator already says so.
    this.applyTrackStates();
    if (this.state === 'ended') this.releaseMedia();
    this.dispatchEvent(new Event('change'));
  }

  // The kiosk starts ringing while the camera opens (opening it takes ~0.5 s on a phone); if the
  // camera and microphone are refused, the call is cancelled before anyone answers.
  // onPlaced runs as soon as the call has its id (before the camera is open), so that messages
  // that came before call.placed (call.turn) are handled before any that follow it.
  async place(onPlaced = () => {}) {
    const media = this.openMedia();
    media.catch(() => {});
    const placed = await this.hub.request({ type: 'call.invite', household: this.household, to: this.peer });
    this.callId = placed.call;
    onPlaced();
    // Hung up while the hub was placing the call: cancel it now that it has an id.
    if (this.state === 'ended') {
      this.hub.send({ type: 'call.cancel', call: this.callId });
      return;
    }
    try {
      await media;
    } catch (err) {
      if (this.state !== 'ended') this.hub.send({ type: 'call.cancel', call: this.callId });
      throw err;
    }
  }

  async accept() {
    this.setState('connecting');
    await this.openMedia();
    if (this.state === 'ended') return;
    await this.hub.request({ type: 'call.accept', call: this.callId }).catch(ignoreNoAnswer);
  }

  decline() {
    this.hub.send({ type: 'call.decline', call: this.callId, reason: 'not_now' });
    this.end('declined_by_me');
  }

  // Before the kiosk answered, the caller cancels; afterwards either side hangs up.
  hangup() {
    if (this.callId) {
      const cancel = !this.incoming && (this.state === 'placing' || this.state === 'ringing');
      this.hub.send(cancel ? { type: 'call.cancel', call: this.callId } : { type: 'call.hangup', call: this.callId, reason: 'hangup' });
    }
    this.end('hangup_by_me');
  }

  // This page's socket to the hub dropped and came back (the peer connection may have carried on
  // meanwhile): ask the hub whether the call still lives. `ok`: carry on; `not_found`: it ended
  // while we were away — say so. No answer (dropped again): the next reconnect asks again.
  async resume() {
    if (!this.callId || !['connecting', 'connected'].includes(this.state)) return;
    try {
      await this.hub.request({ type: 'call.resume', call: this.callId });
    } catch (err) {
      if (err && err.code === 'not_found') this.end('ended_away');
    }
  }

  // Messages the hub relays for this call.
  handle(msg) {
    switch (msg.type) {
      case 'call.turn':
        this.iceServers = Array.isArray(msg.ice_servers) ? msg.ice_servers : [];
        // The hub's [turn] relay_only: never a direct path, only through the relay.
        this.iceTransportPolicy = msg.ice_transport_policy === 'relay' ? 'relay' : 'all';
        break;
      case 'call.ringing':
        if (this.state === 'placing') this.setState('ringing');
        break;
      case 'call.accept':
        if (this.state === 'placing' || this.state === 'ringing') this.setState('connecting');
        break;
      case 'call.sdp':
        if (msg.sdp_type === 'offer') this.answerOffer(msg.sdp).catch(() => this.fail());
        break;
      case 'call.ice':
        this.addIce(msg);
        break;
      case 'call.decline': this.end(msg.reason === 'no_microphone' ? 'declined_no_microphone' : 'declined'); break;
      case 'call.busy': this.end('busy'); break;
      case 'call.missed': this.end(this.incoming ? 'missed_incoming' : 'missed'); break; // rang out
      case 'call.cancel': this.end(msg.answered_elsewhere ? 'answered_elsewhere' : 'cancelled'); break;
      case 'call.hangup': this.end(msg.reason === 'peer_lost' || msg.reason === 'failed' ? 'lost' : 'hangup'); break;
      default: break;
    }
  }

  async answerOffer(sdp) {
    if (this.state === 'ended') return;
    // A second offer in the same call is the kiosk redialling after its network dropped: a new
    // session (new ICE, new DTLS), so a new peer connection. Done before the first await, so that
    // the new session's candidates, which follow at once, wait for it and never reach the old one.
    if (this.pc && this.pc.remoteDescription) this.dropPeer();
    this.setState('connecting');
    await this.openMedia();
    if (!this.pc) this.createPeer();
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    this.attachTracks();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.hub.send({ type: 'call.sdp', call: this.callId, sdp_type: 'answer', sdp: this.pc.localDescription.sdp });
    for (const candidate of this.pendingIce.splice(0)) await this.addIce(candidate);
  }

  dropPeer() {
    clearTimeout(this.lostTimer);
    clearInterval(this.statsTimer);
    this.pc.close();
    this.pc = null;
    this.pendingIce = [];
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    this.stats = { framesDecoded: 0, framesEncoded: 0, bytesReceived: 0 };
    this.framesChangedAt = undefined;
    this.redials = (this.redials || 0) + 1;
    this.dispatchEvent(new Event('change'));
  }

  createPeer() {
    // TURN from the hub (call.turn) when given; otherwise host and STUN-less candidates only.
    this.pc = new RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy || 'all', bundlePolicy: 'max-bundle' });
    this.pc.addEventListener('icecandidate', (ev) => {
      const c = ev.candidate;
      const msg = c && c.candidate
        ? { type: 'call.ice', call: this.callId, candidate: c.candidate, sdp_mline_index: c.sdpMLineIndex ?? 0 }
        : { type: 'call.ice', call: this.callId, candidate: '', sdp_mline_index: 0 };
      if (c && c.sdpMid) msg.sdp_mid = c.sdpMid;
      this.hub.send(msg);
    });
    this.pc.addEventListener('track', (ev) => {
      if (!this.remoteStream.getTracks().includes(ev.track)) this.remoteStream.addTrack(ev.track);
      this.dispatchEvent(new Event('remote'));
    });
    this.pc.addEventListener('connectionstatechange', () => this.onConnectionState());
    this.statsTimer = setInterval(() => this.readStats(), FIRST_FRAME_POLL_MS);
  }

  // The offer brings sendrecv transceivers; our camera and microphone go on those, not on new ones.
  attachTracks() {
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (!this.localStream.getTracks().some((tr) => tr.kind === kind)) continue;
      transceiver.direction = 'sendrecv';
      transceiver.sender.setStreams?.(this.localStream);
    }
    this.applyTrackStates();
  }

  async addIce(msg) {
    if (!this.pc || !this.pc.remoteDescription) {
      this.pendingIce.push(msg);
      return;
    }
    try {
      if (!msg.candidate) {
        await this.pc.addIceCandidate();
      } else {
        await this.pc.addIceCandidate({
          candidate: msg.candidate, sdpMLineIndex: msg.sdp_mline_index, sdpMid: msg.sdp_mid ?? null,
        });
      }
    } catch {
      // A candidate we cannot use (e.g. another address family) is not a failed call.
    }
  }

  onConnectionState() {
    const s = this.pc.connectionState;
    clearTimeout(this.lostTimer);
    if (s === 'connected') this.setState('connected');
    else if (s === 'failed') this.fail();
    else if (s === 'disconnected') this.lostTimer = setTimeout(() => this.fail(), DISCONNECTED_GRACE_MS);
  }

  fail() {
    if (this.callId) this.hub.send({ type: 'call.hangup', call: this.callId, reason: 'failed' });
    this.end('lost');
  }

  async readStats() {
    if (!this.pc) return;
    let decoded = 0;
    let encoded = 0;
    let bytes = 0;
    const report = await this.pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') decoded += s.framesDecoded || 0;
      if (s.type === 'outbound-rtp' && s.kind === 'video') encoded += s.framesEncoded || 0;
      if (s.type === 'inbound-rtp') bytes += s.bytesReceived || 0;
    });
    const now = performance.now();
    if (decoded !== this.stats.framesDecoded || this.framesChangedAt === undefined) this.framesChangedAt = now;
    this.stats = { framesDecoded: decoded, framesEncoded: encoded, bytesReceived: bytes };
    const paused = this.state === 'connected' && decoded > 0 && now - this.framesChangedAt > PICTURE_PAUSED_MS;
    if (paused !== this.remotePaused) {
      this.remotePaused = paused;
      this.dispatchEvent(new Event('change'));
    }
    if (decoded > 0 && this.firstDecodedMs === null && this.state !== 'ended') {
      this.firstDecodedMs = Math.round(performance.now() - this.startedAt);
      clearInterval(this.statsTimer);
      this.statsTimer = setInterval(() => this.readStats(), STATS_INTERVAL_MS);
    }
    this.dispatchEvent(new Event('stats'));
  }

  setMuted(muted) {
    this.muted = muted;
    this.applyTrackStates();
    this.dispatchEvent(new Event('change'));
  }

  setCameraOff(off) {
    this.cameraOff = off;
    this.applyTrackStates();
    this.dispatchEvent(new Event('change'));
  }

  // Mute and camera-off, applied whenever they change and whenever tracks are (re)used (opened
  // while placing the call, put on a new peer connection after a redial). Muted, the microphone
  // track is disabled: it sends silence, so the kiosk still hears that the call is alive. Camera
  // off, the video track is disabled (the preview goes dark) and taken off the connection: a
  // disabled track would still send black frames at the full rate, a dark picture on the kiosk
  // that looks live. replaceTrack needs no renegotiation, as the kiosk's valves do not.
  applyTrackStates() {
    if (!this.localStream) return;
    this.localStream.getAudioTracks().forEach((tr) => { tr.enabled = !this.muted; });
    this.localStream.getVideoTracks().forEach((tr) => { tr.enabled = !this.cameraOff; });
    if (!this.pc || this.pc.signalingState === 'closed') return;
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.currentDirection === 'stopped') continue;
      const kind = transceiver.receiver.track.kind;
      const track = this.localStream.getTracks().find((tr) => tr.kind === kind) || null;
      const send = kind === 'video' && this.cameraOff ? null : track;
      // Always asked, never compared with sender.track: that changes only once an earlier
      // replaceTrack has finished, and the sender's queue keeps the requests in order.
      transceiver.sender.replaceTrack(send).catch(() => {});
    }
  }

  releaseMedia() {
    if (this.localStream) this.localStream.getTracks().forEach((tr) => tr.stop());
  }

  end(reason) {
    if (this.state === 'ended') return;
    this.endReason = reason;
    clearInterval(this.statsTimer);
    clearTimeout(this.lostTimer);
    if (this.pc) this.pc.close();
    this.releaseMedia();
    this.state = 'ended';
    this.dispatchEvent(new Event('change'));
  }
}

// call.accept may be answered with `ok` or not at all; only a real refusal matters.
function ignoreNoAnswer(err) {
  if (err && err.code !== 'timeout' && err.code !== 'disconnected') throw err;
}
