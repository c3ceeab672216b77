/* The app around the call state machine (call_state.h): events fed in, its actions carried out
 * (ring, signalling and media through the hooks, the screen, what is said), its one timer. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"
#include "kiosk/i18n.h"
#include "kiosk/plan_announce.h"
#include "kiosk/ring.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"

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
  vk_app_schedule_call_timer(app);
  vk_app_follow_picture(app);
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
vk_app_do_call_event(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer)
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

static gboolean
call_timer_cb(gpointer data)
{
  VkApp *app = data;
  app->call_timer = 0;
  run_actions(app, call_state_tick(&app->call, vk_app_now_ms()));
  return G_SOURCE_REMOVE;
}

void
vk_app_schedule_call_timer(VkApp *app)
{
  g_clear_handle_id(&app->call_timer, g_source_remove);
  gint64 d = call_state_next_deadline(&app->call);
  if (!d)
    return;
  gint64 in = MAX(d - vk_app_now_ms(), 0);
  app->call_timer = g_timeout_add_full(G_PRIORITY_HIGH, (guint)in, call_timer_cb, app, NULL);
}
