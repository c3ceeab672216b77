// The demo's smoke call, as a newcomer would try it: Anna opens her sign-in link from `make demo`
// in Chromium, her page shows Ingebjørg's kiosk online with the call button, she calls, the kiosk
// answers (through its test control, standing in for the resident's touch), and video frames are
// decoded on both sides; she hangs up and the kiosk is idle again. Run by packaging/demo.sh --smoke
// against the demo it started:
//
//   node tests/system/demo_call.mjs --origin URL --link ANNA_LINK --household ID \
//        --control FIFO --kiosk-log FILE
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cleanup, instrumentPage, launchBrowser, newPerson, waitFor } from '../web/harness.js';

const FRAMES = 15; // a few hundred ms of video: the stream really flows

const { values: opt } = parseArgs({
  options: {
    origin: { type: 'string' }, link: { type: 'string' }, household: { type: 'string' },
    control: { type: 'string' }, 'kiosk-log': { type: 'string' },
  },
});
for (const name of ['origin', 'link', 'household', 'control', 'kiosk-log']) {
  if (!opt[name]) throw new Error(`demo_call: --${name} is needed`);
}

const kioskLog = () => readFileSync(opt['kiosk-log'], 'utf8');
const control = (line) => appendFileSync(opt.control, `${line}\n`);

// The kiosk's newest "status" line, asked for now, as an object.
async function kioskStatus() {
  const seen = kioskLog().length;
  control('status');
  const line = await waitFor(() => {
    const m = /^vindu-kiosk: status (.*)$/m.exec(kioskLog().slice(seen));
    return m && m[1];
  }, { timeoutMs: 10000, what: 'the kiosk to answer "status"' });
  return Object.fromEntries(line.trim().split(/\s+/).map((kv) => kv.split('=')));
}

function step(what) {
  console.log(`demo_call: ${what}`);
}

async function main() {
  const browser = await launchBrowser();
  const { page, errors } = await newPerson(browser, { locale: 'nb-NO' });
  await instrumentPage(page);
  await page.goto(opt.link);
  await page.waitForSelector('.home h1, .notice h1', { timeout: 20000 });
  await page.goto(`${opt.origin}/#/h/${opt.household}`);
  await page.waitForSelector('.status[data-status=online]', { timeout: 30000 });
  await page.waitForSelector('#call-button', { state: 'visible', timeout: 10000 });
  step('Anna\'s page shows the kiosk online and the call button');

  const from = kioskLog().length;
  await page.click('#call-button');
  await waitFor(() => /vindu-kiosk: state \S*incoming/.test(kioskLog().slice(from)),
    { timeoutMs: 20000, what: 'the kiosk to ring' });
  control('answer');
  await page.waitForSelector('#call[data-state=connected]', { timeout: 30000 });
  await waitFor(async () => Number(await page.getAttribute('#call', 'data-frames-decoded')) >= FRAMES,
    { timeoutMs: 30000, what: 'the kiosk\'s video decoded in Anna\'s browser' });
  await waitFor(async () => Number((await kioskStatus()).frames) >= FRAMES,
    { timeoutMs: 30000, what: 'Anna\'s video shown on the kiosk' });
  step('the call carries video both ways');

  await page.click('#call-hangup');
  await page.waitForSelector('#call[data-state=ended]', { timeout: 15000 });
  await waitFor(async () => (await kioskStatus()).call === 'idle', { timeoutMs: 15000, what: 'the kiosk back to idle' });
  if (errors.length) throw new Error(`errors in Anna's page: ${errors.map((e) => e.message).join('; ')}`);
  step('hung up; the kiosk is idle again');
}

try {
  await main();
} catch (err) {
  console.error(`demo_call: ${err.message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
