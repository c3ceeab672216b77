/* Check-in calls on the "today" strip. Staff plan them from the web; the hub delivers them as
 * "checkin" documents into the cache. The strip shows those on today's local date (day, month
 * and year), until an hour after their time. Which ones those are changes with the clock, so
 * the model says when to look again, and the minute tick reloads only then. */
#pragma once

#include <glib.h>

#include "kiosk/cache.h"
#include "kiosk/model.h"

G_BEGIN_DECLS

/* A check-in stays on the strip this long after its time. */
#define VK_CHECKIN_KEEP_S 3600

/* Replaces the check-ins (VK_TODAY_CALL items) on the model's strip with those in the cache
 * for vk_model_now()'s local date and not yet past VK_CHECKIN_KEEP_S, soonest first among the
 * strip's items, and sets m->checkins_due: the next local midnight, or the moment an item
 * leaves the strip if that comes first. */
void vk_checkins_load(VkCache *c, VkModel *m);

/* The minute tick: reloads only when m->checkins_due has come or the clock stepped back to
 * before the last load (two comparisons otherwise).
 * TRUE if the strip was reloaded. */
gboolean vk_checkins_tick(VkCache *c, VkModel *m);

G_END_DECLS
