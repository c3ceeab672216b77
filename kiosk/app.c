#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app.h"

#include <SDL_image.h>
#include <gio/gio.h>
#include <SDL_ttf.h>
#include <stdio.h>

#include "kiosk/call_media.h"
#include "kiosk/checkins.h"
#include "kiosk/i18n.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/screens/home_strip.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/plugins_glue.h"
#include "kiosk/ring.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"
#include "kiosk/ui/photo_loader.h"
#include "kiosk/ui/render.h"
#include "kiosk/voice_player.h"
#include "kiosk/plan_announce.h"
#include "kiosk/voice_reply.h"
#include "kiosk/volume_keys.h"

static void schedule_call_timer(VkApp *app);
static void follow_picture(VkApp *app);
static void reset_idle_timer(VkApp *app);

void
vk_options_clear(VkOptions *o)
{
  g_free(o->hub_url);
  g_free(o->data_dir);
  g_free(o->pair_code);
  g_free(o->screenshot_dir);
  g_free(o->theme);
  g_free(o->lang);
  g_free(o->fixture);
  g_free(o->themes_dir);
  g_free(o->speech_wav_dir);
  g_free(o->settings_pin);
  g_free(o->plugins_dir);
}

gint64
vk_app_now_ms(void)
{
  return g_get_monotonic_time() / 1000;
}

const char *
vk_screen_name(VkScreenId s)
{
  static const char *names[] = {"pairing",
                                "home",
                                "photo-frame",
                                "calling",
                                "incoming",
                                "in-call",
                                "call-ended",
                                "messages",
                                "recording",
                                "card",
                                "photo-view",
                                "night",
                                "memory-view",
                                "settings-pin",
                                "settings",
                                "settings-volume",
                                "settings-quiet-hours",
                                "settings-auto-answer"};
  return s <= VK_SCREEN_SETTINGS_AUTO_ANSWER ? names[s] : "?";
}

char *
vk_app_state_name(VkApp *app)
{
  switch (app->screen) {
  case VK_SCREEN_HOME:
    return g_strdup(app->model->connected ? "home" : "home-offline");
  case VK_SCREEN_INCOMING:
    return g_strdup(app->call.state == CALL_STATE_AUTO_ANSWER ? "incoming-auto-answer"
                                                              : "incoming");
  case VK_SCREEN_IN_CALL:
    if (app->call.state == CALL_STATE_CONNECTING)
      return g_strdup("in-call-connecting");
    if (app->call.state == CALL_STATE_RECONNECTING)
      return g_strdup("in-call-reconnecting");
    /* what the picture area shows comes first: their photo and a sentence replace the video */
    if (app->picture.stopped)
      return g_strdup("in-call-picture-stopped");
    if (app->picture.paused)
      return g_strdup("in-call-picture-paused");
    if (app->weak_connection)
      return g_strdup("in-call-weak");
    return g_strdup(app->camera_on ? "in-call" : "in-call-camera-off");
  case VK_SCREEN_CALL_ENDED:
    return g_strconcat("call-ended-", call_end_reason_name(app->call.end_reason), NULL);
  case VK_SCREEN_MESSAGES: {
    GPtrArray *m = app->model->messages;
    if (!m->len)
      return g_strdup("messages-empty");
    if (app->notice)
      return g_strdup("messages-notice");
    int i = CLAMP(app->message_index, 0, (int)m->len - 1);
    return g_strconcat("messages-", vk_message_kind_name(((VkMessage *)m->pdata[i])->kind), NULL);
  }
  case VK_SCREEN_RECORDING:
    return g_strdup(app->voice && app->voice->failed ? "recording-failed" : "recording");
  default:
    return g_strdup(vk_screen_name(app->screen));
  }
}

VkWidget *
vk_screen_build(VkApp *app, VkScreenId screen)
{
  switch (screen) {
  case VK_SCREEN_PAIRING:
    return vk_screen_pairing(app);
  case VK_SCREEN_HOME:
    return vk_screen_home(app);
  case VK_SCREEN_PHOTO_FRAME:
    return vk_screen_photo_frame(app);
  case VK_SCREEN_CALLING:
    return vk_screen_calling(app);
  case VK_SCREEN_INCOMING:
    return vk_screen_incoming(app);
  case VK_SCREEN_IN_CALL:
    return vk_screen_in_call(app);
  case VK_SCREEN_CALL_ENDED:
    return vk_screen_call_ended(app);
  case VK_SCREEN_CARD:
    return vk_screen_card(app);
  case VK_SCREEN_MESSAGES:
    return vk_screen_messages(app);
  case VK_SCREEN_RECORDING:
    return vk_screen_recording(app);
  case VK_SCREEN_PHOTO_VIEW:
    return vk_screen_photo_view(app);
  case VK_SCREEN_NIGHT:
    return vk_screen_night(app);
  case VK_SCREEN_MEMORY_VIEW:
    return vk_screen_memory_view(app);
  case VK_SCREEN_SETTINGS_PIN:
    return vk_screen_settings_pin(app);
  case VK_SCREEN_SETTINGS:
    return vk_screen_settings(app);
  case VK_SCREEN_SETTINGS_VOLUME:
    return vk_screen_settings_volume(app);
  case VK_SCREEN_SETTINGS_QUIET_HOURS:
    return vk_screen_settings_quiet_hours(app);
  case VK_SCREEN_SETTINGS_AUTO_ANSWER:
    return vk_screen_settings_auto_answer(app);
  }
  return vk_screen_home(app);
}

static gboolean
redraw_cb(gpointer data)
{
  VkApp *app = data;
  app->redraw_idle = 0;
  vk_app_redraw(app);
  return G_SOURCE_REMOVE;
}

void
vk_app_invalidate(VkApp *app)
{
  app->dirty = TRUE;
  if (!app->redraw_idle)
    app->redraw_idle = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE - 10, redraw_cb, app, NULL);
}

void
vk_app_show(VkApp *app, VkScreenId screen)
{
  screen = vk_plugin_cards_screen(app, screen); /* a waiting card comes before home */
  if (app->screen == VK_SCREEN_RECORDING && screen != VK_SCREEN_RECORDING)
    vk_voice_reply_leave(app); /* what was said is kept and sent */
  if (app->player && screen != VK_SCREEN_MESSAGES)
    vk_voice_player_stop(app->player); /* a ring must be heard; a recording must not hear it */
  if (screen == VK_SCREEN_MESSAGES && app->screen != VK_SCREEN_MESSAGES &&
      app->screen != VK_SCREEN_RECORDING &&
      app->screen != VK_SCREEN_PHOTO_VIEW) { /* back from a reply or a photo: the same message */
    app->message_index = 0;
    app->message_spoken = -1; /* opened afresh: read again */
  }
  if (screen != VK_SCREEN_MESSAGES && app->screen == VK_SCREEN_MESSAGES && app->notice)
    vk_app_set_notice(app, NULL); /* said once, on the screen it is about */
  app->screen = screen;
  app->focus = NULL;
  if (screen == VK_SCREEN_MESSAGES && app->model->messages->len) {
    int i = CLAMP(app->message_index, 0, (int)app->model->messages->len - 1);
    VkMessage *m = app->model->messages->pdata[i];
    if (!m->seen && app->hooks.message_seen)
      app->hooks.message_seen(app->hooks.data, m->id);
    m->seen = TRUE;
    if (app->read_messages && i != app->message_spoken) { /* what poor sight needs most */
      g_autofree char *said = vk_message_spoken(app, m);
      vk_speech_say(said);
    }
    app->message_spoken = i;
  }
  vk_app_invalidate(app);
  reset_idle_timer(app);
}

static void
maybe_screenshot(VkApp *app)
{
  if (!app->opts->screenshot_dir)
    return;
  g_autofree char *state = vk_app_state_name(app);
  if (g_hash_table_contains(app->screens_seen, state))
    return;
  g_autofree char *file = g_strconcat(state, ".png", NULL);
  g_autofree char *path = g_build_filename(app->opts->screenshot_dir, file, NULL);
  g_autoptr(GError) err = NULL;
  if (!vk_render_save_png(app->renderer, app->ui->layout.width, app->ui->layout.height, path, &err))
    g_warning("%s", err->message);
  g_hash_table_add(app->screens_seen, g_steal_pointer(&state));
}

void
vk_app_redraw(VkApp *app)
{
  gint64 draw_start = g_get_monotonic_time(); /* a frame's time: built (if need be) and drawn */
  if (app->dirty || !app->root) {
    VkWidget *old = g_steal_pointer(&app->root);
    app->root = vk_screen_build(app, app->screen);
    vk_volume_overlay(app, app->root);
    app->dirty = FALSE;
    vk_photo_frame_fade_from(app, old); /* before it goes: a new slide fades in over it */
    vk_widget_free(old);
  }
  SDL_SetRenderDrawColor(app->renderer, 0, 0, 0, 255);
  SDL_RenderClear(app->renderer);
  if (!vk_photo_frame_fade_draw(app)) /* a fade draws the whole screen itself */
    vk_render(app->ui, app->root, app->focus);
  maybe_screenshot(app);
  SDL_RenderPresent(app->renderer);
  vk_photo_frame_presented(app, g_get_monotonic_time() - draw_start);
  if (app->screen == VK_SCREEN_CARD)
    vk_plugin_cards_presented(app); /* bench: due time to card on screen */
  if (app->opts->control) {
    g_autofree char *state = vk_app_state_name(app);
    if (g_strcmp0(state, app->last_state) != 0) {
      printf("vindu-kiosk: state %s\n", state);
      fflush(stdout);
      g_free(app->last_state);
      app->last_state = g_steal_pointer(&state);
    }
  }
  if (app->input_event_us) {
    app->last_latency_us = g_get_monotonic_time() - app->input_event_us;
    app->input_event_us = 0;
    if (app->opts->control) {
      printf("vindu-kiosk: redraw latency_us=%" G_GINT64_FORMAT "\n", app->last_latency_us);
      fflush(stdout);
    }
  }
  if (!app->presented_once && !app->opts->describe) {
    app->presented_once = TRUE;
    printf("vindu-kiosk: ready screen=%s\n", vk_screen_name(app->screen));
    fflush(stdout);
  }
}

/* --- call state ------------------------------------------------------------------------ */

static void
record_missed(VkApp *app, const char *peer)
{
  if (!peer)
    return;
  gint64 now = vk_model_now(app->model);
  g_autofree char *id = g_strdup_printf("missed-%s-%" G_GINT64_FORMAT, peer, now);
  VkMessage *m = vk_message_new(id, VK_MSG_MISSED_CALL, peer);
  m->sent_at = now;
  vk_model_add_message(app->model, m);
}

static void
sync_screen(VkApp *app)
{
  VkScreenId s = app->screen;
  switch (app->call.state) {
  case CALL_STATE_IDLE:
    if (s == VK_SCREEN_CALLING || s == VK_SCREEN_INCOMING || s == VK_SCREEN_IN_CALL ||
        s == VK_SCREEN_CALL_ENDED)
      s = VK_SCREEN_HOME;
    break;
  case CALL_STATE_CALLING_OUT:
    s = VK_SCREEN_CALLING;
    break;
  case CALL_STATE_RINGING:
  case CALL_STATE_AUTO_ANSWER:
    s = VK_SCREEN_INCOMING;
    break;
  case CALL_STATE_CONNECTING:
  case CALL_STATE_IN_CALL:
  case CALL_STATE_RECONNECTING:
    s = VK_SCREEN_IN_CALL;
    break;
  case CALL_STATE_ENDED:
    s = VK_SCREEN_CALL_ENDED;
    break;
  }
  if (s != app->screen)
    vk_app_show(app, s);
  else
    vk_app_invalidate(app);
}

/* Said when the ring starts and again every VK_RING_SPEECH_S while it rings: a ring of 45 s or
 * more heard from another room says who it is more than once. */
static void
speak_incoming(VkApp *app)
{
  g_autofree char *s = g_strdup_printf(_("%s is calling"), vk_person_name(app, app->call.peer_id));
  vk_speech_say(s);
}

void
vk_app_ring_announce(VkApp *app)
{
  if (app->call.state == CALL_STATE_RINGING || app->call.state == CALL_STATE_AUTO_ANSWER)
    speak_incoming(app);
}

static gboolean
ring_speech_cb(gpointer data)
{
  VkApp *app = data;
  if (app->call.state != CALL_STATE_RINGING && app->call.state != CALL_STATE_AUTO_ANSWER) {
    app->ring_speech_timer = 0;
    return G_SOURCE_REMOVE;
  }
  vk_app_ring_announce(app);
  return G_SOURCE_CONTINUE;
}

static void
run_actions(VkApp *app, guint a)
{
  const char *peer = app->call.peer_id;
  VkAppHooks *h = &app->hooks;
  if (a & CALL_ACTION_START_RING) {
    vk_ring_start();
    speak_incoming(app);
    g_clear_handle_id(&app->ring_speech_timer, g_source_remove);
    app->ring_speech_timer = g_timeout_add_seconds(VK_RING_SPEECH_S, ring_speech_cb, app);
  }
  if (a & CALL_ACTION_STOP_RING) {
    vk_ring_stop();
    g_clear_handle_id(&app->ring_speech_timer, g_source_remove);
  }
  if ((a & CALL_ACTION_SEND_INVITE) && h->call_signal)
    h->call_signal(h->data, "invite", peer);
  if ((a & CALL_ACTION_SEND_CANCEL) && h->call_signal)
    h->call_signal(h->data, "cancel", peer);
  if ((a & CALL_ACTION_SEND_ACCEPT) && h->call_signal)
    h->call_signal(h->data, "accept", peer);
  if ((a & CALL_ACTION_SEND_DECLINE) && h->call_signal)
    h->call_signal(h->data, "decline", peer);
  if ((a & CALL_ACTION_SEND_BUSY) && h->call_signal)
    h->call_signal(h->data, "busy", app->call.busy_peer_id);
  if ((a & CALL_ACTION_SEND_HANGUP) && h->call_signal)
    h->call_signal(h->data, "hangup", peer);
  if ((a & CALL_ACTION_STOP_MEDIA) && h->media_stop)
    h->media_stop(h->data);
  if (a & CALL_ACTION_STOP_MEDIA)
    for (int i = 0; i < 2; i++)
      g_clear_pointer(&app->ui->video_tex[i], SDL_DestroyTexture);
  if ((a & (CALL_ACTION_START_MEDIA | CALL_ACTION_REDIAL)) && h->media_start)
    h->media_start(h->data, peer);
  if (a & CALL_ACTION_RECORD_MISSED)
    record_missed(app, (a & CALL_ACTION_SEND_BUSY) ? app->call.busy_peer_id : peer);
  if (a & CALL_ACTION_COUNTDOWN_TICK)
    vk_ring_beep();
  if (a & CALL_ACTION_SCREEN_CHANGED) {
    if (app->call.state == CALL_STATE_IN_CALL || app->call.state == CALL_STATE_CONNECTING)
      app->camera_on = app->camera_on || app->call.state == CALL_STATE_CONNECTING;
    if (app->call.state == CALL_STATE_IDLE) {
      vk_app_set_weak_connection(app, FALSE);
      vk_plan_announce_tick(app); /* what waited for the call to end */
    }
    sync_screen(app);
    if (app->call.state == CALL_STATE_ENDED &&
        (vk_call_end_is_problem(app->call.end_reason) ||
         app->call.end_reason == CALL_END_MISSED)) {    /* a missed call is said, too */
      g_autofree char *s = vk_call_ended_sentence(app); /* a problem is read aloud, too */
      vk_speech_say(s);
    }
  }
  schedule_call_timer(app);
  follow_picture(app);
}

/* Without a microphone nobody is rung for nothing: the resident is told why at once, and a
 * caller is declined instead of ringing here to no avail. Asked only when a call would begin. */
static CallEventId
check_microphone(VkApp *app, CallEventId ev)
{
  gboolean idle = app->call.state == CALL_STATE_IDLE || app->call.state == CALL_STATE_ENDED;
  if (!idle || !app->hooks.has_microphone ||
      (ev != CALL_EVENT_USER_CALL && ev != CALL_EVENT_REMOTE_INVITE))
    return ev;
  if (app->hooks.has_microphone(app->hooks.data))
    return ev;
  g_message("no microphone: the call is not %s", ev == CALL_EVENT_USER_CALL ? "placed" : "rung");
  return ev == CALL_EVENT_USER_CALL ? CALL_EVENT_USER_CALL_NO_MICROPHONE
                                    : CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE;
}

void
vk_app_call_event(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer)
{
  /* Not connected: nobody can be rung, and the screen says so rather than "no answer". */
  if (ev == CALL_EVENT_USER_CALL && !app->model->connected)
    ev = CALL_EVENT_USER_CALL_NOT_CONNECTED;
  ev = check_microphone(app, ev);
  if (ev == CALL_EVENT_REMOTE_INVITE && peer_id) {
    VkPerson *p = vk_model_find_person(app->model, peer_id);
    /* only contacts with recorded consent are ever answered by themselves */
    auto_answer = auto_answer && p && p->auto_answer;
  }
  if ((ev == CALL_EVENT_USER_CALL || ev == CALL_EVENT_USER_CALL_NO_MICROPHONE ||
       ev == CALL_EVENT_USER_CALL_NOT_CONNECTED) &&
      app->call.state == CALL_STATE_ENDED)
    call_state_dismiss(&app->call);
  run_actions(app, call_state_handle(&app->call, ev, peer_id, auto_answer, vk_app_now_ms()));
}

void
vk_app_set_connected(VkApp *app, gboolean connected)
{
  VkModel *m = app->model;
  if (!connected)
    for (guint i = 0; i < m->people->len; i++)
      ((VkPerson *)m->people->pdata[i])->reachable = FALSE;
  if (connected == m->connected)
    return;
  m->connected = connected;
  if (!connected)
    vk_app_call_event(app, CALL_EVENT_HUB_LOST, NULL, FALSE);
  vk_app_invalidate(app);
}

static gboolean
call_timer_cb(gpointer data)
{
  VkApp *app = data;
  app->call_timer = 0;
  run_actions(app, call_state_tick(&app->call, vk_app_now_ms()));
  return G_SOURCE_REMOVE;
}

static void
schedule_call_timer(VkApp *app)
{
  g_clear_handle_id(&app->call_timer, g_source_remove);
  gint64 d = call_state_next_deadline(&app->call);
  if (!d)
    return;
  gint64 in = MAX(d - vk_app_now_ms(), 0);
  app->call_timer = g_timeout_add_full(G_PRIORITY_HIGH, (guint)in, call_timer_cb, app, NULL);
}

/* --- the other person's picture ------------------------------------------------------ */

static gboolean picture_timer_cb(gpointer data);

static void
arm_picture_timer(VkApp *app)
{
  g_clear_handle_id(&app->picture_timer, g_source_remove);
  gint64 d = vk_picture_watch_deadline(&app->picture);
  if (d)
    app->picture_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)MAX(d - vk_app_now_ms(), 0),
                                            picture_timer_cb, app, NULL);
}

static gboolean
picture_timer_cb(gpointer data)
{
  VkApp *app = data;
  app->picture_timer = 0;
  if (vk_picture_watch_check(&app->picture, vk_app_now_ms()))
    vk_app_invalidate(app); /* their photo and a sentence instead of a frozen face */
  arm_picture_timer(app);
  return G_SOURCE_REMOVE;
}

/* Watched only in a connected call: connecting and reconnecting say so themselves. The watch
 * waits for the first frame (VK_PICTURE_FIRST_MS), then for each next one. */
static void
follow_picture(VkApp *app)
{
  gboolean connected = app->call.state == CALL_STATE_IN_CALL;
  if (connected == app->picture.watching)
    return;
  if (connected)
    vk_picture_watch_start(&app->picture, vk_app_now_ms());
  else
    vk_picture_watch_stop(&app->picture);
  arm_picture_timer(app);
}

void
vk_app_set_weak_connection(VkApp *app, gboolean weak)
{
  if (weak == app->weak_connection)
    return;
  app->weak_connection = weak;
  vk_picture_watch_weak(&app->picture, weak, vk_app_now_ms());
  arm_picture_timer(app);
  vk_app_invalidate(app);
}

void
vk_app_remote_frame(VkApp *app)
{
  gboolean first = app->picture.watching && !app->picture.seen;
  if (vk_picture_watch_frame(&app->picture, vk_app_now_ms())) {
    vk_app_invalidate(app);
    arm_picture_timer(app);
  } else if (first) {
    /* the timer waited 10 s for a first frame; from now on it is 2 s after the newest, or a
     * camera turned off in the call's first seconds is said only when those 10 s run out */
    arm_picture_timer(app);
  }
}

/* --- idle photo frame, clock --------------------------------------------------------- */

static gboolean
idle_cb(gpointer data)
{
  VkApp *app = data;
  if (app->screen == VK_SCREEN_HOME && vk_night_now(app)) {
    app->idle_timer = 0;
    vk_app_show(app, VK_SCREEN_NIGHT);
    return G_SOURCE_REMOVE;
  }
  if ((app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_MEMORY_VIEW) &&
      app->model->photos->len) {
    app->photo_index = 0;
    app->slide_due_us = g_get_monotonic_time();
    vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
    return G_SOURCE_REMOVE; /* vk_app_show re-armed us for the next photo */
  }
  if (app->screen >= VK_SCREEN_SETTINGS_PIN /* any helpers' screen */) {
    app->idle_timer = 0;
    vk_app_show(app, VK_SCREEN_HOME);
    return G_SOURCE_REMOVE;
  }
  if (app->screen == VK_SCREEN_PHOTO_FRAME) {
    app->photo_index++;
    app->slide_due_us = g_get_monotonic_time();
    vk_app_invalidate(app);
    return G_SOURCE_CONTINUE;
  }
  app->idle_timer = 0;
  return G_SOURCE_REMOVE;
}

static void
reset_idle_timer(VkApp *app)
{
  g_clear_handle_id(&app->idle_timer, g_source_remove);
  if (app->opts->idle_seconds <= 0)
    return;
  if (app->screen >= VK_SCREEN_SETTINGS_PIN /* any helpers' screen */)
    app->idle_timer = g_timeout_add_seconds(120, idle_cb, app); /* a helper walked away */
  else if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_MESSAGES ||
           app->screen == VK_SCREEN_PHOTO_VIEW || app->screen == VK_SCREEN_MEMORY_VIEW)
    app->idle_timer = g_timeout_add_seconds((guint)app->opts->idle_seconds, idle_cb, app);
  else if (app->screen == VK_SCREEN_PHOTO_FRAME)
    app->idle_timer = g_timeout_add_seconds((guint)MAX(app->opts->frame_seconds, 1), idle_cb, app);
}

static gboolean clock_cb(gpointer data);

static void
arm_clock(VkApp *app)
{
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  app->clock_timer = g_timeout_add_seconds((guint)(60 - now % 60), clock_cb, app);
}

void
vk_app_clock_tick(VkApp *app)
{
  /* plugins' timers follow the kiosk's one clock; reminders are read aloud at their second */
  vk_plugins_clock(app);
  vk_plugins_refresh(app);
  /* a new day brings its check-ins, and one an hour past leaves (a comparison otherwise) */
  if (app->cache)
    vk_checkins_tick(app->cache, app->model);
  vk_plan_announce_tick(app); /* "Kari is coming to visit at 11:00." a quarter before */
  /* night: the idle screen dims to the clock in words, and comes back in the morning */
  gboolean night = vk_night_now(app);
  if (night && app->screen == VK_SCREEN_PHOTO_FRAME) /* home in use stays; idle goes dim */
    vk_app_show(app, VK_SCREEN_NIGHT);
  else if (!night && app->screen == VK_SCREEN_NIGHT)
    vk_app_show(app, VK_SCREEN_HOME);
  if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_PHOTO_FRAME ||
      app->screen == VK_SCREEN_NIGHT)
    vk_app_invalidate(app);
}

static gboolean
clock_cb(gpointer data)
{
  VkApp *app = data;
  vk_app_clock_tick(app);
  arm_clock(app);
  return G_SOURCE_REMOVE;
}

/* --- input ------------------------------------------------------------------------------ */

/* How long the messages screen says what became of a reply or a voice note. */
#define NOTICE_S 10

static gboolean
clear_notice(gpointer data)
{
  VkApp *app = data;
  app->notice_id = 0;
  g_clear_pointer(&app->notice, g_free);
  vk_app_invalidate(app);
  return G_SOURCE_REMOVE;
}

void
vk_voice_reply_quick_sent(VkApp *app, const char *to_id)
{
  const char *name = vk_person_name(app, to_id);
  g_autofree char *notice =
      app->hooks.hub_connected && app->hooks.hub_connected(app->hooks.data)
          ? g_strdup_printf(_("Your message is on its way to %s."), name)
          : g_strdup_printf(_("Your message to %s will be sent when the connection is back."),
                            name);
  vk_app_set_notice(app, notice);
  vk_speech_say(notice);
}

void
vk_app_set_notice(VkApp *app, const char *text)
{
  g_free(app->notice);
  app->notice = g_strdup(text);
  g_clear_handle_id(&app->notice_id, g_source_remove);
  if (text)
    app->notice_id = g_timeout_add_seconds(NOTICE_S, clear_notice, app);
  vk_app_invalidate(app);
}

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

void
vk_app_activate(VkApp *app, const char *action, const char *arg)
{
  if (!action)
    return;
  g_debug("activate %s", action);
  if (vk_settings_activate(app, action, arg) || vk_voice_reply_activate(app, action, arg) ||
      vk_plugin_cards_activate(app, action, arg) || vk_strip_actions_activate(app, action, arg) ||
      vk_memory_view_activate(app, action, arg))
    return;
  if (g_str_equal(action, "call"))
    vk_app_call_event(app, CALL_EVENT_USER_CALL, arg, FALSE);
  else if (g_str_equal(action, "cancel"))
    vk_app_call_event(app, CALL_EVENT_USER_CANCEL, NULL, FALSE);
  else if (g_str_equal(action, "answer"))
    vk_app_call_event(app, CALL_EVENT_USER_ANSWER, NULL, FALSE);
  else if (g_str_equal(action, "decline"))
    vk_app_call_event(app, CALL_EVENT_USER_DECLINE, NULL, FALSE);
  else if (g_str_equal(action, "hangup"))
    vk_app_call_event(app, CALL_EVENT_USER_HANGUP, NULL, FALSE);
  else if (g_str_equal(action, "stop-countdown"))
    vk_app_call_event(app, CALL_EVENT_USER_TOUCH, NULL, FALSE);
  else if (g_str_equal(action, "home")) {
    call_state_dismiss(&app->call);
    schedule_call_timer(app);
    vk_app_show(app, app->model->paired ? VK_SCREEN_HOME : VK_SCREEN_PAIRING);
  } else if (g_str_equal(action, "messages"))
    vk_app_show(app, VK_SCREEN_MESSAGES);
  else if (g_str_equal(action, "photo-view"))
    vk_photo_view_open(app);
  else if (g_str_equal(action, "people-page") || g_str_equal(action, "today-page")) {
    /* the next people or plans (arg: the first one to show); home.c wraps to the start */
    int *page = g_str_equal(action, "people-page") ? &app->people_page : &app->today_page;
    *page = arg ? (int)g_ascii_strtoll(arg, NULL, 10) : 0;
    vk_app_invalidate(app);
  } else if (g_str_equal(action, "newer") || g_str_equal(action, "older")) {
    app->message_index += g_str_equal(action, "older") ? 1 : -1;
    app->message_index = CLAMP(app->message_index, 0, MAX((int)app->model->messages->len - 1, 0));
    vk_app_show(app, VK_SCREEN_MESSAGES);
  } else if (g_str_equal(action, "reply")) {
    GPtrArray *m = app->model->messages;
    int i = CLAMP(app->message_index, 0, MAX((int)m->len - 1, 0));
    const char *to = m->len ? ((VkMessage *)m->pdata[i])->from_id : NULL;
    if (to && app->hooks.quick_reply && vk_voice_reply_possible(app, to)) {
      app->hooks.quick_reply(app->hooks.data, to, arg);
      vk_voice_reply_quick_sent(app, to);
    }
  } else if (g_str_equal(action, "play")) {
    play_voice_note(app, arg);
  } else if (g_str_equal(action, "volume-up") || g_str_equal(action, "volume-down")) {
    app->volume = CLAMP(app->volume + (g_str_equal(action, "volume-up") ? 1 : -1), 0, 10);
    if (app->media)
      vk_call_media_set_volume(app->media, app->volume);
    vk_settings_volume_changed(app); /* one volume: in calls, for the ring, and in settings */
    vk_app_invalidate(app);
  } else if (g_str_equal(action, "camera")) {
    app->camera_on = !app->camera_on;
    if (app->media)
      vk_call_media_set_camera(app->media, app->camera_on);
    vk_app_invalidate(app);
  }
}

static void
touch_at(VkApp *app, int x, int y)
{
  gint64 now = g_get_monotonic_time();
  app->last_input_us = now;
  reset_idle_timer(app);
  if (!app->root)
    return;
  VkWidget *w = vk_widget_hit(app->root, x, y);
  /* Unsteady hands: a second touch within 0.6 s is the same touch, not a new one. */
  if (app->screen != VK_SCREEN_SETTINGS_PIN && now - app->last_activate_us < 600000)
    return; /* (helpers typing a PIN are not slowed down) */
  if (app->call.state == CALL_STATE_AUTO_ANSWER &&
      (!w || (g_strcmp0(w->action, "answer") != 0 && g_strcmp0(w->action, "decline") != 0))) {
    app->last_activate_us = now;
    vk_app_call_event(app, CALL_EVENT_USER_TOUCH, NULL, FALSE);
    return;
  }
  if (!w) {
    vk_settings_gesture_tap(app, x, y);
    return;
  }
  app->last_activate_us = now;
  g_autofree char *action = g_strdup(w->action);
  g_autofree char *arg = g_strdup(w->arg);
  vk_app_activate(app, action, arg);
}

static void
move_focus(VkApp *app, int step)
{
  if (!app->root)
    return;
  g_autoptr(GPtrArray) targets = vk_widget_targets(app->root);
  if (!targets->len)
    return;
  int i = -1;
  for (guint k = 0; k < targets->len; k++)
    if (targets->pdata[k] == app->focus)
      i = (int)k;
  i = (i + step + (int)targets->len) % (int)targets->len;
  app->focus = targets->pdata[i];
  vk_app_redraw(app);
}

static void
activate_focus(VkApp *app)
{
  if (!app->focus)
    return;
  SDL_Rect r = app->focus->rect;
  app->last_activate_us = 0;
  touch_at(app, r.x + r.w / 2, r.y + r.h / 2);
}

/* A key: the volume keys on every screen; otherwise Tab / arrows move the focus, Enter
 * activates, Escape goes home (one-button mode: any key is the button, see SDL_KEYUP). */
static void
key_down(VkApp *app, const SDL_KeyboardEvent *key)
{
  app->input_event_us = g_get_monotonic_time();
  app->last_input_us = app->input_event_us;
  reset_idle_timer(app);
  if (vk_volume_key(app, key->keysym.sym)) /* the loudspeaker's own keys, on every screen */
    return;
  if (app->opts->one_button) {
    if (!key->repeat)
      app->key_down_us = app->input_event_us;
    return;
  }
  switch (key->keysym.sym) {
  case SDLK_TAB:
    move_focus(app, (key->keysym.mod & KMOD_SHIFT) ? -1 : 1);
    break;
  case SDLK_RIGHT:
  case SDLK_DOWN:
    move_focus(app, 1);
    break;
  case SDLK_LEFT:
  case SDLK_UP:
    move_focus(app, -1);
    break;
  case SDLK_RETURN:
  case SDLK_KP_ENTER:
  case SDLK_SPACE:
    activate_focus(app);
    vk_app_redraw(app);
    break;
  case SDLK_ESCAPE:
  case SDLK_HOME:
    if (app->call.state == CALL_STATE_IDLE || app->call.state == CALL_STATE_ENDED)
      vk_app_activate(app, "home", NULL);
    break;
  default:
    break;
  }
}

void
vk_app_handle_event(VkApp *app, const SDL_Event *ev)
{
  switch (ev->type) {
  case SDL_QUIT:
    if (app->loop)
      g_main_loop_quit(app->loop);
    break;
  case SDL_MOUSEBUTTONDOWN:
    if (ev->button.which == SDL_TOUCH_MOUSEID)
      break; /* the finger event handles it */
    if (!app->input_event_us)
      app->input_event_us = g_get_monotonic_time();
    touch_at(app, ev->button.x, ev->button.y);
    vk_app_redraw(app);
    break;
  case SDL_FINGERDOWN:
    app->input_event_us = g_get_monotonic_time();
    touch_at(app, (int)(ev->tfinger.x * app->ui->layout.width),
             (int)(ev->tfinger.y * app->ui->layout.height));
    vk_app_redraw(app);
    break;
  case SDL_KEYDOWN:
    key_down(app, &ev->key);
    break;
  case SDL_KEYUP:
    if (app->opts->one_button && app->key_down_us) {
      /* One-button mode: a short press steps to the next target, a long press selects. */
      gint64 held = g_get_monotonic_time() - app->key_down_us;
      app->key_down_us = 0;
      app->input_event_us = g_get_monotonic_time();
      if (held >= 800000) {
        activate_focus(app);
        vk_app_redraw(app);
      } else {
        move_focus(app, 1);
      }
    }
    break;
  case SDL_WINDOWEVENT:
    if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
        ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
      vk_app_invalidate(app);
    break;
  default:
    break;
  }
}

/* --- life cycle ------------------------------------------------------------------------- */

/* A photo of the frame or the still view was decoded (or refused) on the loader's thread. */
static void
photo_ready(gpointer data)
{
  VkApp *app = data;
  if (app->screen == VK_SCREEN_PHOTO_FRAME || app->screen == VK_SCREEN_MEMORY_VIEW)
    vk_app_invalidate(app);
}

VkApp *
vk_app_new(VkOptions *opts, GError **error)
{
  g_autoptr(VkTheme) theme = vk_theme_load(opts->themes_dir, opts->theme, error);
  if (!theme)
    return NULL;
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (opts->headless) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
  }
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "SDL: %s", SDL_GetError());
    return NULL;
  }
  IMG_Init(IMG_INIT_JPG | IMG_INIT_PNG);
  VkApp *app = g_new0(VkApp, 1);
  app->opts = opts;
  app->volume = 7;
  app->camera_on = TRUE;
  app->read_messages = TRUE; /* on unless a helper turns it off */
  app->message_spoken = -1;
  app->screens_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  call_state_init(&app->call, NULL);
  app->model = vk_model_new();

  int w = opts->width > 0 ? opts->width : 1280, h = opts->height > 0 ? opts->height : 800;
  Uint32 flags = SDL_WINDOW_SHOWN;
  if (!opts->headless && opts->width <= 0)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  app->window =
      SDL_CreateWindow("Vindu", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (app->window)
    app->renderer = SDL_CreateRenderer(
        app->window, -1, opts->headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED);
  if (!app->renderer && app->window)
    app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
  if (!app->renderer) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open the window: %s", SDL_GetError());
    vk_app_free(app);
    return NULL;
  }
  SDL_GetRendererOutputSize(app->renderer, &w, &h);
  double dpi = opts->dpi;
  if (dpi <= 0) {
    float ddpi = 0;
    dpi = SDL_GetDisplayDPI(0, &ddpi, NULL, NULL) == 0 && ddpi > 50 ? ddpi : 150;
  }
  app->theme = g_steal_pointer(&theme);
  app->ui = vk_ui_new(app->renderer, app->theme, (VkLayout){w, h, dpi});
  vk_photo_loader_on_ready(app->ui->photos, photo_ready, app);
  if (!opts->headless)
    SDL_ShowCursor(SDL_DISABLE);
  arm_clock(app);
  return app;
}

void
vk_app_free(VkApp *app)
{
  if (!app)
    return;
  g_clear_handle_id(&app->call_timer, g_source_remove);
  g_clear_handle_id(&app->ring_speech_timer, g_source_remove);
  g_clear_handle_id(&app->picture_timer, g_source_remove);
  g_clear_handle_id(&app->volume_timer, g_source_remove);
  g_clear_pointer(&app->plans_said, g_hash_table_unref);
  g_clear_handle_id(&app->idle_timer, g_source_remove);
  g_clear_handle_id(&app->clock_timer, g_source_remove);
  g_clear_handle_id(&app->redraw_idle, g_source_remove);
  g_clear_handle_id(&app->notice_id, g_source_remove);
  g_clear_handle_id(&app->fade_timer, g_source_remove);
  vk_crossfade_stop(&app->fade);
  g_clear_pointer(&app->fade_frames_us, g_array_unref);
  vk_photo_frame_forget();
  vk_voice_reply_free(app); /* a reply still being recorded when the kiosk stops is not sent */
  vk_voice_player_free(app->player);
  g_free(app->notice);
  g_clear_pointer(&app->root, vk_widget_free);
  vk_plugins_free(app);
  vk_plugin_reports_free(app);
  vk_ui_free(app->ui);
  vk_theme_free(app->theme);
  if (app->renderer)
    SDL_DestroyRenderer(app->renderer);
  if (app->window)
    SDL_DestroyWindow(app->window);
  call_state_clear(&app->call);
  vk_model_free(app->model);
  g_hash_table_unref(app->screens_seen);
  g_free(app->last_state);
  g_free(app);
  IMG_Quit();
  TTF_Quit();
  SDL_Quit();
}
