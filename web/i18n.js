// Texts in nb, nn, sv and en, loaded from web/i18n/<lang>.json. `t(key, vars)` fills {name}
// placeholders; a missing key falls back to English so a screen is never blank.
export const LANGUAGES = [
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'nn', name: 'Norsk nynorsk' },
  { code: 'sv', name: 'Svenska' },
  { code: 'en', name: 'English' },
];
const STORAGE_KEY = 'vindu.lang';

let current = 'en';
let texts = {};
let fallback = {};

async function load(code) {
  const res = await fetch(`i18n/${code}.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`language ${code}: HTTP ${res.status}`);
  return res.json();
}

// Picks the stored choice, else the browser's first supported language, else English.
export function preferredLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && LANGUAGES.some((l) => l.code === stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('nn')) return 'nn';
    if (lower.startsWith('nb') || lower.startsWith('no')) return 'nb';
    if (lower.startsWith('sv')) return 'sv';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export async function setLanguage(code, remember = false) {
  if (!LANGUAGES.some((l) => l.code === code)) code = 'en';
  if (remember) localStorage.setItem(STORAGE_KEY, code);
  if (!Object.keys(fallback).length) fallback = await load('en');
  texts = code === 'en' ? fallback : await load(code);
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
