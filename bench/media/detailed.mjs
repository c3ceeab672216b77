// A detailed picture at a fixed video target, for call-bench: two vindu-call-peer processes in a
// call where the offerer sends videotestsrc's snow (noise: nothing to predict, what a webcam in
// a dim room comes closest to) with congestion control pinned to the target. Figures: what was
// sent (bytes from get-stats, video and audio) over the measured span, divided by the target
// (video alone, and video + audio), the frames the answerer decoded per second and their last
// size (frame dropping and VP8's own downscaling show there), and CPU % of one core per process.
import { VinduPeer, pair, sleep } from './lib.mjs';

const AUDIO_KBPS = 32; // the engine's Opus default

export async function benchDetailed({ peerBinary, width, height, fps, targetKbps, seconds, sampleLoad }) {
  const common = ['--width', `${width}`, '--height', `${height}`, '--fps', `${fps}`];
  const a = new VinduPeer(peerBinary, ['--offerer', '--tone', '440', '--pattern', 'snow',
    '--bitrate', `${targetKbps}`, ...common], 'detailed-offerer');
  const b = new VinduPeer(peerBinary, ['--answerer', '--tone', '660', ...common], 'detailed-answerer');
  pair(a, b);
  await Promise.all([a.waitFor('ready'), b.waitFor('ready')]);
  const bStarted = b.waitFor('started');
  b.send('start');
  await bStarted;
  const first = b.waitFor('first-frame');
  a.send('start');
  await first;
  await sleep(3000); // past the first key frames and the encoder's first size decisions
  const ask = async (peer, word) => {
    const reply = peer.waitFor(word);
    peer.send(word);
    return (await reply).split(' ');
  };
  const [bytes0, at0] = (await ask(a, 'sent')).map(Number);
  const [decoded0] = (await ask(b, 'decoded')).map(Number);
  const load = await sampleLoad([a.pid, b.pid], seconds);
  const [bytes1, at1] = (await ask(a, 'sent')).map(Number);
  const [decoded1] = (await ask(b, 'decoded')).map(Number);
  const [size] = await ask(b, 'size');
  const stopped = [a.waitFor('stopped'), b.waitFor('stopped')];
  a.send('stop');
  b.send('stop');
  await Promise.all(stopped);
  await Promise.all([a.quit(), b.quit()]);
  const sentKbps = ((bytes1 - bytes0) * 8) / (at1 - at0);
  const r3 = (x) => Math.round(x * 1000) / 1000;
  return {
    resolution: `${width}x${height}@${fps}`,
    target_kbps: targetKbps,
    sent_kbps: Math.round(sentKbps),
    sent_over_target: r3(sentKbps / targetKbps),
    sent_over_target_with_audio: r3(sentKbps / (targetKbps + AUDIO_KBPS)),
    decoded_fps: Math.round(((decoded1 - decoded0) / ((at1 - at0) / 1000)) * 10) / 10,
    last_frame_size: size,
    cpu_percent: { offerer: load.cpu[0], answerer: load.cpu[1] },
  };
}
