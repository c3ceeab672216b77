// A ring tone for incoming calls, made with Web Audio (no sound file to fetch). Browsers may
// refuse sound before the first touch on the page; the call screen still shows the call.
const ON_MS = 1200;
const PERIOD_MS = 3000;

export class Ringer {
  constructor() {
    this.ctx = null;
    this.timer = null;
  }

  start() {
    this.stop();
    try {
      this.ctx = new AudioContext();
    } catch {
      return;
    }
    const ring = () => {
      if (!this.ctx || this.ctx.state === 'closed') return;
      const now = this.ctx.currentTime;
      const gain = this.ctx.createGain();
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.3, now + 0.05);
      gain.gain.setValueAtTime(0.3, now + ON_MS / 1000 - 0.1);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + ON_MS / 1000);
      gain.connect(this.ctx.destination);
      for (const freq of [440, 480]) {
        const osc = this.ctx.createOscillator();
        osc.frequency.value = freq;
        osc.connect(gain);
        osc.start(now);
        osc.stop(now + ON_MS / 1000);
      }
    };
    ring();
    this.timer = setInterval(ring, PERIOD_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.ctx) this.ctx.close().catch(() => {});
    this.ctx = null;
  }
}
