// Can this browser make a video call? It needs RTCPeerConnection (the connection) and
// navigator.mediaDevices.getUserMedia (camera and microphone). Some browsers have neither or
// one only: Debian's WebKitGTK (GNOME Web) has no RTCPeerConnection, nor do many embedded web
// views and hardened browsers. Asked before a call is offered, and when a call comes in, so
// that nobody is rung, or asked to answer, for a call that cannot happen.
export function canMakeVideoCalls() {
  const devices = globalThis.navigator && navigator.mediaDevices;
  return typeof globalThis.RTCPeerConnection === 'function'
    && !!devices && typeof devices.getUserMedia === 'function';
}
