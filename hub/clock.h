/* The hub's one wall clock: seconds since the epoch, for stored times and expiries. One function
 * so every file reads time the same way (and a test could move it in one place). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64 hub_clock_now_s(void);

G_END_DECLS
