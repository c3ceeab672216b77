#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/voice_reply.h"

#include <glib/gstdio.h>

#include "kiosk/i18n.h"
#include "kiosk/speech.h"
#include "kiosk/voice_recorder.h"

static void
hold(VkApp *app, VkVoiceReply *v, VkVoiceHeld state, guint elapsed_ms)
{
  if (app->hooks.hold_voice && v->path)
    app->hooks.hold_voice(app->hooks.data, v->to_id, v->path, state, elapsed_ms);
}

void
vk_voice_reply_free(VkApp *app)
{
  VkVoiceReply *v = app->voice;
  if (!v)
    return;
  app->voice = NULL;
  g_clear_handle_id(&v->tick_id, g_source_remove);
  if (v->recorder) { /* cancelled: the half-made file and its held row go */
    vk_voice_recorder_cancel(v->recorder);
    hold(app, v, VK_VOICE_HELD_DROP, 0);
  }
  g_free(v->to_id);
  g_free(v->path);
  g_free(v);
}

gboolean
vk_voice_reply_possible(VkApp *app, const char *to_id)
{
  /* people only: another kiosk has nobody to listen */
  return to_id && *to_id && !g_str_has_prefix(to_id, "k_");
}

guint
vk_voice_reply_elapsed_ms(VkApp *app)
{
  VkVoiceReply *v = app->voice;
  if (!v)
    return 0;
  if (!v->recorder)
    return v->fixed_ms;
  return MIN(vk_voice_recorder_elapsed_ms(v->recorder), VK_VOICE_REPLY_MAX_MS);
}

/* The recording is finished (Stop and send, the two-minute limit, or a call coming in). */
static void
recorded(gpointer data, const char *recorder_path, guint duration_ms, const GError *error)
{
  VkApp *app = data;
  VkVoiceReply *v = app->voice;
  g_autofree char *to = g_strdup(v->to_id);
  g_autofree char *path = g_strdup(recorder_path);       /* the recorder's own copy goes with it */
  vk_voice_recorder_free(g_steal_pointer(&v->recorder)); /* the file stays: it is ours now */
  if (error)
    hold(app, v, VK_VOICE_HELD_DROP, 0); /* the recorder removed the file */
  vk_voice_reply_free(app);
  const char *name = vk_person_name(app, to);
  g_autofree char *notice = NULL;
  if (error) {
    g_message("no voice reply: %s", error->message);
    notice = g_strdup(_("The voice message could not be recorded. Please try again."));
  } else if (!app->hooks.send_voice ||
             !app->hooks.send_voice(app->hooks.data, to, path, duration_ms)) {
    if (app->hooks.hold_voice)
      app->hooks.hold_voice(app->hooks.data, to, path, VK_VOICE_HELD_DROP, 0);
    g_unlink(path);
    notice = g_strdup(_("The voice message could not be kept. Please try again."));
  } else if (app->hooks.hub_connected && app->hooks.hub_connected(app->hooks.data)) {
    notice = g_strdup_printf(_("Your voice message is on its way to %s."), name);
  } else {
    notice = g_strdup_printf(
        _("Your voice message to %s will be sent when the connection is back."), name);
  }
  vk_app_set_notice(app, notice);
  if (app->call.state == CALL_STATE_IDLE || app->call.state == CALL_STATE_ENDED)
    vk_speech_say(notice); /* an announcement, read aloud like the others; never over a call */
  if (app->screen == VK_SCREEN_RECORDING)
    vk_app_show(app, VK_SCREEN_MESSAGES);
}

static gboolean
tick(gpointer data)
{
  vk_app_invalidate(data);
  return G_SOURCE_CONTINUE;
}

static void
start(VkApp *app)
{
  GPtrArray *m = app->model->messages;
  if (!m->len || (app->voice && app->voice->stopping))
    return; /* the last reply is still being finished: it is not thrown away for a new one */
  VkMessage *msg = m->pdata[CLAMP(app->messages.index, 0, (int)m->len - 1)];
  if (!vk_voice_reply_possible(app, msg->from_id))
    return;
  vk_voice_reply_free(app);
  VkVoiceReply *v = g_new0(VkVoiceReply, 1);
  v->to_id = g_strdup(msg->from_id);
  app->voice = v;
  /* without a hub (a fixture) the recording cannot be kept: it is made, then said so */
  g_autofree char *path = app->hooks.new_recording_path
                              ? app->hooks.new_recording_path(app->hooks.data)
                              : g_build_filename(g_get_tmp_dir(), "vindu-voice-reply.ogg", NULL);
  g_autoptr(GError) err = NULL;
  if (!app->opts->no_microphone) { /* tests without a microphone: as when there is none */
    v->path = g_strdup(path);
    hold(app, v, VK_VOICE_HELD_RECORDING, 0); /* the row before the first byte */
    v->recorder = vk_voice_recorder_start(path, app->opts->media_test, VK_VOICE_REPLY_MAX_MS,
                                          recorded, app, &err);
    if (!v->recorder)
      hold(app, v, VK_VOICE_HELD_DROP, 0);
  }
  if (!v->recorder) {
    g_message("the microphone did not start: %s", err ? err->message : "no microphone");
    v->failed = TRUE;
  } else {
    v->tick_id = g_timeout_add(500, tick, app); /* the seconds go by on screen */
  }
  vk_app_show(app, VK_SCREEN_RECORDING);
}

static void
stop_and_send(VkApp *app)
{
  VkVoiceReply *v = app->voice;
  if (!v || !v->recorder || v->stopping)
    return;
  v->stopping = TRUE;
  g_clear_handle_id(&v->tick_id, g_source_remove);
  /* from here on the reply is the resident's word: kept (and sent) even if the kiosk dies
   * before the encoder has drained */
  hold(app, v, VK_VOICE_HELD_STOPPED, vk_voice_recorder_elapsed_ms(v->recorder));
  vk_voice_recorder_stop(v->recorder); /* recorded() follows */
}

gboolean
vk_voice_reply_activate(VkApp *app, const char *action, const char *arg)
{
  (void)arg;
  if (g_str_equal(action, "record-reply")) {
    start(app);
  } else if (g_str_equal(action, "stop-send")) {
    stop_and_send(app);
    /* back to the messages at once; the notice follows when the file is finished */
    vk_app_show(app, VK_SCREEN_MESSAGES);
  } else if (g_str_equal(action, "cancel-recording")) {
    if (app->voice && !app->voice->stopping)
      vk_voice_reply_free(app);
    vk_app_show(app, VK_SCREEN_MESSAGES);
  } else {
    return FALSE;
  }
  return TRUE;
}

void
vk_voice_reply_leave(VkApp *app)
{
  VkVoiceReply *v = app->voice;
  if (!v)
    return;
  if (v->recorder)
    stop_and_send(app);
  else
    vk_voice_reply_free(app);
}

void
vk_voice_reply_tell_lost(VkApp *app, const char *to_id)
{
  g_autofree char *notice = g_strdup_printf(
      _("Your voice message to %s was cut off before it was sent. Please record it again."),
      vk_person_name(app, to_id));
  if (app->model->messages->len)
    vk_app_show(app, VK_SCREEN_MESSAGES);
  vk_app_set_notice(app, notice);
  vk_speech_say(notice);
}
