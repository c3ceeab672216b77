/* Received files: written whole or not at all, and a file cut short on disk (a power cut before
 * this kiosk wrote durably) is removed at start so that it is fetched again (kiosk/durable_file).
 */
#include <check.h>
#include <glib/gstdio.h>

#include "check_main.h"

#include "kiosk/durable_file.h"

static char *
content_name(const char *data, gsize len)
{
  return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
}

START_TEST(written_whole_and_verified)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-durable-XXXXXX", NULL);
  const char photo[] = "a photo of the garden, not really a JPEG";
  g_autofree char *hash = content_name(photo, sizeof photo);
  g_autofree char *path = g_build_filename(dir, hash, NULL);
  g_autoptr(GError) err = NULL;
  ck_assert(vk_durable_write(path, photo, sizeof photo, &err));
  ck_assert(vk_durable_file_matches(path, hash));
  /* nothing left beside it */
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  ck_assert_str_eq(g_dir_read_name(d), hash);
  ck_assert_ptr_null(g_dir_read_name(d));
  g_autoptr(GPtrArray) removed = vk_durable_sweep(dir);
  ck_assert_uint_eq(removed->len, 0);
  ck_assert(g_file_test(path, G_FILE_TEST_EXISTS));
  g_unlink(path);
  g_rmdir(dir);
}
END_TEST

START_TEST(sweep_removes_cut_short_files_and_temporaries)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-durable-XXXXXX", NULL);
  const char photo[] = "0123456789abcdef0123456789abcdef a whole photo";
  g_autofree char *hash = content_name(photo, sizeof photo);
  g_autofree char *truncated = g_build_filename(dir, hash, NULL);
  ck_assert(g_file_set_contents(truncated, photo, 10, NULL)); /* cut short */
  const char other[] = "another photo";
  g_autofree char *hash2 = content_name(other, sizeof other);
  g_autofree char *empty = g_build_filename(dir, hash2, NULL);
  ck_assert(g_file_set_contents(empty, "", 0, NULL)); /* written as empty */
  g_autofree char *temp = g_strconcat(empty, ".part-AbC123", NULL);
  ck_assert(g_file_set_contents(temp, "", 0, NULL));
  g_autofree char *unrelated = g_build_filename(dir, "notes.txt", NULL);
  ck_assert(g_file_set_contents(unrelated, "x", 1, NULL));

  g_autoptr(GPtrArray) removed = vk_durable_sweep(dir);
  ck_assert_uint_eq(removed->len, 2);
  ck_assert(!g_file_test(truncated, G_FILE_TEST_EXISTS));
  ck_assert(!g_file_test(empty, G_FILE_TEST_EXISTS));
  ck_assert(!g_file_test(temp, G_FILE_TEST_EXISTS));
  ck_assert(g_file_test(unrelated, G_FILE_TEST_EXISTS)); /* not a content name: not ours */
  ck_assert(!vk_durable_file_matches(truncated, hash));
  g_unlink(unrelated);
  g_rmdir(dir);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("durable_file");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, written_whole_and_verified);
  tcase_add_test(tc, sweep_removes_cut_short_files_and_temporaries);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
