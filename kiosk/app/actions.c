/* A target was touched: its action, to the part of the kiosk it belongs to. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"
#include "kiosk/call_media.h"
#include "kiosk/i18n.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/screens/common.h"
#include "kiosk/screens/home_strip.h"
#include "kiosk/voice_player.h"
#include "kiosk/voice_reply.h"

/* One touch plays a voice note, at the kiosk's volume (the same as in calls). */
static void
play_voice_note(VkApp *app, const char *message_id)
{
  GPtrArray *m = app->model->messages;
  for (guint i = 0; i < m->len; i++) {
    VkMessage *msg = m->pdata[i];
    if (g_strcmp0(msg->id, message_id) != 0)
      continue;
    if (!app->player)
      app->player = vk_voice_player_new(app->opts->media_test);
    g_autoptr(GError) err = NULL;
    if (!msg->media_path ||
        !vk_voice_player_play(app->player, msg->media_path, MIN(app->volume / 7.0, 1.0), &err)) {
      g_message("cannot play a voice note: %s", err ? err->message : "not here yet");
      vk_app_set_notice(app, _("This voice message has not arrived yet. Try again in a while."));
    }
  }
}

static void
act_call(VkApp *app, const char *action, const char *arg)
{
  vk_app_call_event(app, CALL_EVENT_USER_CALL, arg, FALSE);
}

static void
act_home(VkApp *app, const char *action, const char *arg)
{
  call_state_dismiss(&app->call);
  vk_app_schedule_call_timer(app);
  vk_app_show(app, app->model->paired ? VK_SCREEN_HOME : VK_SCREEN_PAIRING);
}

static void
act_messages(VkApp *app, const char *action, const char *arg)
{
  vk_app_show(app, VK_SCREEN_MESSAGES);
}

static void
act_photo_view(VkApp *app, const char *action, const char *arg)
{
  vk_photo_view_open(app);
}

/* The next people or plans (arg: the first one to show); home.c wraps to the start. */
static void
act_page(VkApp *app, const char *action, const char *arg)
{
  int first = arg ? (int)g_ascii_strtoll(arg, NULL, 10) : 0;
  if (g_str_equal(action, "people-page"))
    vk_home_state_people_from(&app->home, first);
  else
    vk_home_state_today_from(&app->home, first);
  vk_app_invalidate(app);
}

static void
act_newer_older(VkApp *app, const char *action, const char *arg)
{
  vk_messages_state_step(&app->messages, g_str_equal(action, "older") ? 1 : -1,
                         app->model->messages->len);
  vk_app_show(app, VK_SCREEN_MESSAGES);
}

static void
act_reply(VkApp *app, const char *action, const char *arg)
{
  GPtrArray *m = app->model->messages;
  int i = CLAMP(app->messages.index, 0, MAX((int)m->len - 1, 0));
  const char *to = m->len ? ((VkMessage *)m->pdata[i])->from_id : NULL;
  if (to && app->hooks.quick_reply && vk_voice_reply_possible(app, to)) {
    app->hooks.quick_reply(app->hooks.data, to, arg);
    vk_voice_reply_quick_sent(app, to);
  }
}

static void
act_play(VkApp *app, const char *action, const char *arg)
{
  play_voice_note(app, arg);
}

static void
act_volume(VkApp *app, const char *action, const char *arg)
{
  app->volume = CLAMP(app->volume + (g_str_equal(action, "volume-up") ? 1 : -1), 0, 10);
  if (app->media)
    vk_call_media_set_volume(app->media, app->volume);
  vk_settings_volume_changed(app); /* one volume: in calls, for the ring, and in settings */
  vk_app_invalidate(app);
}

static void
act_camera(VkApp *app, const char *action, const char *arg)
{
  app->camera_on = !app->camera_on;
  if (app->media)
    vk_call_media_set_camera(app->media, app->camera_on);
  vk_app_invalidate(app);
}

/* The touches that are only an event of the call state machine. */
static const struct {
  const char *action;
  CallEventId event;
} call_touches[] = {
    {"cancel", CALL_EVENT_USER_CANCEL},        {"answer", CALL_EVENT_USER_ANSWER},
    {"decline", CALL_EVENT_USER_DECLINE},      {"hangup", CALL_EVENT_USER_HANGUP},
    {"stop-countdown", CALL_EVENT_USER_TOUCH},
};

static const struct {
  const char *action;
  void (*run)(VkApp *app, const char *action, const char *arg);
} actions[] = {
    {"call", act_call},         {"home", act_home},
    {"messages", act_messages}, {"photo-view", act_photo_view},
    {"people-page", act_page},  {"today-page", act_page},
    {"newer", act_newer_older}, {"older", act_newer_older},
    {"reply", act_reply},       {"play", act_play},
    {"volume-up", act_volume},  {"volume-down", act_volume},
    {"camera", act_camera},
};

void
vk_app_do_activate(VkApp *app, const char *action, const char *arg)
{
  if (!action)
    return;
  g_debug("activate %s", action);
  /* the screens and parts with actions of their own come first */
  if (vk_settings_activate(app, action, arg) || vk_voice_reply_activate(app, action, arg) ||
      vk_plugin_cards_activate(app, action, arg) || vk_strip_actions_activate(app, action, arg) ||
      vk_memory_view_activate(app, action, arg))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(call_touches); i++)
    if (g_str_equal(action, call_touches[i].action)) {
      vk_app_call_event(app, call_touches[i].event, NULL, FALSE);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS(actions); i++)
    if (g_str_equal(action, actions[i].action)) {
      actions[i].run(app, action, arg);
      return;
    }
}
