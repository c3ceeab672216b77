/* --describe: walks every screen state the kiosk can show (with the loaded model), and
 * returns {"screens": [...]} with each state's description (see ui/describe.h). With
 * --screenshot, a PNG of every state is written too. */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk/app.h"

G_BEGIN_DECLS

JsonNode *vk_tour(VkApp *app);

G_END_DECLS
