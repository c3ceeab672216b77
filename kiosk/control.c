#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/control.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/call_media.h"
#include "kiosk/i18n.h"
#include "kiosk/plugins_glue.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/ui/describe.h"
#include "kiosk/voice_player.h"
#include "kiosk/voice_reply.h"
#include "protocol.h"

typedef struct {
  VkApp *app;
  VkHubClient **hub;
  GString *line;
} Control;

static void
status(Control *ctl)
{
  VkApp *app = ctl->app;
  g_autofree char *state = vk_app_state_name(app);
  VkHubClient *hub = *ctl->hub;
  g_autofree char *kiosk = hub ? vk_hub_client_kiosk_id(hub) : NULL;
  /* the level element says -700 dB for digital silence; call.h's floor for silence is -100 */
  double db = 0;
  g_autofree char *level = app->media && vk_call_media_received_level_db(app->media, &db)
                               ? g_strdup_printf("%d", (int)lround(MAX(db, -100)))
                               : g_strdup("none");
  g_autofree char *plugins = vk_plugins_status(app);
  printf("vindu-kiosk: status kiosk=%s state=%s call=%s connected=%d connections=%u "
         "frames=%" G_GUINT64_FORMAT " self_frames=%" G_GUINT64_FORMAT " decoded=%" G_GUINT64_FORMAT
         " messages=%u people=%u today=%u photos=%u paired=%d outbox=%u recording=%d playing=%d"
         " played=%u play_failed=%u remote_picture=%s audio_level_db=%s media=%s answers=%u%s\n",
         kiosk ? kiosk : "-", state, call_state_name(app->call.state),
         hub ? vk_hub_client_is_connected(hub) : 0, hub ? vk_hub_client_connections(hub) : 0,
         app->media ? vk_call_media_frames_shown(app->media) : 0,
         app->media ? vk_call_media_self_frames_shown(app->media) : 0,
         app->media ? vk_call_media_frames_decoded(app->media) : 0, app->model->messages->len,
         app->model->people->len, app->model->today->len, app->model->photos->len,
         app->model->paired, hub ? vk_hub_client_outbox_waiting(hub) : 0,
         app->voice && !app->voice->failed && !app->voice->stopping,
         vk_voice_player_playing(app->player), vk_voice_player_finished(app->player),
         vk_voice_player_failed(app->player), vk_picture_watch_name(&app->picture), level,
         app->media ? vk_call_media_engine_state(app->media) : "none",
         vk_plugin_answers_waiting(app), plugins);
  fflush(stdout);
}

/* tests: what a plugin host's vk_plugin_inventory_set() does, from the kiosk.plugins shape:
 * "plugin-inventory {"plugins":[{"name":…,"version":…,"state":…,"kinds":[…]}],"quarantined":[…]}"
 */
static void
set_inventory(VkApp *app, const char *json)
{
  g_autoptr(JsonNode) root = json_from_string(json, NULL);
  JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonArray *plugins = o ? json_object_get_array_member(o, "plugins") : NULL;
  JsonArray *quarantined = o ? json_object_get_array_member(o, "quarantined") : NULL;
  guint np = plugins ? json_array_get_length(plugins) : 0;
  guint nq = quarantined ? json_array_get_length(quarantined) : 0;
  g_autofree VkPluginStatus *ps = g_new0(VkPluginStatus, np + 1);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < np; i++) {
    JsonObject *p = json_array_get_object_element(plugins, i);
    JsonArray *k = json_object_get_array_member(p, "kinds");
    const char **list = g_new0(const char *, (k ? json_array_get_length(k) : 0) + 1);
    for (guint j = 0; k && j < json_array_get_length(k); j++)
      list[j] = json_array_get_string_element(k, j);
    g_ptr_array_add(kinds, list);
    ps[i] = (VkPluginStatus){json_object_get_string_member(p, "name"),
                             json_object_get_string_member(p, "version"),
                             json_object_get_string_member(p, "state"), list};
  }
  g_autofree VkQuarantined *qs = g_new0(VkQuarantined, nq + 1);
  for (guint i = 0; i < nq; i++) {
    JsonObject *q = json_array_get_object_element(quarantined, i);
    qs[i] = (VkQuarantined){
        json_object_get_string_member(q, "plugin"), json_object_get_string_member(q, "kind"),
        json_object_get_string_member(q, "doc"), json_object_get_int_member(q, "rev"),
        (guint)json_object_get_int_member(q, "faults")};
  }
  vk_plugin_inventory_set(app, ps, np, qs, nq);
}

static void
command(Control *ctl, char *cmd)
{
  VkApp *app = ctl->app;
  g_strstrip(cmd);
  if (g_str_has_prefix(cmd, "call ")) {
    vk_app_call_event(app, CALL_EVENT_USER_CALL, cmd + 5, FALSE);
  } else if (g_str_has_prefix(cmd, "touch ")) {
    if (!app->root)
      vk_app_redraw(app);
    VkWidget *w = vk_widget_find(app->root, cmd + 6);
    if (w) {
      SDL_Event ev = {.type = SDL_MOUSEBUTTONDOWN};
      ev.button.x = w->rect.x + w->rect.w / 2;
      ev.button.y = w->rect.y + w->rect.h / 2;
      app->last_activate_us = 0;
      vk_app_handle_event(app, &ev);
    }
  } else if (g_str_has_prefix(cmd, "tap ")) {
    /* bench: a real SDL event through the queue, timed from here to the presented frame */
    if (!app->root)
      vk_app_redraw(app);
    VkWidget *w = vk_widget_find(app->root, cmd + 4);
    if (w) {
      SDL_Event ev = {.type = SDL_MOUSEBUTTONDOWN};
      ev.button.x = w->rect.x + w->rect.w / 2;
      ev.button.y = w->rect.y + w->rect.h / 2;
      ev.button.button = SDL_BUTTON_LEFT;
      app->last_activate_us = 0;
      app->input_event_us = g_get_monotonic_time();
      SDL_PushEvent(&ev);
    }
    return;
  } else if (g_str_equal(cmd, "network-drop")) {
    /* tests: what the media engine reports when the network under a call drops (ICE failed or
     * nothing from the peer): the kiosk tears the session down and redials */
    vk_app_call_event(app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
  } else if (g_str_has_prefix(cmd, "clock-advance ")) {
    /* tests: the kiosk's clock moves on by S seconds (tomorrow's check-ins), then the minute
     * tick runs as it would */
    app->model->clock_offset_s += g_ascii_strtoll(cmd + 14, NULL, 10);
    vk_app_clock_tick(app);
  } else if (g_str_has_prefix(cmd, "plugin-answer ")) {
    /* tests: what a plugin's vk_plugin_answer_queue() does: "plugin-answer KIND DOC REV {JSON}" */
    g_auto(GStrv) part = g_strsplit(cmd + 14, " ", 4);
    g_autoptr(GError) err = NULL;
    if (g_strv_length(part) != 4 ||
        !vk_plugin_answer_queue(app, part[0], part[1], g_ascii_strtoll(part[2], NULL, 10), part[3],
                                &err))
      printf("vindu-kiosk: plugin-answer refused: %s\n", err ? err->message : "usage");
    fflush(stdout);
  } else if (g_str_has_prefix(cmd, "plugin-inventory ")) {
    set_inventory(app, cmd + 17);
  } else if (g_str_equal(cmd, "describe")) {
    /* tests: the current screen as --describe gives it, on one line */
    vk_app_redraw(app);
    g_autofree char *state = vk_app_state_name(app);
    g_autoptr(JsonNode) d = vk_describe_screen(app->ui, app->root, vk_screen_name(app->screen),
                                               state, vk_i18n_language());
    g_autofree char *json = vp_json_text(d, FALSE, NULL);
    printf("vindu-kiosk: describe %s\n", json);
    fflush(stdout);
    return;
  } else if (g_str_equal(cmd, "status")) {
    status(ctl);
  } else if (g_str_equal(cmd, "quit")) {
    if (app->loop)
      g_main_loop_quit(app->loop);
  } else if (*cmd) {
    vk_app_activate(app, cmd, NULL);
  }
  vk_app_redraw(app);
}

static gboolean
on_input(GIOChannel *ch, GIOCondition cond, gpointer data)
{
  Control *ctl = data;
  char buf[512];
  gsize n = 0;
  GIOStatus st = g_io_channel_read_chars(ch, buf, sizeof buf, &n, NULL);
  if (st == G_IO_STATUS_EOF || st == G_IO_STATUS_ERROR)
    return G_SOURCE_REMOVE;
  g_string_append_len(ctl->line, buf, (gssize)n);
  char *nl;
  while ((nl = memchr(ctl->line->str, '\n', ctl->line->len))) {
    g_autofree char *cmd = g_strndup(ctl->line->str, (gsize)(nl - ctl->line->str));
    g_string_erase(ctl->line, 0, nl - ctl->line->str + 1);
    command(ctl, cmd);
  }
  return G_SOURCE_CONTINUE;
}

static void
control_free(gpointer data)
{
  Control *ctl = data;
  g_string_free(ctl->line, TRUE);
  g_free(ctl);
}

guint
vk_control_attach(VkApp *app, VkHubClient **hub)
{
  Control *ctl = g_new0(Control, 1);
  ctl->app = app;
  ctl->hub = hub;
  ctl->line = g_string_new(NULL);
  GIOChannel *ch = g_io_channel_unix_new(0);
  g_io_channel_set_encoding(ch, NULL, NULL);
  g_io_channel_set_flags(ch, G_IO_FLAG_NONBLOCK, NULL);
  guint id = g_io_add_watch_full(ch, G_PRIORITY_DEFAULT, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input,
                                 ctl, control_free);
  g_io_channel_unref(ch);
  return id;
}
