/* The options of an in-process headless kiosk in a unit test: the default theme from the source
 * tree, 1280x800 at 150 dpi, and --describe set so that no ready line goes to stdout. A test
 * changes what it needs after this. The strings are owned by `opts` (the tests keep them for
 * the process). */
#pragma once

#include <string.h>

#include "kiosk/app.h"
#include "tests/kiosk/kiosk_run.h"

static inline void
kt_headless_options(VkOptions *opts)
{
  memset(opts, 0, sizeof *opts);
  opts->headless = TRUE;
  opts->theme = g_strdup("default");
  opts->themes_dir = kt_source_path("themes");
  opts->width = 1280;
  opts->height = 800;
  opts->dpi = 150;
  opts->describe = TRUE;
}
