/* The screen shown: its name and state name, its widget tree built and drawn (with a screenshot
 * of each new state, and the state printed for --control), and what opening a screen does. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <stdio.h>

#include "kiosk/app/internal.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"
#include "kiosk/ui/render.h"
#include "kiosk/voice_player.h"
#include "kiosk/voice_reply.h"
#include "kiosk/volume_keys.h"

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
    if (app->messages.notice)
      return g_strdup("messages-notice");
    int i = CLAMP(app->messages.index, 0, (int)m->len - 1);
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

void
vk_app_do_show(VkApp *app, VkScreenId screen)
{
  screen = vk_plugin_cards_screen(app, screen); /* a waiting card comes before home */
  if (app->screen == VK_SCREEN_RECORDING && screen != VK_SCREEN_RECORDING)
    vk_voice_reply_leave(app); /* what was said is kept and sent */
  if (app->player && screen != VK_SCREEN_MESSAGES)
    vk_voice_player_stop(app->player); /* a ring must be heard; a recording must not hear it */
  if (screen == VK_SCREEN_MESSAGES && app->screen != VK_SCREEN_MESSAGES &&
      app->screen != VK_SCREEN_RECORDING &&
      app->screen != VK_SCREEN_PHOTO_VIEW) { /* back from a reply or a photo: the same message */
    vk_messages_state_open(&app->messages);  /* opened afresh: read again */
  }
  if (screen != VK_SCREEN_MESSAGES && app->screen == VK_SCREEN_MESSAGES && app->messages.notice)
    vk_app_set_notice(app, NULL); /* said once, on the screen it is about */
  app->screen = screen;
  app->focus = NULL;
  if (screen == VK_SCREEN_MESSAGES && app->model->messages->len) {
    int i = CLAMP(app->messages.index, 0, (int)app->model->messages->len - 1);
    VkMessage *m = app->model->messages->pdata[i];
    if (!m->seen && app->hooks.message_seen)
      app->hooks.message_seen(app->hooks.data, m->id);
    m->seen = TRUE;
    gboolean fresh = vk_messages_state_reached(&app->messages, i);
    if (app->read_messages && fresh) { /* what poor sight needs most */
      g_autofree char *said = vk_message_spoken(app, m);
      vk_speech_say(said);
    }
  }
  vk_app_invalidate(app);
  vk_app_reset_idle_timer(app);
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
vk_app_do_redraw(VkApp *app)
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
