/* Test helper: runs the real vindu-kiosk binary and parses what it prints. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* Path of a file in the source tree (tests/kiosk/...). transfer full */
char *kt_source_path(const char *rel);
/* Runs vindu-kiosk with args (NULL-terminated), returns stdout; fails the test on non-zero
 * exit. transfer full */
char *kt_run_kiosk(const char *const *args);
/* --describe for the fixture in one theme / size / dpi / language. transfer full */
JsonNode *kt_describe(const char *fixture, const char *theme, const char *size, const char *dpi,
                      const char *lang, const char *screenshot_dir);
