/* The hub client's side of the app's requests other than calls: the resident's quick replies
 * and voice notes (through the outbox, kept until the hub has them), messages seen, files
 * wanted, and the helpers' settings sent to the hub. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/hub_client/internal.h"
#include "kiosk/i18n.h"

static void
on_quick_reply(gpointer data, const char *to_id, const char *reply)
{
  VkHubClient *c = data;
  if (!to_id || g_str_has_prefix(to_id, "k_"))
    return; /* replies go to people; another kiosk has nobody to read them */
  const char *text = g_strcmp0(reply, "thanks") == 0 ? _("Thank you!") : _("Call me");
  g_autoptr(GError) err = NULL;
  if (!vk_outbox_add_text(c->outbox, to_id, text, &err))
    g_warning("cannot keep a reply: %s", err->message);
}

static gboolean
on_send_voice(gpointer data, const char *to_id, const char *path, guint duration_ms)
{
  VkHubClient *c = data;
  g_autoptr(GError) err = NULL;
  if (!to_id || g_str_has_prefix(to_id, "k_") ||
      !vk_outbox_add_voice(c->outbox, to_id, path, duration_ms, &err)) {
    g_warning("cannot keep a voice message: %s", err ? err->message : "not a person");
    return FALSE;
  }
  return TRUE;
}

static void
on_hold_voice(gpointer data, const char *to_id, const char *path, VkVoiceHeld state,
              guint elapsed_ms)
{
  VkHubClient *c = data;
  g_autoptr(GError) err = NULL;
  if (state == VK_VOICE_HELD_DROP)
    vk_outbox_drop_voice(c->outbox, path);
  else if (!(state == VK_VOICE_HELD_RECORDING
                 ? vk_outbox_hold_voice(c->outbox, to_id, path, &err)
                 : vk_outbox_voice_stopped(c->outbox, path, elapsed_ms, &err)))
    g_warning("cannot keep a voice message being recorded: %s", err->message);
}

static void
on_outbox_counts(gpointer data, guint *waiting, guint *refused)
{
  VkHubClient *c = data;
  *waiting = vk_outbox_waiting(c->outbox);
  *refused = vk_cache_outbox_refused_count(c->cache);
}

static char *
on_new_recording_path(gpointer data)
{
  return vk_outbox_new_recording_path(((VkHubClient *)data)->outbox);
}

/* The helpers' settings: the kiosk speaks for its own household only (docs/protocol.md). */
static void
on_set_quiet_hours(gpointer data, const char *start, const char *end)
{
  VkHubClient *c = data;
  if (!c->signed_in || !c->household)
    return;
  VpMessage *m = vp_message_new(VP_HOUSEHOLD_SET_QUIET_HOURS);
  g_autofree char *id = vk_hub_new_id(c);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", c->household);
  if (start && end) {
    JsonObject *q = json_object_new();
    json_object_set_string_member(q, "start", start);
    json_object_set_string_member(q, "end", end);
    vp_message_take_object(m, "quiet_hours", q);
  } else {
    vp_message_set_null(m, "quiet_hours");
  }
  vk_hub_send(c, m);
}

static void
on_set_consent(gpointer data, const char *person_id, gboolean on, const char *agreed_by)
{
  VkHubClient *c = data;
  if (!c->signed_in || !c->household || !person_id)
    return;
  VpMessage *m = vp_message_new(VP_HOUSEHOLD_CONSENT);
  g_autofree char *id = vk_hub_new_id(c);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", c->household);
  vp_message_set_string(m, "person", person_id);
  vp_message_set_bool(m, "auto_answer", on);
  if (on)
    vp_message_set_string(m, "agreed_by", agreed_by);
  vk_hub_send(c, m);
}

static void
on_fetch_file(gpointer data, const char *hash)
{
  vk_hub_fetch_file(data, hash, NULL, NULL);
}

static gboolean
on_hub_connected(gpointer data)
{
  return ((VkHubClient *)data)->signed_in;
}

static void
on_message_seen(gpointer data, const char *message_id)
{
  VkHubClient *c = data;
  vk_cache_set_message_seen(c->cache, message_id, NULL);
  if (!c->signed_in || !message_id || !g_str_has_prefix(message_id, "m_"))
    return;
  VpMessage *m = vp_message_new(VP_MSG_SEEN);
  vp_message_set_string(m, "msg", message_id);
  vk_hub_send(c, m);
}

void
vk_hub_request_hooks_install(VkAppHooks *hooks)
{
  hooks->quick_reply = on_quick_reply;
  hooks->message_seen = on_message_seen;
  hooks->hub_connected = on_hub_connected;
  hooks->fetch_file = on_fetch_file;
  hooks->set_quiet_hours = on_set_quiet_hours;
  hooks->set_consent = on_set_consent;
  hooks->send_voice = on_send_voice;
  hooks->hold_voice = on_hold_voice;
  hooks->new_recording_path = on_new_recording_path;
  hooks->outbox_counts = on_outbox_counts;
}
