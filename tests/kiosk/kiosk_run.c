#include "tests/kiosk/kiosk_run.h"

#include <check.h>

char *
kt_source_path(const char *rel)
{
  const char *src = g_getenv("VINDU_SOURCE_DIR");
  ck_assert_msg(src != NULL, "VINDU_SOURCE_DIR not set");
  return g_build_filename(src, rel, NULL);
}

char *
kt_run_kiosk(const char *const *args)
{
  const char *build = g_getenv("VINDU_BUILD_DIR");
  ck_assert_msg(build != NULL, "VINDU_BUILD_DIR not set");
  g_autofree char *bin = g_build_filename(build, "kiosk", "vindu-kiosk", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, bin);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  char *out = NULL, *err = NULL;
  int status = 0;
  GError *e = NULL;
  gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                             &err, &status, &e);
  ck_assert_msg(ok, "spawn failed: %s", e ? e->message : "?");
  if (!g_spawn_check_wait_status(status, NULL))
    ck_abort_msg("vindu-kiosk failed (%d): %s", status, err);
  g_free(err);
  return out;
}

JsonNode *
kt_describe(const char *fixture, const char *theme, const char *size, const char *dpi,
            const char *lang, const char *screenshot_dir)
{
  g_autofree char *fx = kt_source_path(fixture);
  const char *args[20] = {"--headless", "--describe", "--fixture", fx,  "--theme", theme,
                          "--size",     size,         "--dpi",     dpi, "--lang",  lang};
  int n = 12;
  if (screenshot_dir) {
    args[n++] = "--screenshot";
    args[n++] = screenshot_dir;
  }
  args[n] = NULL;
  g_autofree char *out = kt_run_kiosk(args);
  g_autoptr(JsonParser) p = json_parser_new();
  GError *e = NULL;
  ck_assert_msg(json_parser_load_from_data(p, out, -1, &e), "bad JSON: %s", e ? e->message : "");
  return json_node_copy(json_parser_get_root(p));
}
