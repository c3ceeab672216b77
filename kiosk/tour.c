#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/tour.h"

#include "kiosk/frame_book.h"
#include "kiosk/i18n.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/speech.h"
#include "kiosk/screens/common.h"
#include "kiosk/ui/describe.h"
#include "kiosk/ui/photo_loader.h"
#include "kiosk/voice_reply.h"

#include <string.h>

static void
visit(VkApp *app, JsonArray *out)
{
  if (app->screen == VK_SCREEN_PHOTO_FRAME || app->screen == VK_SCREEN_MEMORY_VIEW) {
    /* the photos are decoded on the loader's thread: the picture taken waits for them */
    vk_widget_free(vk_screen_build(app, app->screen));
    vk_photo_loader_settle(app->ui->photos);
    app->dirty = TRUE;
  }
  vk_app_redraw(app); /* builds the tree, draws, screenshots */
  g_autofree char *state = vk_app_state_name(app);
  json_array_add_element(out, vk_describe_screen(app->ui, app->root, vk_screen_name(app->screen),
                                                 state, vk_i18n_language()));
}

static void
reset_call(VkApp *app)
{
  call_state_clear(&app->call);
  call_state_init(&app->call, NULL);
  app->weak_connection = FALSE;
  app->camera_on = TRUE;
  vk_app_show(app, VK_SCREEN_HOME);
}

static int
first_message_of_kind(VkApp *app, VkMessageKind k)
{
  for (guint i = 0; i < app->model->messages->len; i++)
    if (((VkMessage *)app->model->messages->pdata[i])->kind == k)
      return (int)i;
  return -1;
}

/* A voice reply to the first message from a person: recording (at 0:07), the microphone
 * failing, and the line the messages screen shows afterwards. No microphone is opened. */
static void
tour_voice_reply(VkApp *app, JsonArray *out)
{
  GPtrArray *msgs = app->model->messages;
  int i = 0;
  while (i < (int)msgs->len &&
         !vk_voice_reply_possible(app, ((VkMessage *)msgs->pdata[i])->from_id))
    i++;
  if (i == (int)msgs->len)
    return;
  VkMessage *m = msgs->pdata[i];
  app->screen = VK_SCREEN_HOME;
  vk_app_show(app, VK_SCREEN_MESSAGES);
  vk_messages_state_show(&app->messages, i);
  VkVoiceReply *v = g_new0(VkVoiceReply, 1);
  v->to_id = g_strdup(m->from_id);
  v->fixed_ms = 7000;
  app->voice = v;
  vk_app_show(app, VK_SCREEN_RECORDING);
  visit(app, out);
  v->failed = TRUE;
  vk_app_invalidate(app);
  visit(app, out);
  vk_voice_reply_free(app);
  vk_app_show(app, VK_SCREEN_MESSAGES);
  g_autofree char *notice =
      g_strdup_printf(_("Your voice message to %s will be sent when the connection is back."),
                      vk_person_name(app, m->from_id));
  vk_app_set_notice(app, notice);
  visit(app, out);
  vk_app_set_notice(app, NULL);
}

/* More people or plans than fit at once: every page, as one touch reaches it. */
static void
tour_pages(VkApp *app, JsonArray *out, const char *widget)
{
  for (int guard = 0; guard < 20; guard++) {
    VkWidget *more = app->root ? vk_widget_find(app->root, widget) : NULL;
    if (!more || !more->arg || g_str_equal(more->arg, "0"))
      break;
    g_autofree char *action = g_strdup(more->action), *arg = g_strdup(more->arg);
    vk_app_activate(app, action, arg);
    visit(app, out);
  }
  vk_home_state_reset(&app->home); /* the pages walked: home as it opens again */
  vk_app_invalidate(app);
}

/* Pairing: the code to give a helper (a made-up one when the model has none). */
static void
tour_pairing(VkApp *app, JsonArray *out)
{
  VkModel *m = app->model;
  gboolean paired = m->paired;
  m->paired = FALSE;
  if (!m->pair_code)
    m->pair_code = g_strdup("482915");
  vk_app_show(app, VK_SCREEN_PAIRING);
  visit(app, out);
  m->paired = paired;
}

/* Home, its pages, and home with the hub out of reach: nobody available, and the screen says it
 * is not connected (also to a touch on a face). */
static void
tour_home(VkApp *app, JsonArray *out)
{
  VkModel *m = app->model;
  vk_app_show(app, VK_SCREEN_HOME);
  visit(app, out);
  tour_pages(app, out, "more-people");
  vk_app_redraw(app);
  tour_pages(app, out, "today");
  gboolean connected = m->connected;
  g_autoptr(GArray) reachable = g_array_new(FALSE, FALSE, sizeof(gboolean));
  for (guint i = 0; i < m->people->len; i++)
    g_array_append_val(reachable, ((VkPerson *)m->people->pdata[i])->reachable);
  vk_model_set_connected(m, FALSE);
  visit(app, out);
  if (m->people->len) {
    vk_app_call_event(app, CALL_EVENT_USER_CALL, ((VkPerson *)m->people->pdata[0])->id, FALSE);
    visit(app, out);
    reset_call(app);
  }
  m->connected = connected;
  for (guint i = 0; i < m->people->len; i++)
    ((VkPerson *)m->people->pdata[i])->reachable = g_array_index(reachable, gboolean, i);
  vk_app_show(app, VK_SCREEN_HOME);
}

static void
tour_photo_frame(VkApp *app, JsonArray *out)
{
  VkModel *m = app->model;
  if (!m->photos->len)
    return;
  vk_frame_state_rewind(&app->frame);
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  visit(app, out);
  /* a touch on a memory-book page: the photo still, its caption, the chapters, the call */
  if (vk_frame_book_page(m->photos->pdata[0]) &&
      vk_memory_view_activate(app, "memory-open", m->photos->pdata[0]))
    visit(app, out);
}

/* The messages screen with one message of each kind there is (or none). */
static void
tour_messages(VkApp *app, JsonArray *out)
{
  const VkMessageKind kinds[] = {VK_MSG_TEXT, VK_MSG_PHOTO, VK_MSG_VOICE, VK_MSG_MISSED_CALL};
  gboolean any = FALSE;
  for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
    int i = first_message_of_kind(app, kinds[k]);
    if (i < 0)
      continue;
    any = TRUE;
    app->screen = VK_SCREEN_HOME;
    vk_app_show(app, VK_SCREEN_MESSAGES);
    vk_messages_state_show(&app->messages, i);
    vk_app_show(app, VK_SCREEN_MESSAGES);
    visit(app, out);
    if (kinds[k] == VK_MSG_PHOTO) { /* one touch: the photo whole, full screen */
      vk_photo_view_open(app);
      visit(app, out);
    }
  }
  if (!any) {
    vk_app_show(app, VK_SCREEN_MESSAGES);
    visit(app, out);
  }
}

/* A plugin's card (plugin_cards.c): the fixture's, in the tour's language, as its plugin made it
 * (tests/plugins/fixtures/activity_card.json); else the reminder's own sample. */
static void
tour_card(VkApp *app, JsonArray *out)
{
  VkModel *m = app->model;
  app->screen = VK_SCREEN_HOME;
  JsonObject *cards = m->fixture_cards;
  JsonNode *card = cards ? json_object_get_member(cards, vk_i18n_language()) : NULL;
  if (card && JSON_NODE_HOLDS_OBJECT(card)
          ? vk_plugin_cards_show_still(app, m->fixture_card_plugin, json_node_get_object(card))
          : vk_plugin_cards_sample(app)) {
    visit(app, out);
    vk_plugin_cards_free(app);
  }
}

/* The helpers' screens. */
static void
tour_settings(VkApp *app, JsonArray *out)
{
  vk_settings_state_pin_clear(&app->settings);
  vk_settings_state_pin_digit(&app->settings, '1'); /* two digits typed: the dots show */
  vk_settings_state_pin_digit(&app->settings, '2');
  vk_app_show(app, VK_SCREEN_SETTINGS_PIN);
  visit(app, out);
  vk_settings_state_pin_clear(&app->settings);
  vk_app_show(app, VK_SCREEN_SETTINGS);
  visit(app, out);
  const VkScreenId helpers[] = {VK_SCREEN_SETTINGS_VOLUME, VK_SCREEN_SETTINGS_QUIET_HOURS,
                                VK_SCREEN_SETTINGS_AUTO_ANSWER};
  for (guint k = 0; k < G_N_ELEMENTS(helpers); k++) {
    vk_app_show(app, helpers[k]);
    visit(app, out);
  }
}

/* Calls that do not connect: busy, missed, no microphone either way, no WebRTC there. */
static void
tour_calls_not_connected(VkApp *app, JsonArray *out, VkPerson *p)
{
  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_USER_CALL, p->id, FALSE);
  visit(app, out);
  vk_app_call_event(app, CALL_EVENT_REMOTE_BUSY, NULL, FALSE);
  visit(app, out);

  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, p->id, FALSE);
  visit(app, out);
  vk_app_call_event(app, CALL_EVENT_REMOTE_CANCELLED, NULL, FALSE);
  visit(app, out);

  /* no microphone: nobody is rung, either way, and the resident is told why */
  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_USER_CALL_NO_MICROPHONE, p->id, FALSE);
  visit(app, out);
  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE, p->id, FALSE);
  visit(app, out);
  /* their browser cannot make video calls: declined at once, said plainly */
  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_USER_CALL, p->id, FALSE);
  vk_app_call_event(app, CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC, NULL, FALSE);
  visit(app, out);
}

/* A call answered by itself (auto-answer) and each state of the picture while in it. */
static void
tour_in_call(VkApp *app, JsonArray *out, VkPerson *consenting)
{
  reset_call(app);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, consenting->id, TRUE);
  visit(app, out);
  vk_app_call_event(app, CALL_EVENT_USER_ANSWER, NULL, FALSE);
  visit(app, out);
  vk_app_call_event(app, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE);
  visit(app, out);
  /* the picture has come (the tour has no video: the watch is told by hand) */
  vk_picture_watch_frame(&app->picture, app->picture.since_ms);
  vk_app_set_weak_connection(app, TRUE);
  visit(app, out);
  /* no frame for a while on the weak link: paused by the connection, not "camera off" */
  vk_picture_watch_check(&app->picture, app->picture.since_ms + VK_PICTURE_STOPPED_MS);
  vk_app_invalidate(app);
  visit(app, out);
  vk_picture_watch_frame(&app->picture, app->picture.since_ms);
  vk_app_set_weak_connection(app, FALSE);
  /* their picture stopped coming on a good link (their camera is off): photo and sentence */
  vk_picture_watch_check(&app->picture, app->picture.since_ms + VK_PICTURE_STOPPED_MS);
  vk_app_invalidate(app);
  visit(app, out);
  vk_picture_watch_frame(&app->picture, app->picture.since_ms);
  app->camera_on = FALSE; /* the self-view says so */
  vk_app_invalidate(app);
  visit(app, out);
  app->camera_on = TRUE;
  vk_app_call_event(app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
  visit(app, out);
  vk_app_call_event(app, CALL_EVENT_USER_HANGUP, NULL, FALSE);
  visit(app, out);
  reset_call(app);
}

/* The call screens, with the first person (and the first with consent to auto-answer). */
static void
tour_calls(VkApp *app, JsonArray *out)
{
  VkModel *m = app->model;
  if (!m->people->len)
    return;
  VkPerson *p = m->people->pdata[0];
  VkPerson *consenting = p;
  for (guint i = 0; i < m->people->len; i++)
    if (((VkPerson *)m->people->pdata[i])->auto_answer) {
      consenting = m->people->pdata[i];
      break;
    }
  tour_calls_not_connected(app, out, p);
  tour_in_call(app, out, consenting);
}

JsonNode *
vk_tour(VkApp *app)
{
  JsonArray *out = json_array_new();
  VkAppHooks saved = app->hooks;
  memset(&app->hooks, 0, sizeof app->hooks);
  vk_speech_configure(FALSE, NULL); /* the tour walks the screens; it does not talk */
  tour_pairing(app, out);
  tour_home(app, out);
  tour_photo_frame(app, out);
  tour_messages(app, out);
  tour_voice_reply(app, out);
  vk_app_show(app, VK_SCREEN_NIGHT); /* the dim clock of the quiet hours */
  visit(app, out);
  tour_card(app, out);
  tour_settings(app, out);
  tour_calls(app, out);
  app->hooks = saved;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "screens");
  json_builder_add_value(b, json_node_init_array(json_node_alloc(), out));
  json_builder_end_object(b);
  json_array_unref(out);
  return json_builder_get_root(b);
}
