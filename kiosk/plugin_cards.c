#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/plugin_cards.h"

#include "kiosk/i18n.h"

#ifdef VINDU_KIOSK_HAVE_PLUGINS
#include "plugin_wire.h"
#else
/* without the plugin host no plugin can ask for a card */
static gboolean
vindu_wire_card_is_valid(JsonObject *card, char **why)
{
  *why = g_strdup("this kiosk was built without plugins");
  return FALSE;
}
static const char *
vindu_wire_string(JsonObject *o, const char *name)
{
  return json_object_get_string_member_with_default(o, name, NULL);
}
static gint64
vindu_wire_int(JsonObject *o, const char *name, gint64 fallback)
{
  return json_object_get_int_member_with_default(o, name, fallback);
}
#endif

struct VkPluginCards {
  GQueue queue;       /* VkCard*, the head is shown (or next to show) */
  guint ticker;       /* the countdown's one-second redraw */
  gint64 shown_at_ms; /* the kiosk's clock when the last new card was first on screen */
};

static void
card_free(VkCard *c)
{
  g_free(c->plugin);
  g_free(c->id);
  g_free(c->title);
  g_free(c->body);
  g_free(c->photo);
  for (int i = 0; i < 3; i++) {
    g_free(c->button_id[i]);
    g_free(c->button_label[i]);
  }
  g_free(c);
}

static VkPluginCards *
cards_of(VkApp *app)
{
  if (!app->cards) {
    app->cards = g_new0(VkPluginCards, 1);
    g_queue_init(&app->cards->queue);
  }
  return app->cards;
}

void
vk_plugin_cards_free(VkApp *app)
{
  if (!app->cards)
    return;
  g_clear_handle_id(&app->cards->ticker, g_source_remove);
  g_queue_clear_full(&app->cards->queue, (GDestroyNotify)card_free);
  g_clear_pointer(&app->cards, g_free);
}

static gboolean
call_runs(VkApp *app)
{
  return app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED;
}

VkCard *
vk_plugin_cards_current(VkApp *app)
{
  return app->cards ? g_queue_peek_head(&app->cards->queue) : NULL;
}

guint
vk_plugin_cards_waiting(VkApp *app)
{
  return app->cards ? g_queue_get_length(&app->cards->queue) : 0;
}

static VkCard *
card_from_json(const char *plugin, JsonObject *o)
{
  VkCard *c = g_new0(VkCard, 1);
  c->plugin = g_strdup(plugin);
  c->id = g_strdup(vindu_wire_string(o, "id"));
  c->title = g_strdup(vindu_wire_string(o, "title"));
  const char *body = vindu_wire_string(o, "body");
  c->body = body && *body ? g_strdup(body) : NULL;
  c->photo = g_strdup(vindu_wire_string(o, "photo"));
  c->countdown_s = (int)vindu_wire_int(o, "countdown_s", 0);
  JsonNode *bn = json_object_get_member(o, "buttons");
  JsonArray *buttons = bn && JSON_NODE_HOLDS_ARRAY(bn) ? json_node_get_array(bn) : NULL;
  for (guint i = 0; buttons && i < json_array_get_length(buttons) && i < 3; i++) {
    JsonObject *b = json_array_get_object_element(buttons, i);
    c->button_id[i] = g_strdup(vindu_wire_string(b, "id"));
    c->button_label[i] = g_strdup(vindu_wire_string(b, "label"));
    c->n_buttons++;
  }
  return c;
}

static gint
same_card(gconstpointer a, gconstpointer b)
{
  const VkCard *x = a, *y = b;
  return !(g_str_equal(x->plugin, y->plugin) && g_str_equal(x->id, y->id));
}

/* Shows the head now if the resident is at home, in the photo frame or reading messages. */
static void
show_if_free(VkApp *app)
{
  if (!vk_plugin_cards_current(app) || call_runs(app))
    return;
  if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_PHOTO_FRAME ||
      app->screen == VK_SCREEN_MESSAGES || app->screen == VK_SCREEN_CARD)
    vk_app_show(app, VK_SCREEN_CARD);
}

gboolean
vk_plugin_cards_push(VkApp *app, const char *plugin, JsonObject *card)
{
  g_autofree char *why = NULL;
  if (!vindu_wire_card_is_valid(card, &why)) {
    g_message("plugin %s: card refused: %s", plugin, why);
    return FALSE;
  }
  VkPluginCards *cards = cards_of(app);
  VkCard *c = card_from_json(plugin, card);
  GList *old = g_queue_find_custom(&cards->queue, c, same_card);
  if (old) {
    c->deadline_ms = ((VkCard *)old->data)->deadline_ms;
    card_free(old->data);
    old->data = c;
  } else {
    g_queue_push_tail(&cards->queue, c);
  }
  show_if_free(app);
  vk_app_invalidate(app);
  return TRUE;
}

/* The head is done: the next card, or home. */
static void
finish_head(VkApp *app, const char *action)
{
  VkPluginCards *cards = cards_of(app);
  VkCard *c = g_queue_pop_head(&cards->queue);
  if (!c)
    return;
  g_clear_handle_id(&cards->ticker, g_source_remove);
  if (action)
    vk_app_plugin_action(app, c->plugin, c->id, action);
  card_free(c);
  if (app->screen == VK_SCREEN_CARD)
    vk_app_show(app, VK_SCREEN_HOME); /* the filter shows the next card, if one waits */
}

void
vk_plugin_cards_close(VkApp *app, const char *plugin, const char *id)
{
  if (!app->cards)
    return;
  VkCard probe = {.plugin = (char *)plugin, .id = (char *)id};
  GList *l = g_queue_find_custom(&app->cards->queue, &probe, same_card);
  if (!l)
    return;
  if (l == app->cards->queue.head) {
    finish_head(app, NULL);
    return;
  }
  card_free(l->data);
  g_queue_delete_link(&app->cards->queue, l);
}

int
vk_plugin_cards_seconds_left(VkApp *app)
{
  VkCard *c = vk_plugin_cards_current(app);
  if (!c || !c->countdown_s || !c->deadline_ms)
    return c ? c->countdown_s : 0;
  gint64 left = c->deadline_ms - g_get_monotonic_time() / 1000;
  return (int)MAX((left + 999) / 1000, 0);
}

static gboolean
tick(gpointer data)
{
  VkApp *app = data;
  if (app->screen != VK_SCREEN_CARD) {
    app->cards->ticker = 0;
    return G_SOURCE_REMOVE;
  }
  if (vk_plugin_cards_seconds_left(app) <= 0) {
    app->cards->ticker = 0;
    finish_head(app, "timeout");
    return G_SOURCE_REMOVE;
  }
  vk_app_invalidate(app);
  return G_SOURCE_CONTINUE;
}

VkScreenId
vk_plugin_cards_screen(VkApp *app, VkScreenId wanted)
{
  VkCard *c = vk_plugin_cards_current(app);
  if (!c || call_runs(app) ||
      (wanted != VK_SCREEN_HOME && wanted != VK_SCREEN_PHOTO_FRAME && wanted != VK_SCREEN_CARD))
    return wanted == VK_SCREEN_CARD && !c ? VK_SCREEN_HOME : wanted;
  if (c->countdown_s && !c->deadline_ms)
    c->deadline_ms = g_get_monotonic_time() / 1000 + c->countdown_s * 1000;
  if (c->countdown_s && !app->cards->ticker)
    app->cards->ticker = g_timeout_add(1000, tick, app);
  return VK_SCREEN_CARD;
}

gboolean
vk_plugin_cards_activate(VkApp *app, const char *action, const char *arg)
{
  VkCard *c = vk_plugin_cards_current(app);
  if (g_str_equal(action, "card-close")) {
    if (c)
      finish_head(app, "closed");
    return TRUE;
  }
  if (!g_str_equal(action, "card-button"))
    return FALSE;
  for (int i = 0; c && arg && i < c->n_buttons; i++)
    if (g_str_equal(c->button_id[i], arg)) {
      finish_head(app, arg);
      break;
    }
  return TRUE;
}

void
vk_plugin_cards_presented(VkApp *app)
{
  VkCard *c = vk_plugin_cards_current(app);
  if (c && !c->shown) {
    c->shown = TRUE;
    app->cards->shown_at_ms = vk_model_clock_ms(app->model);
  }
}

gint64
vk_plugin_cards_shown_at_ms(VkApp *app)
{
  return app->cards ? app->cards->shown_at_ms : 0;
}

static void
add_button(JsonBuilder *b, const char *id, const char *label)
{
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "id");
  json_builder_add_string_value(b, id);
  json_builder_set_member_name(b, "label");
  json_builder_add_string_value(b, label);
  json_builder_end_object(b);
}

gboolean
vk_plugin_cards_sample(VkApp *app)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "id");
  json_builder_add_string_value(b, "pills");
  /* the card the reminders plugin shows at 08:00 (plugins/reminders/due_cards.c) */
  json_builder_set_member_name(b, "title");
  json_builder_add_string_value(b, _("Take your heart pills"));
  json_builder_set_member_name(b, "body");
  json_builder_add_string_value(b, _("It is 08:00 in the morning."));
  json_builder_set_member_name(b, "buttons");
  json_builder_begin_array(b);
  add_button(b, "done", _("Done"));
  add_button(b, "later", _("Later"));
  json_builder_end_array(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return vk_plugin_cards_show_still(app, "reminders", json_node_get_object(root));
}

gboolean
vk_plugin_cards_show_still(VkApp *app, const char *plugin, JsonObject *card)
{
  if (!vk_plugin_cards_push(app, plugin, card))
    return FALSE;
  vk_app_show(app, VK_SCREEN_CARD);
  VkCard *c = vk_plugin_cards_current(app);
  c->deadline_ms = 0; /* no countdown, and none started: a screenshot must not depend on timing */
  g_clear_handle_id(&app->cards->ticker, g_source_remove);
  return TRUE;
}
