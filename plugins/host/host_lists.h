/* What the plugins show: each plugin's strip items and photos from its last answer, gathered
 * for the kiosk in one order (items by start, photos newest first), and the documents sent. */
#pragma once

#include "host_private.h"

void host_today_item_free(VinduHostTodayItem *item);
void host_photo_free(VinduHostPhoto *p);
/* Gives `d` to the plugin's runner; `fresh`: just arrived (not a replay at start). */
void host_send_document(Plugin *p, Document *d, gboolean fresh);
/* Ask the runner for its strip items in the host's window, and for its photos; the answers
 * replace what the plugin had and tell the kiosk (hooks.changed). */
void host_ask_today(Plugin *p);
void host_ask_photos(Plugin *p);
