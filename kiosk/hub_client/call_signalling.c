/* The hub client's call signalling: the call messages between the call state machine
 * (call_state.h), the media session (call_media.h) and the hub, for the one call under way. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <string.h>

#include "kiosk/call_about.h"
#include "kiosk/call_media.h"
#include "kiosk/call_resume.h"
#include "kiosk/hub_client/internal.h"

static void
send_call_simple(VkHubClient *c, VpType type, const char *reason)
{
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(type);
  vp_message_set_string(m, "call", c->call_id);
  if (reason)
    vp_message_set_string(m, "reason", reason);
  vk_hub_send(c, m);
}

static void
send_sdp(gpointer data, const char *sdp_type, const char *sdp)
{
  VkHubClient *c = data;
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(VP_CALL_SDP);
  vp_message_set_string(m, "call", c->call_id);
  vp_message_set_string(m, "sdp_type", sdp_type);
  vp_message_set_string(m, "sdp", sdp);
  vk_hub_send(c, m);
}

static void
send_ice(gpointer data, guint mline_index, const char *candidate)
{
  VkHubClient *c = data;
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(VP_CALL_ICE);
  vp_message_set_string(m, "call", c->call_id);
  vp_message_set_string(m, "candidate", candidate ? candidate : "");
  vp_message_set_int(m, "sdp_mline_index", mline_index);
  vk_hub_send(c, m);
}

static void
set_call(VkHubClient *c, const char *call_id, const char *peer)
{
  g_free(c->call_id);
  g_free(c->call_peer);
  c->call_id = g_strdup(call_id);
  c->call_peer = g_strdup(peer);
}

static gboolean
is_our_call(VkHubClient *c, VpMessage *m)
{
  return c->call_id && g_strcmp0(vp_message_get_string(m, "call"), c->call_id) == 0;
}

void
vk_hub_on_call_invite(VkHubClient *c, VpMessage *m)
{
  VkApp *app = c->app;
  const char *call = vp_message_get_string(m, "call");
  JsonObject *from = vp_message_get_object(m, "from");
  const char *from_id = from ? json_object_get_string_member_with_default(from, "id", NULL) : NULL;
  if (!call || !from_id)
    return;
  if (app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED) {
    /* already in a call: say so, and keep a "missed call" card */
    VpMessage *d = vp_message_new(VP_CALL_DECLINE);
    vp_message_set_string(d, "call", call);
    vk_hub_send(c, d);
    vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, from_id, FALSE);
    return;
  }
  if (!vk_model_find_person(app->model, from_id))
    g_ptr_array_add(
        app->model->others,
        vk_person_new(from_id, json_object_get_string_member_with_default(from, "name", ""),
                      json_object_get_string_member_with_default(from, "relationship", NULL)));
  gint64 after = vp_message_get_int(m, "auto_answer_after_s", 0);
  if (after > 0)
    app->call.timings.auto_answer_ms = after * 1000;
  call_state_dismiss(&app->call);
  set_call(c, call, from_id);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, from_id, after > 0);
  /* not when it was declined at once (no microphone) */
  if (app->call.state == CALL_STATE_RINGING || app->call.state == CALL_STATE_AUTO_ANSWER) {
    VpMessage *r = vp_message_new(VP_CALL_RINGING);
    vp_message_set_string(r, "call", call);
    vk_hub_send(c, r);
  }
}

static void
on_call_signal(gpointer data, const char *what, const char *peer_id)
{
  VkHubClient *c = data;
  VkApp *app = c->app;
  if (g_str_equal(what, "invite")) {
    if (!c->signed_in || !c->household) {
      /* not signed in: nobody can be rung; "not connected", never "declined" */
      vk_app_call_event(app, CALL_EVENT_HUB_LOST, NULL, FALSE);
      return;
    }
    set_call(c, NULL, peer_id);
    VpMessage *m = vp_message_new(VP_CALL_INVITE);
    g_free(c->invite_req);
    c->invite_req = vk_hub_new_id(c);
    vp_message_set_string(m, "id", c->invite_req);
    vp_message_set_string(m, "household", c->household);
    vp_message_set_string(m, "to", peer_id);
    g_autofree char *about = vk_call_about_take(peer_id); /* "Call Anna about this photo" */
    if (about)
      vp_message_set_string(m, "about_photo", about);
    vk_hub_send(c, m);
  } else if (g_str_equal(what, "cancel")) {
    send_call_simple(c, VP_CALL_CANCEL, NULL);
  } else if (g_str_equal(what, "accept")) {
    send_call_simple(c, VP_CALL_ACCEPT, NULL);
  } else if (g_str_equal(what, "decline")) {
    /* The caller's page says why: "its microphone is not working", rather than "not now". */
    gboolean no_mic = app->call.state == CALL_STATE_ENDED &&
                      app->call.end_reason == CALL_END_MISSED_NO_MICROPHONE;
    send_call_simple(c, VP_CALL_DECLINE, no_mic ? "no_microphone" : "not_now");
  } else if (g_str_equal(what, "hangup")) {
    send_call_simple(c, VP_CALL_HANGUP,
                     app->call.state == CALL_STATE_ENDED && app->call.end_reason == CALL_END_LOST
                         ? "peer_lost"
                         : NULL);
  }
  /* "busy" needs nothing: on_call_invite already declined the newcomer */
}

static void
on_media_start(gpointer data, const char *peer_id)
{
  VkHubClient *c = data;
  VkApp *app = c->app;
  if (!app->media) {
    vk_app_call_event(app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
    return;
  }
  /* The kiosk offers towards browsers; between two kiosks, the caller offers. */
  gboolean peer_is_kiosk = peer_id && g_str_has_prefix(peer_id, "k_");
  gboolean offerer = !peer_is_kiosk || app->call.outgoing;
  vk_call_media_start(app->media, offerer);
}

static gboolean
on_has_microphone(gpointer data)
{
  VkHubClient *c = data;
  return !c->app->media || vk_call_media_has_microphone(c->app->media);
}

static void
on_media_stop(gpointer data)
{
  VkHubClient *c = data;
  if (c->app->media)
    vk_call_media_stop(c->app->media);
}

void
vk_hub_on_call_placed(VkHubClient *c, VpMessage *m)
{
  if (c->invite_req && g_strcmp0(vp_message_re(m), c->invite_req) == 0) {
    g_clear_pointer(&c->invite_req, g_free);
    set_call(c, vp_message_get_string(m, "call"), c->app->call.peer_id);
  }
}

void
vk_hub_on_call_accept(VkHubClient *c, VpMessage *m)
{
  if (is_our_call(c, m))
    vk_app_call_event(c->app, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE);
}

void
vk_hub_on_call_decline(VkHubClient *c, VpMessage *m)
{
  if (is_our_call(c, m))
    vk_app_call_event(c->app,
                      g_strcmp0(vp_message_get_string(m, "reason"), "no_webrtc") == 0
                          ? CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC
                          : CALL_EVENT_REMOTE_DECLINED,
                      NULL, FALSE);
}

void
vk_hub_on_call_busy(VkHubClient *c, VpMessage *m)
{
  if (is_our_call(c, m))
    vk_app_call_event(c->app, CALL_EVENT_REMOTE_BUSY, NULL, FALSE);
}

void
vk_hub_on_call_cancel(VkHubClient *c, VpMessage *m)
{
  if (is_our_call(c, m))
    vk_app_call_event(c->app, CALL_EVENT_REMOTE_CANCELLED, NULL, FALSE);
}

void
vk_hub_on_call_missed(VkHubClient *c, VpMessage *m)
{
  VkApp *app = c->app;
  if (is_our_call(c, m))
    vk_app_call_event(app,
                      !app->call.outgoing                     ? CALL_EVENT_REMOTE_CANCELLED
                      : vp_message_get_bool(m, "told", FALSE) ? CALL_EVENT_REMOTE_RANG_OUT_TOLD
                                                              : CALL_EVENT_REMOTE_RANG_OUT,
                      NULL, FALSE);
}

void
vk_hub_on_call_hangup(VkHubClient *c, VpMessage *m)
{
  if (is_our_call(c, m))
    vk_app_call_event(c->app, vk_call_resume_hangup_event(m), NULL, FALSE);
}

void
vk_hub_on_call_sdp(VkHubClient *c, VpMessage *m)
{
  VkCallMedia *media = c->app->media;
  if (is_our_call(c, m) && media)
    vk_call_media_remote_sdp(media, vp_message_get_string(m, "sdp_type"),
                             vp_message_get_string(m, "sdp"));
}

void
vk_hub_on_call_ice(VkHubClient *c, VpMessage *m)
{
  VkCallMedia *media = c->app->media;
  if (is_our_call(c, m) && media)
    vk_call_media_remote_ice(media, (guint)vp_message_get_int(m, "sdp_mline_index", 0),
                             vp_message_get_string(m, "candidate"));
}

/* The first TURN server of the list with a turn: URL and credentials, as the media engine
 * takes it: "turn://USER:CREDENTIAL@HOST:PORT" (escaped, without the URL's ?transport=).
 * NULL if there is none. transfer full */
static char *
first_turn_server(JsonArray *servers)
{
  for (guint i = 0; servers && i < json_array_get_length(servers); i++) {
    JsonObject *s = json_array_get_object_element(servers, i);
    JsonArray *urls =
        s && json_object_has_member(s, "urls") ? json_object_get_array_member(s, "urls") : NULL;
    const char *url =
        urls && json_array_get_length(urls) ? json_array_get_string_element(urls, 0) : NULL;
    const char *user = json_object_get_string_member_with_default(s, "username", NULL);
    const char *cred = json_object_get_string_member_with_default(s, "credential", NULL);
    if (url && user && cred && g_str_has_prefix(url, "turn:")) {
      g_autofree char *u = g_uri_escape_string(user, NULL, FALSE);
      g_autofree char *p = g_uri_escape_string(cred, NULL, FALSE);
      g_autofree char *hostport = g_strdup(url + 5);
      char *q = strchr(hostport, '?');
      if (q)
        *q = 0;
      return g_strdup_printf("turn://%s:%s@%s", u, p, hostport);
    }
  }
  return NULL;
}

void
vk_hub_on_call_turn(VkHubClient *c, VpMessage *m)
{
  VkCallMedia *media = c->app->media;
  if (!is_our_call(c, m) || !media)
    return;
  g_autofree char *turn = first_turn_server(vp_message_get_array(m, "ice_servers"));
  if (turn)
    vk_call_media_set_turn(
        media, turn, g_strcmp0(vp_message_get_string(m, "ice_transport_policy"), "relay") == 0);
}

gboolean
vk_hub_call_refused(VkHubClient *c, const char *re, const char *code)
{
  gboolean gone = FALSE;
  if (vk_call_resume_refused(&c->app->call, c->call_id, re, code, &gone)) {
    if (gone) /* the hub ended the call while we were away */
      vk_app_call_event(c->app, CALL_EVENT_CALL_GONE, NULL, FALSE);
    return TRUE;
  }
  if (re && c->invite_req && g_strcmp0(re, c->invite_req) == 0) {
    g_clear_pointer(&c->invite_req, g_free);
    vk_app_call_event(
        c->app, g_strcmp0(code, "busy") == 0 ? CALL_EVENT_REMOTE_BUSY : CALL_EVENT_REMOTE_DECLINED,
        NULL, FALSE);
  }
  return FALSE;
}

void
vk_hub_call_hooks_install(VkAppHooks *hooks)
{
  hooks->call_signal = on_call_signal;
  hooks->media_start = on_media_start;
  hooks->has_microphone = on_has_microphone;
  hooks->media_stop = on_media_stop;
}

VkMediaSignalling
vk_hub_client_media_signalling(VkHubClient *c)
{
  return (VkMediaSignalling){send_sdp, send_ice, c};
}
