// Lists that never exceed a frame: doc.list answers in pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHub, household, pairKiosk, personClient } from './lib.mjs';

// A manifest of long pages (bodies of ~28 KB: seven long texts at their 4,000-character bound), so
// that a page of the list holds only two of them.
function longPagesManifest(t) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vindu-paging-'));
  t.after(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
  const label = (en) => ({ nb: en, nn: en, sv: en, en });
  const fields = [{ name: 'title', type: 'text', required: true, max: 200, label: label('Title') }];
  for (let i = 0; i < 7; i++) fields.push({ name: `part${i}`, type: 'long_text', max: 4000, label: label(`Part ${i}`) });
  writeFileSync(path.join(dir, 'pages.json'), JSON.stringify({ plugin: 'pages', version: '1.0.0',
    kinds: [{ kind: 'page', right: 'memory_book', label: label('Page'), title_field: 'title', fields }] }));
  return dir;
}


// Before: an answer over 64 KB could not be sent, and doc.list went silent (three 32 KB pages).
test('doc.list over 100 large documents comes in pages that each fit a frame, all of them once', async (t) => {
  const hub = await startHub(t, { args: ['--plugins-dir', longPagesManifest(t)] });
  const h = await household(t, hub, [{ name: 'Anna', relationship: 'Daughter', rights: 'call,message,memory_book' }]);
  await pairKiosk(hub, t, h);
  const anna = await personClient(hub, t, h.people.Anna);
  const sizes = [];
  anna.ws.on('message', (d) => sizes.push(d.length));
  for (let i = 0; i < 100; i++) {
    const doc = `page-${String(i).padStart(3, '0')}`;
    const body = { title: doc };
    for (let p = 0; p < 7; p++) body[`part${p}`] = 'x'.repeat(4000);
    const r = await anna.request({ type: 'doc.put', household: h.id, kind: 'page', doc, base_rev: 0, body }, 10000);
    assert.equal(r.type, 'doc.accepted', JSON.stringify(r).slice(0, 300));
    await new Promise((res) => setTimeout(res, 60)); // under the 20 messages/s per connection
  }
  const seen = [];
  let after;
  let pages = 0;
  do {
    const answer = await anna.request({ type: 'doc.list', household: h.id, kind: 'page', ...(after ? { after } : {}) }, 10000);
    assert.equal(answer.type, 'doc.items', JSON.stringify(answer).slice(0, 300));
    assert.ok(answer.items.length >= 1);
    for (const item of answer.items) seen.push(item.doc);
    after = answer.more ? answer.next : undefined;
    if (answer.more) assert.equal(answer.next, answer.items[answer.items.length - 1].doc);
    pages++;
    await new Promise((res) => setTimeout(res, 60)); // under the 20 messages/s per connection
  } while (after && pages < 200);
  assert.equal(seen.length, 100);
  assert.deepEqual(seen, [...seen].sort());
  assert.equal(new Set(seen).size, 100);
  assert.ok(pages >= 50, `${pages} pages`);
  assert.ok(Math.max(...sizes) <= 65536, `largest frame ${Math.max(...sizes)}`);
  // a small list is one page with no `more`
  const one = await anna.request({ type: 'doc.list', household: h.id, kind: 'page', after: 'page-099' });
  assert.deepEqual(one.items, []);
  assert.equal(one.more, undefined);
});

// Before: the staff overview was one answer, silent once it passed 64 KB (about 400 kiosks).
test('the staff overview over 900 kiosks comes in pages that each fit a frame', async (t) => {
  const hub = await startHub(t);
  const h = await household(t, hub, [{ name: 'Kari', relationship: 'Nurse', role: 'staff', rights: 'call,status' }]);
  // 900 kiosks in one household, put straight into the database (pairing each would take long)
  const { execFileSync } = await import('node:child_process');
  execFileSync('sqlite3', [`${hub.dataDir}/hub.db`,
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<900) ' +
    `INSERT INTO kiosks(id, household_id, secret_hash, created_at) SELECT printf('k_%04d', i), '${h.id}', 'x', 1 FROM n`]);
  const kari = await personClient(hub, t, h.people.Kari);
  const sizes = [];
  kari.ws.on('message', (d) => sizes.push(d.length));
  const seen = [];
  let after;
  let pages = 0;
  do {
    const answer = await kari.request({ type: 'staff.overview', ...(after ? { after } : {}) }, 10000);
    assert.equal(answer.type, 'staff.kiosks', JSON.stringify(answer).slice(0, 300));
    for (const item of answer.items) seen.push(item.kiosk);
    after = answer.more ? answer.next : undefined;
    pages++;
    await new Promise((res) => setTimeout(res, 60));
  } while (after && pages < 50);
  assert.equal(seen.length, 900);
  assert.equal(new Set(seen).size, 900);
  assert.deepEqual(seen, [...seen].sort());
  assert.ok(pages >= 2, `${pages} pages`);
  assert.ok(Math.max(...sizes) <= 65536, `largest frame ${Math.max(...sizes)}`);
});
