// An upload that survives a flaky connection: a try that fails for a reason a new try can mend
// (no connection, the connection cut or stalled, the hub busy) is made again from the start
// after a growing, jittered wait. Files are stored by their hash, so a second try of the same
// bytes is harmless. What the person chose stays in memory until the last try has failed.
import { UploadError, upload } from './send.js';

export const UPLOAD_ATTEMPTS = 6; // about half a minute of waiting in all before giving up
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15000;
const RETRYABLE = [0, 408, 429, 500, 502, 503, 504];

export function retryable(err) {
  return err instanceof UploadError && RETRYABLE.includes(err.status);
}

// The wait before try `n` (2, 3, …): 1 s, 2 s, 4 s … at most 15 s, ±20 % so that many browsers
// cut off together do not come back together.
export function waitBefore(n) {
  const plain = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (n - 2));
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}

// Like upload(); `onProgress(fraction)` as the bytes go, `onRetry({attempt, waitMs, error})`
// before each new try. Rejects with the last error when it cannot be mended or tries run out.
export async function uploadWithRetry(household, blob, { onProgress, onRetry, attempts = UPLOAD_ATTEMPTS } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await upload(household, blob, onProgress);
    } catch (err) {
      if (!retryable(err) || attempt >= attempts) throw err;
      const waitMs = waitBefore(attempt + 1);
      if (onProgress) onProgress(0);
      if (onRetry) onRetry({ attempt: attempt + 1, waitMs, error: err });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
