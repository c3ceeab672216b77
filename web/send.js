// Sending to the kiosk: photos (scaled in the browser, uploaded with progress), text, and voice
// notes recorded with MediaRecorder. The message itself goes through the outbox.
import { sessionToken } from './session.js';

export const MAX_PHOTO_SIDE = 2560;
const JPEG_QUALITY = 0.85;
export const MAX_VOICE_MS = 5 * 60 * 1000;
export const MAX_TEXT = 4000;
export const MAX_CAPTION = 500;

// Decodes the picked file (honouring its EXIF orientation), scales it so that neither side is
// over 2560 px and encodes a JPEG. Re-encoding always also drops EXIF, e.g. the GPS position.
export async function scalePhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise((resolve, reject) => canvas.toBlob(
    (b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', JPEG_QUALITY));
  return { blob, width, height, canvas };
}

// A small copy of the scaled photo for the list of sent things. Drawn on a canvas because the
// hub's security policy allows no blob: or data: images.
export function thumbnail(source, side = 160) {
  const scale = side / Math.max(source.width, source.height);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(source.width * scale);
  canvas.height = Math.round(source.height * scale);
  canvas.getContext('2d').drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

export class UploadError extends Error {
  constructor(status, code, message) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

// No byte moved for this long: the connection is taken as lost (a cut link often says nothing).
export const UPLOAD_STALL_MS = 20000;

// POST /api/files?household=H with the session token; XMLHttpRequest because fetch() cannot
// report upload progress. Resolves with {file, kind, size}. A stalled upload is aborted and
// rejected like a lost connection (status 0), so that uploadWithRetry() tries again.
export function upload(household, blob, onProgress, { stallMs = UPLOAD_STALL_MS } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let stall = null;
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(() => { xhr.abort(); reject(new UploadError(0, 'stalled', 'stalled')); }, stallMs);
    };
    xhr.open('POST', `/api/files?household=${encodeURIComponent(household)}`);
    xhr.setRequestHeader('Authorization', `Bearer ${sessionToken()}`);
    if (blob.type) xhr.setRequestHeader('Content-Type', blob.type);
    xhr.upload.addEventListener('progress', (ev) => {
      watch();
      if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total);
    });
    xhr.addEventListener('readystatechange', watch);
    xhr.addEventListener('loadend', () => clearTimeout(stall));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 || xhr.status === 200) {
        if (onProgress) onProgress(1);
        resolve(body);
      } else {
        reject(new UploadError(xhr.status, body && body.code, body && body.message));
      }
    });
    xhr.addEventListener('error', () => reject(new UploadError(0, 'network', 'network')));
    watch();
    xhr.send(blob);
  });
}

// The container the hub accepts: WebM Opus (Chromium, Firefox) or Ogg Opus; null if neither.
export function voiceMimeType() {
  if (typeof MediaRecorder === 'undefined') return null;
  for (const type of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus']) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return null;
}

// Records from the microphone until stop() or `limitMs` (at most five minutes). `done` resolves with
// {blob, duration_ms}.
export class VoiceRecorder {
  constructor({ limitMs = MAX_VOICE_MS } = {}) {
    this.limitMs = Math.min(limitMs, MAX_VOICE_MS);
    this.stream = null;
    this.recorder = null;
    this.chunks = [];
    this.startedAt = 0;
    this.limitTimer = null;
    this.done = null;
  }

  async start() {
    const mimeType = voiceMimeType();
    if (!mimeType) throw new Error('unsupported');
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    this.recorder = new MediaRecorder(this.stream, { mimeType, audioBitsPerSecond: 32000 });
    this.done = new Promise((resolve) => {
      this.recorder.addEventListener('dataavailable', (ev) => { if (ev.data.size) this.chunks.push(ev.data); });
      this.recorder.addEventListener('stop', () => {
        const duration = Math.min(this.limitMs, Math.max(1, Date.now() - this.startedAt));
        this.release();
        resolve({ blob: new Blob(this.chunks, { type: mimeType.split(';')[0] }), duration_ms: duration });
      });
    });
    this.startedAt = Date.now();
    this.recorder.start(1000);
    this.limitTimer = setTimeout(() => this.stop(), this.limitMs - 500);
  }

  elapsedMs() {
    return this.startedAt ? Date.now() - this.startedAt : 0;
  }

  stop() {
    clearTimeout(this.limitTimer);
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    return this.done;
  }

  // Stops the microphone at once (the indicator in the browser goes away).
  release() {
    clearTimeout(this.limitTimer);
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }
}
