// Texts in nb, nn, sv and en, loaded from web/i18n/<lang>.json. `t(key, vars)` fills {name}
// placeholders; a missing key falls back to English so a screen is never blank.
import { LANGUAGE_CODES, LANGUAGE_KEY, fetchTexts, preferredLanguage, takeTexts } from './early.js';

export { preferredLanguage };
const NAMES = { nb: 'Norsk bokmål', nn: 'Norsk nynorsk', sv: 'Svenska', en: 'English' };
export const LANGUAGES = LANGUAGE_CODES.map((code) => ({ code, name: NAMES[code] }));

let current = 'en';
let texts = {};
let fallback = {};

// The texts early.js began to fetch before the app arrived, else a fetch of our own.
function load(code) {
  const early = takeTexts(code);
  return early ? early.catch(() => fetchTexts(code)) : fetchTexts(code);
}

export async function setLanguage(code, remember = false) {
  if (!LANGUAGES.some((l) => l.code === code)) code = 'en';
  if (remember) localStorage.setItem(LANGUAGE_KEY, code);
  // both at once: on a slow link each would otherwise cost its own round trip
  const wanted = code === 'en' ? null : load(code);
  if (wanted) wanted.catch(() => {}); // awaited below; a failure is not unhandled meanwhile
  if (!Object.keys(fallback).length) fallback = await load('en');
  texts = wanted ? await wanted : fallback;
  current = code;
  document.documentElement.lang = code;
}

export function language() {
  return current;
}

export function t(key, vars = {}) {
  const text = texts[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] !== undefined ? String(vars[name]) : ''));
}

// "5 minutes ago", "yesterday 14:05" — plain words, in the chosen language.
export function formatWhen(seconds) {
  if (!seconds) return t('time.never');
  const date = new Date(seconds * 1000);
  const diff = Math.round((Date.now() - date.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (Math.abs(diff) < 60) return t('time.just_now');
  if (Math.abs(diff) < 3600) return rtf.format(-Math.round(diff / 60), 'minute');
  if (Math.abs(diff) < 6 * 3600) return rtf.format(-Math.round(diff / 3600), 'hour');
  return formatDateTime(seconds);
}

export function formatDateTime(seconds) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit',
  }).format(new Date(seconds * 1000));
}

function locale() {
  // Intl knows "nn" and "nb"; "no" is the safer fallback in older engines.
  return { nb: 'nb-NO', nn: 'nn-NO', sv: 'sv-SE', en: 'en-GB' }[current] || 'en-GB';
}
