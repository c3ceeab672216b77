// Interop: a Vindu engine offers (as the kiosk does to browsers) and Debian's Chromium answers.
// Passes when Chromium accepts the offer (bundle, rtcp-mux, VP8 + Opus, TWCC negotiated) and
// each side decodes the other's video and receives its audio, and the kiosk follows Chromium's
// camera changing resolution mid-call.
// Usage: node chromium_interop.mjs <path to vindu-call-peer>
import { VinduPeer, BrowserPeer, pair, servePeerPage, sleep } from '../../bench/media/lib.mjs';

const peerBinary = process.argv[2];
let failures = 0;
function expect(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

async function until(fn, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await sleep(100);
  }
  return null;
}

const { server, url } = await servePeerPage();
const kiosk = new VinduPeer(peerBinary, ['--offerer'], 'vindu');
let browser;
try {
  await kiosk.waitFor('ready');
  browser = await BrowserPeer.launch(url, 'chromium');
  pair(kiosk, browser);
  await browser.call('prepare', 'answerer', false);
  await browser.call('start');
  const firstFrame = kiosk.waitFor('first-frame', 30000).then(() => true, () => false);
  kiosk.send('start');

  const offer = await until(() => browser.lastRemoteSdp, 15000);
  expect(!!offer, 'the kiosk made an offer');
  const sdp = offer || '';
  expect(/a=group:BUNDLE \S+ \S+/.test(sdp), 'offer bundles both m-lines');
  expect((sdp.match(/a=rtcp-mux/g) || []).length >= 2, 'offer uses rtcp-mux');
  expect(/a=rtpmap:\d+ VP8\/90000/.test(sdp), 'offer has VP8');
  expect(/a=rtpmap:\d+ OPUS\/48000\/2/i.test(sdp), 'offer has Opus');
  expect(/transport-cc/.test(sdp) && /transport-wide-cc-extensions-01/.test(sdp), 'offer has TWCC');
  const answer = await until(() => kiosk.lastRemoteSdp, 15000);
  expect(!!answer, 'Chromium answered');
  expect(/transport-cc/.test(answer || '') && /transport-wide-cc/.test(answer || ''),
    'Chromium accepted TWCC');

  expect(await firstFrame, 'the kiosk decoded a frame from Chromium');
  const seen = await until(async () => {
    const s = await browser.call('status');
    return s.frames >= 30 ? s : null;
  }, 30000);
  expect(!!seen, 'Chromium rendered 30 frames from the kiosk');
  const inbound = await until(async () => {
    const s = await browser.call('inboundStats');
    return s.audioPackets >= 50 ? s : null;
  }, 15000);
  expect(!!inbound, 'Chromium received the kiosk\'s audio');
  // Chromium's fake camera starts slowly on a busy machine: wait for the frames, not a fixed time
  const decoded = await until(async () => {
    const line = kiosk.waitFor('decoded', 5000);
    kiosk.send('decoded');
    return Number(await line) >= 20;
  }, 30000);
  expect(decoded, 'the kiosk keeps decoding Chromium\'s video');
  // The sender changes resolution mid-call (a page's applyConstraints; Chromium also does it
  // by itself under load): the kiosk's decoded frames take the new size.
  const sizeNow = async () => {
    const line = kiosk.waitFor('size', 5000);
    kiosk.send('size');
    const [wh, taken] = (await line).split(' ');
    const [w, h] = wh.split('x').map(Number);
    return { w, h, taken: Number(taken) };
  };
  const before = await sizeNow();
  expect(before.w > 320, `the kiosk shows Chromium's frames at ${before.w}x${before.h}`);
  const settings = await browser.call('resize', 320, 240);
  expect(settings.width === 320 && settings.height === 240,
    `Chromium's camera now sends ${settings.width}x${settings.height}`);
  const after = await until(async () => {
    const s = await sizeNow();
    return s.w === 320 && s.h === 240 ? s : null;
  }, 30000);
  expect(!!after, `the kiosk's frames became 320x240 (last ${JSON.stringify(await sizeNow())})`);
  const more = after && await until(async () => {
    const s = await sizeNow();
    return s.taken >= after.taken + 10 && s.w === 320 ? s : null;
  }, 30000);
  expect(!!more, 'the kiosk keeps showing frames at the new size');
  const stopped = kiosk.waitFor('stopped');
  kiosk.send('stop');
  const summary = JSON.parse(await stopped);
  expect(summary.frames_decoded >= 20, `the kiosk decoded ${summary.frames_decoded} frames`);
  expect(summary.audio_buffers >= 50, `the kiosk played ${summary.audio_buffers} audio buffers`);
  expect(!browser.errors, `no page errors ${browser.errors}`);
} catch (e) {
  expect(false, `${e.stack || e}`);
} finally {
  await kiosk.quit();
  if (browser) await browser.close();
  server.close();
}
process.exit(failures ? 1 : 0);
