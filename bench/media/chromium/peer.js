// A browser call peer for the benchmark and the interop test, driven by Node through
// window.peer.*; signalling leaves through window.toNode(message) (exposed by Playwright).
'use strict';

const BITS = 40;

function check(ms) {
  // Same check as media/timestamp.c: rotate-left then xor each byte.
  let c = 0xa5;
  for (let i = 0; i < 4; i++) c = (((c << 1) | (c >>> 7)) & 0xff) ^ ((ms >>> (8 * i)) & 0xff);
  return c;
}

function nowMs() {
  return Date.now() >>> 0;
}

function paintStamp(ctx, width, ms) {
  const block = Math.floor(width / BITS);
  const word = [];
  for (let b = 31; b >= 0; b--) word.push((ms >>> b) & 1);
  const c = check(ms);
  for (let b = 7; b >= 0; b--) word.push((c >>> b) & 1);
  word.forEach((bit, i) => {
    ctx.fillStyle = bit ? '#ffffff' : '#000000';
    ctx.fillRect(i * block, 0, block, block);
  });
}

function readStamp(data, width, block) {
  // data: RGBA rows 0..block-1; sample the middle half of each block on the green channel.
  const from = Math.floor(block / 4), to = block - Math.floor(block / 4);
  const bits = [];
  for (let i = 0; i < BITS; i++) {
    let sum = 0, n = 0;
    for (let y = from; y < to; y++)
      for (let x = from; x < to; x++, n++) sum += data[(y * width + i * block + x) * 4 + 1];
    bits.push(sum / n > 128 ? 1 : 0);
  }
  let ms = 0;
  for (let i = 0; i < 32; i++) ms = ((ms << 1) | bits[i]) >>> 0;
  let c = 0;
  for (let i = 32; i < 40; i++) c = (c << 1) | bits[i];
  return c === check(ms) ? ms : null;
}

const state = {
  pc: null, stream: null, sendStream: null, role: 'answerer', paint: false,
  t0: 0, firstFrameAt: null, frames: 0, latencies: [], stopped: false, pending: [],
  remoteDescriptionSet: false, width: 640, height: 480, fps: 30,
};

async function camera() {
  return navigator.mediaDevices.getUserMedia({
    audio: true,
    video: { width: state.width, height: state.height, frameRate: state.fps },
  });
}

// Paints a timestamp into each camera frame (breakout box), like vindu's paint_timestamps.
function paintedTrack(track) {
  const processor = new MediaStreamTrackProcessor({ track });
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const canvas = new OffscreenCanvas(state.width, state.height);
  const ctx = canvas.getContext('2d', { alpha: false });
  processor.readable.pipeThrough(new TransformStream({
    transform(frame, controller) {
      ctx.drawImage(frame, 0, 0, state.width, state.height);
      paintStamp(ctx, state.width, nowMs());
      const out = new VideoFrame(canvas, { timestamp: frame.timestamp });
      frame.close();
      controller.enqueue(out);
    },
  })).pipeTo(generator.writable).catch(() => {});
  return generator;
}

function watchRemoteVideo(track) {
  const video = document.getElementById('remote');
  if (!state.paint) {
    // Render as a page would; count frames with requestVideoFrameCallback.
    video.srcObject = new MediaStream([track]);
    const onFrame = () => {
      if (state.stopped) return;
      if (state.firstFrameAt === null) state.firstFrameAt = performance.now();
      state.frames++;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.play().catch(() => {});
    return;
  }
  const processor = new MediaStreamTrackProcessor({ track });
  const reader = processor.readable.getReader();
  const canvas = new OffscreenCanvas(state.width, 32);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  (async () => {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done || state.stopped) { if (frame) frame.close(); break; }
      if (state.firstFrameAt === null) state.firstFrameAt = performance.now();
      state.frames++;
      const w = frame.displayWidth, block = Math.floor(w / BITS);
      if (canvas.width !== w) canvas.width = w;
      ctx.drawImage(frame, 0, 0, w, block, 0, 0, w, block);
      frame.close();
      const ms = readStamp(ctx.getImageData(0, 0, w, block).data, w, block);
      if (ms !== null) state.latencies.push(((nowMs() - ms) >>> 0));
    }
  })();
}

async function playRemoteAudio(track) {
  const audio = new Audio();
  audio.srcObject = new MediaStream([track]);
  audio.play().catch(() => {});
}

window.peer = {
  // role 'offerer' | 'answerer'; prepare gets the camera for an answerer (a ringing kiosk or a
  // browser that has already allowed its camera), and for an offerer when early (the bench's
  // --prepare: both offerers get ready while it rings).
  async prepare(role, paint, early = false) {
    state.role = role;
    state.paint = paint;
    if ((role === 'answerer' || early) && !state.stream) state.stream = await camera();
    return true;
  },
  async start() {
    state.t0 = performance.now();
    state.firstFrameAt = null;
    state.frames = 0;
    state.latencies = [];
    state.stopped = false;
    state.pending = [];
    state.remoteDescriptionSet = false;
    if (!state.stream) state.stream = await camera();
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    state.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate)
        window.toNode({ type: 'ice', mline: e.candidate.sdpMLineIndex, candidate: e.candidate.candidate });
    };
    pc.ontrack = (e) => {
      if (e.track.kind === 'video') watchRemoteVideo(e.track);
      else playRemoteAudio(e.track);
    };
    const audioTrack = state.stream.getAudioTracks()[0];
    let videoTrack = state.stream.getVideoTracks()[0];
    if (state.paint) videoTrack = paintedTrack(videoTrack);
    state.tracks = { audio: audioTrack, video: videoTrack };
    if (state.role === 'offerer') {
      pc.addTransceiver(audioTrack, { direction: 'sendrecv' });
      pc.addTransceiver(videoTrack, { direction: 'sendrecv' });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      window.toNode({ type: 'sdp', sdpType: 'offer', sdp: offer.sdp });
    }
    return true;
  },
  async setRemote(type, sdp) {
    const pc = state.pc;
    await pc.setRemoteDescription({ type, sdp });
    state.remoteDescriptionSet = true;
    for (const c of state.pending) await pc.addIceCandidate(c);
    state.pending = [];
    if (type === 'offer') {
      // The offer made the transceivers; send our tracks on them.
      for (const t of pc.getTransceivers()) {
        const kind = t.receiver.track.kind;
        await t.sender.replaceTrack(state.tracks[kind]);
        t.direction = 'sendrecv';
      }
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      window.toNode({ type: 'sdp', sdpType: 'answer', sdp: answer.sdp });
    }
    return true;
  },
  async addIce(mline, candidate) {
    const c = { candidate, sdpMLineIndex: mline };
    if (!state.remoteDescriptionSet) state.pending.push(c);
    else await state.pc.addIceCandidate(c);
    return true;
  },
  // What the camera sends from now on, as a page would ask (the peer sees a new frame size).
  async resize(width, height) {
    await state.stream.getVideoTracks()[0].applyConstraints({ width, height });
    return state.stream.getVideoTracks()[0].getSettings();
  },
  status() {
    return {
      firstFrameMs: state.firstFrameAt === null ? null : state.firstFrameAt - state.t0,
      frames: state.frames,
      latencies: state.latencies.slice(),
      connection: state.pc ? state.pc.connectionState : 'none',
    };
  },
  async inboundStats() {
    const out = { audioPackets: 0, videoFramesDecoded: 0, remoteSdp: state.pc.remoteDescription.sdp };
    (await state.pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') out.audioPackets += r.packetsReceived || 0;
      if (r.type === 'inbound-rtp' && r.kind === 'video') out.videoFramesDecoded += r.framesDecoded || 0;
    });
    return out;
  },
  stop() {
    state.stopped = true;
    if (state.pc) state.pc.close();
    state.pc = null;
    // The answerer keeps its camera between calls (prepared once); the offerer opens it per call.
    if (state.role === 'offerer' && state.stream) {
      state.stream.getTracks().forEach((t) => t.stop());
      state.stream = null;
    }
    return true;
  },
};
