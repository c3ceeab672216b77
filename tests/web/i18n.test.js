// Every text the web app uses exists in nb, nn, sv and en, with the same {placeholders}.
// Runs without a browser: it reads the modules' t('key') calls and the JSON files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { webRoot } from './harness.js';

const LANGS = ['nb', 'nn', 'sv', 'en'];
const texts = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(readFileSync(join(webRoot, 'i18n', `${l}.json`), 'utf8'))]));
const sources = readdirSync(webRoot).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(webRoot, f), 'utf8')).join('\n');

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('all four languages have the same keys and placeholders', () => {
  const en = Object.keys(texts.en).sort();
  for (const lang of LANGS) {
    assert.deepEqual(Object.keys(texts[lang]).sort(), en, `keys of ${lang}`);
    for (const key of en) {
      assert.ok(texts[lang][key].trim().length > 0, `${lang}:${key} is empty`);
      assert.deepEqual(placeholders(texts[lang][key]), placeholders(texts.en[key]), `placeholders of ${lang}:${key}`);
    }
  }
});

test('every literal t() key used by the modules exists', () => {
  const used = [...sources.matchAll(/\bt\('([a-z_.]+)'/g)].map((m) => m[1]);
  const literalKeys = [...sources.matchAll(/'((?:[a-z_]+\.)+[a-z_]+)'/g)].map((m) => m[1])
    .filter((k) => /^(start|join|signed_out|revoked|connection|problem)\./.test(k));
  assert.ok(used.length > 100, `found only ${used.length} t() calls`);
  for (const key of [...used, ...literalKeys]) assert.ok(key in texts.en, `missing key ${key}`);
});

test('every quoted key of a text family exists, wherever it is written (error maps too)', () => {
  // A literal like 'admin.pair_rate_limited' in a map from error codes to texts is not a t() call,
  // so the test above misses it. Protocol message types share prefixes ('call.invite'): the
  // types come from docs/protocol.md's examples.
  const protocolDoc = readFileSync(join(webRoot, '..', 'docs', 'protocol.md'), 'utf8');
  const types = new Set([...protocolDoc.matchAll(/"type":"([a-z_.]+)"/g)].map((m) => m[1]));
  assert.ok(types.size > 30, `found only ${types.size} protocol types`);
  const families = new Set(Object.keys(texts.en).map((k) => k.split('.')[0]));
  const quoted = [...sources.matchAll(/'((?:[a-z_]+\.)+[a-z_]+)'/g)].map((m) => m[1]);
  const missing = [...new Set(quoted.filter((k) => families.has(k.split('.')[0]) && !types.has(k) && !(k in texts.en)))];
  assert.deepEqual(missing, [], 'quoted keys without a text');
});

test('keys built at run time exist for every value', () => {
  const families = {
    'call.ended.': ['hangup', 'hangup_by_me', 'declined', 'declined_no_microphone', 'declined_by_me', 'busy', 'missed', 'cancelled',
      'lost', 'forbidden', 'offline', 'quiet_hours', 'not_found', 'no_camera'],
    'state.': ['uploading', 'sending', 'sent', 'delivered', 'seen', 'failed'],
    'right.': ['call', 'message', 'status', 'auto_answer', 'quiet_hours_exempt', 'reminders', 'memory_book', 'activities', 'admin'],
    'role.': ['family', 'volunteer', 'staff', 'coordinator'],
    'status.': ['online', 'offline', 'in_call'],
    'plugins.error.': ['missing_field', 'wrong_type', 'out_of_range', 'bad_format', 'not_found', 'too_large',
      'unknown_kind', 'conflict', 'forbidden', 'other', 'this', 'upload'],
  };
  for (const [prefix, values] of Object.entries(families)) {
    for (const v of values) assert.ok(`${prefix}${v}` in texts.en, `missing key ${prefix}${v}`);
  }
});
