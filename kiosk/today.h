/* The "today" strip's day and order, shared by the check-ins (checkins.c) and the plugins'
 * items (plugins_glue.c): both must agree on where today ends and on soonest-first, or the
 * strip would mix two orders and two notions of midnight. */
#pragma once

#include <glib.h>

#include "kiosk/model.h"

G_BEGIN_DECLS

/* The first second of the local day after the one holding `now` (unix seconds). Built from the
 * date, not now + 24 h, so it is right on the days the clocks change; should local midnight not
 * exist (a zone that changes its clocks at midnight), an hour from now, so the caller looks
 * again soon rather than never. */
gint64 vk_today_next_midnight(gint64 now);

/* Inserts `item` (taking it) into `today` (VkTodayItem*, soonest first) after every item at the
 * same time or earlier, so items that arrive later keep their place among equals. */
void vk_today_insert_sorted(GPtrArray *today, VkTodayItem *item);

G_END_DECLS
