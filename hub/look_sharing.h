/* "Which photos she looked at and when": a household setting, off until an admin turns it on.
 * The kiosk's memory view reports a look as a plugin answer of kind `memory` ({"looked_at": t});
 * the hub keeps and passes on such answers only while the setting is on. */
#pragma once

#include "db.h"

#include <glib.h>

G_BEGIN_DECLS

#define HUB_LOOK_KIND "memory"

gboolean hub_share_looks_set(HubDb *db, const char *household, gboolean on, GError **error);
/* FALSE for an unknown household. */
gboolean hub_share_looks(HubDb *db, const char *household);
/* FALSE when an answer of this kind is a look and the household does not share them. */
gboolean hub_looks_welcome(HubDb *db, const char *household, const char *kind);

G_END_DECLS
