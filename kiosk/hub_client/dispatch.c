/* The hub client's dispatch: each frame from the hub to the handler of its type. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_resume.h"
#include "kiosk/hub_client/internal.h"
#include "kiosk/plugin_reports.h"

static void
on_msg_accepted(VkHubClient *c, VpMessage *m)
{
  vk_outbox_accepted(c->outbox, vp_message_get_string(m, "client_msg_id"));
}

static void
on_plugin_answer_accepted(VkHubClient *c, VpMessage *m)
{
  vk_plugin_reports_accepted(c->app, vp_message_get_string(m, "answer"));
}

/* The hub forgot us, or an admin removed this screen: start pairing again with a new code that
 * an admin must accept. The provisioning code pairs once; it is never tried again. */
static void
forget_pairing(VkHubClient *c)
{
  vk_cache_set(c->cache, "secret", NULL, NULL);
  vk_cache_set(c->cache, "kiosk", NULL, NULL);
  g_clear_pointer(&c->pair_code, g_free);
  c->app->model->paired = FALSE;
  g_clear_pointer(&c->app->model->pair_code, g_free); /* "Getting ready" until the new one */
  vk_app_show(c->app, VK_SCREEN_PAIRING);
}

static void
on_error(VkHubClient *c, VpMessage *m)
{
  const char *re = vp_message_re(m);
  const char *code = vp_message_get_string(m, "code");
  g_message("hub error %s", code ? code : "?");
  if (vk_outbox_refused(c->outbox, re, code) || vk_plugin_reports_refused(c->app, re, code))
    return;
  if (vk_hub_call_refused(c, re, code))
    return;
  if (g_strcmp0(code, "bad_credentials") == 0 || g_strcmp0(code, "revoked") == 0)
    forget_pairing(c);
}

typedef void (*Handler)(VkHubClient *c, VpMessage *m);

static const struct {
  VpType type;
  Handler handler;
} handlers[] = {
    {VP_WELCOME, vk_hub_on_welcome},
    {VP_PAIRED, vk_hub_on_paired},
    {VP_HOUSEHOLD_STATE, vk_hub_on_household_state},
    {VP_PRESENCE, vk_hub_on_presence},
    {VP_MSG_DELIVER, vk_hub_on_msg_deliver},
    {VP_DOC_DELIVER, vk_hub_on_doc_deliver},
    {VP_MSG_ACCEPTED, on_msg_accepted},
    {VP_PLUGIN_ANSWER_ACCEPTED, on_plugin_answer_accepted},
    {VP_ERROR_MSG, on_error},
    {VP_CALL_INVITE, vk_hub_on_call_invite},
    {VP_CALL_PLACED, vk_hub_on_call_placed},
    {VP_CALL_ACCEPT, vk_hub_on_call_accept},
    {VP_CALL_DECLINE, vk_hub_on_call_decline},
    {VP_CALL_BUSY, vk_hub_on_call_busy},
    {VP_CALL_CANCEL, vk_hub_on_call_cancel},
    {VP_CALL_MISSED, vk_hub_on_call_missed},
    {VP_CALL_HANGUP, vk_hub_on_call_hangup},
    {VP_CALL_SDP, vk_hub_on_call_sdp},
    {VP_CALL_ICE, vk_hub_on_call_ice},
    {VP_CALL_TURN, vk_hub_on_call_turn},
};

void
vk_hub_dispatch(VkHubClient *c, const char *data, gsize len)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(VpMessage) m = vp_message_parse(data, len, &err);
  if (!m) {
    g_message("ignoring a frame from the hub: %s", err->message);
    return;
  }
  VpMessage *bye = vk_call_resume_answer_stale(&c->app->call, c->call_id, m);
  if (bye) { /* a redial for a call that ended here: the other side stops at once */
    vk_hub_send(c, bye);
    return;
  }
  VpType type = vp_message_type(m);
  for (gsize i = 0; i < G_N_ELEMENTS(handlers); i++)
    if (handlers[i].type == type) {
      handlers[i].handler(c, m);
      return;
    }
}
