/* Cards: full screens that plugins ask for (include/vindu/plugin.h, VinduCard), built by the
 * kiosk from its own widgets (screens/card.c). One card shows at a time, in the order they were
 * asked for. A call always wins: a card waits while a call rings, connects or runs, and shows
 * when the resident is back home. A touch on a card's button goes to its plugin; Close and the
 * end of a countdown too ("closed", "timeout"). */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk/app.h"

G_BEGIN_DECLS

typedef struct {
  char *plugin, *id;
  char *title, *body;
  char *photo; /* file hash, or NULL */
  char *button_id[3], *button_label[3];
  int n_buttons;
  int countdown_s;    /* 0: none */
  gint64 deadline_ms; /* monotonic ms when the countdown ends, set when first shown */
  gboolean shown;     /* has been on screen */
} VkCard;

typedef struct VkPluginCards VkPluginCards;

void vk_plugin_cards_free(VkApp *app);
/* A plugin's card ({"id","title",...} as plugin_wire.h checks it); a card with the same id from
 * the same plugin is replaced. FALSE (logged) when it breaks the rules. */
gboolean vk_plugin_cards_push(VkApp *app, const char *plugin, JsonObject *card);
/* The plugin took its card away (shown or waiting). */
void vk_plugin_cards_close(VkApp *app, const char *plugin, const char *id);
/* The card on screen or next to show, or NULL. transfer none */
VkCard *vk_plugin_cards_current(VkApp *app);
/* Seconds left on the current card's countdown (0 without one). */
int vk_plugin_cards_seconds_left(VkApp *app);
/* vk_app_show's filter: home (or the photo frame) becomes the waiting card, unless a call runs. */
VkScreenId vk_plugin_cards_screen(VkApp *app, VkScreenId wanted);
/* Card actions ("card-button" with the button id, "card-close"); TRUE if it was one. */
gboolean vk_plugin_cards_activate(VkApp *app, const char *action, const char *arg);
/* The card screen was presented (app.c); the first time for a card, its time is noted. */
void vk_plugin_cards_presented(VkApp *app);
/* The kiosk's clock (ms) when the last new card was first on screen, 0 if none yet (bench: due
 * time to card on screen). */
gint64 vk_plugin_cards_shown_at_ms(VkApp *app);
/* --describe: queues the card the reminders plugin shows when a reminder is due (in the current
 * language), so the tour draws the card screen. FALSE in a build without plugins. */
gboolean vk_plugin_cards_sample(VkApp *app);
/* `card` (as a plugin sends it) from `plugin` on screen, with no countdown: for the tour. */
gboolean vk_plugin_cards_show_still(VkApp *app, const char *plugin, JsonObject *card);

/* Cards shown so far, and waiting now (--control status). */
guint vk_plugin_cards_waiting(VkApp *app);

G_END_DECLS
