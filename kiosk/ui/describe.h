/* --describe: the kiosk's own account of a screen, from which tests check UX.md's figures. */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

/* One JSON object: {"screen", "state", "width", "height", "dpi", "theme", "language",
 * "targets": n, "widgets": [{role, name, text, action, arg, target, goes_home, parent,
 * x, y, w, h, x_mm, y_mm, w_mm, h_mm, min_side_mm, font_px, bold, fg, bg, contrast, fits}]}.
 * transfer full */
JsonNode *vk_describe_screen(VkUi *ui, VkWidget *root, const char *screen, const char *state,
                             const char *language);

G_END_DECLS
