/* What a kiosk killed around a voice reply leaves, looked at by the next start
 * (kiosk/voice_salvage): a reply stopped (Stop and send touched) is kept as far as its whole Ogg
 * pages go and made ready to send; one still recording, or with nothing on disk, is removed and
 * counted for the resident; a recording no outbox row keeps is removed; a ready one is left. */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "check_main.h"
#include "temp_dir.h"

#include "kiosk/cache.h"
#include "kiosk/voice_salvage.h"

/* One Ogg page of `body_len` bytes of `fill` (a body may start with a given packet). */
static void
page(GByteArray *out, guint64 granule, const guint8 *body, guint body_len)
{
  guint8 h[27] = {'O', 'g', 'g', 'S', 0};
  for (int i = 0; i < 8; i++)
    h[6 + i] = (guint8)(granule >> (8 * i));
  guint nsegs = body_len / 255 + 1;
  h[26] = (guint8)nsegs;
  g_byte_array_append(out, h, 27);
  for (guint i = 0; i < nsegs; i++) {
    guint8 lace = i + 1 < nsegs ? 255 : (guint8)(body_len % 255);
    g_byte_array_append(out, &lace, 1);
  }
  g_byte_array_append(out, body, body_len);
}

/* OpusHead (pre-skip 312) and OpusTags pages, then `seconds` pages of one second each, then
 * `torn` bytes of a page the kiosk was writing when it died. Returns the length of the whole. */
static gsize
write_ogg(const char *path, guint seconds, guint torn, gsize *whole)
{
  g_autoptr(GByteArray) b = g_byte_array_new();
  guint8 head[19] = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 312 & 255, 312 >> 8};
  page(b, 0, head, sizeof head);
  page(b, 0, (const guint8 *)"OpusTags........", 16);
  guint8 audio[400];
  memset(audio, 0x42, sizeof audio);
  for (guint s = 1; s <= seconds; s++)
    page(b, 312 + 48000ull * s, audio, sizeof audio);
  *whole = b->len;
  g_autoptr(GByteArray) next = g_byte_array_new();
  page(next, 312 + 48000ull * (seconds + 1), audio, sizeof audio);
  g_byte_array_append(b, next->data, MIN(torn, next->len));
  ck_assert(g_file_set_contents(path, (const char *)b->data, b->len, NULL));
  return b->len;
}

static void
add_held(VkCache *c, const char *id, const char *to, const char *path, int held)
{
  VkOutboxItem it = {.client_msg_id = (char *)id,
                     .to_id = (char *)to,
                     .kind = (char *)"voice",
                     .path = (char *)path,
                     .held = held};
  ck_assert(vk_cache_outbox_add(c, &it, NULL));
}

START_TEST(stopped_kept_recording_told_orphans_removed)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-salvage-XXXXXX", NULL);
  VkCache *c = vk_cache_open(dir, NULL);
  ck_assert_ptr_nonnull(c);
  g_autofree char *out = g_build_filename(dir, "outbox", NULL);
  g_mkdir_with_parents(out, 0700);
  g_autofree char *stopped = g_build_filename(out, "voice-1.ogg", NULL);
  g_autofree char *recording = g_build_filename(out, "voice-2.ogg", NULL);
  g_autofree char *empty = g_build_filename(out, "voice-3.ogg", NULL);
  g_autofree char *orphan = g_build_filename(out, "voice-4.ogg", NULL);
  g_autofree char *ready = g_build_filename(out, "voice-5.ogg", NULL);
  gsize whole = 0, ignored = 0;
  ck_assert_uint_gt(write_ogg(stopped, 3, 100, &whole), whole);
  write_ogg(recording, 2, 50, &ignored);
  ck_assert(g_file_set_contents(empty, "", 0, NULL));
  write_ogg(orphan, 1, 0, &ignored);
  write_ogg(ready, 1, 0, &ignored);
  add_held(c, "k-1", "p_anna", stopped, VK_OUTBOX_STOPPED);
  add_held(c, "k-2", "p_olav", recording, VK_OUTBOX_RECORDING);
  add_held(c, "k-3", "p_kari", empty, VK_OUTBOX_STOPPED);
  add_held(c, "k-5", "p_anna", ready, VK_OUTBOX_READY);

  VkVoiceSalvage s;
  vk_voice_salvage(c, &s);
  ck_assert_uint_eq(s.kept, 1);
  ck_assert_uint_eq(s.lost, 2);
  ck_assert_str_eq(s.lost_to, "p_olav");
  vk_voice_salvage_clear(&s);

  /* the stopped one: whole pages only, three seconds, waiting to be sent before the ready one */
  g_autoptr(GPtrArray) waiting = vk_cache_outbox_waiting(c);
  ck_assert_uint_eq(waiting->len, 2);
  VkOutboxItem *first = waiting->pdata[0];
  ck_assert_str_eq(first->client_msg_id, "k-1");
  ck_assert_uint_eq(first->duration_ms, 3000);
  GStatBuf st;
  ck_assert_int_eq(g_stat(stopped, &st), 0);
  ck_assert_uint_eq((gsize)st.st_size, whole);
  ck_assert_str_eq(((VkOutboxItem *)waiting->pdata[1])->client_msg_id, "k-5");
  /* the lost and the orphan are gone, rows and files; nothing is held any more */
  ck_assert(!g_file_test(recording, G_FILE_TEST_EXISTS));
  ck_assert(!g_file_test(empty, G_FILE_TEST_EXISTS));
  ck_assert(!g_file_test(orphan, G_FILE_TEST_EXISTS));
  ck_assert(g_file_test(ready, G_FILE_TEST_EXISTS));
  g_autoptr(GPtrArray) held = vk_cache_outbox_held(c);
  ck_assert_uint_eq(held->len, 0);
  vk_cache_close(c);
  ck_assert(vindu_temp_dir_remove(dir));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("voice-salvage");
  TCase *tc = tcase_create("voice-salvage");
  tcase_add_test(tc, stopped_kept_recording_told_orphans_removed);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
