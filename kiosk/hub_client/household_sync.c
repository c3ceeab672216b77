/* The hub client's household sync: sign-in and pairing, the people and their presence, and the
 * durable messages and documents, each acknowledged only once it is stored. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_resume.h"
#include "kiosk/checkins.h"
#include "kiosk/hub_client/internal.h"
#include "kiosk/i18n.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/speech.h"

/* The plugin reports' way to the hub (plugin_reports.c). */
static void
reports_send(gpointer data, VpMessage *m)
{
  vk_hub_send(data, m);
}

void
vk_hub_on_welcome(VkHubClient *c, VpMessage *m)
{
  const char *role = vp_message_get_string(m, "role");
  c->signed_in = TRUE;
  c->attempt = 0;
  VkModel *model = c->app->model;
  vk_model_set_connected(model, TRUE);
  if (g_strcmp0(role, "unpaired") == 0) {
    const char *code = vp_message_get_string(m, "pairing_code");
    g_free(model->pair_code);
    model->pair_code = g_strdup(code);
    model->paired = FALSE;
    vk_app_show(c->app, VK_SCREEN_PAIRING);
    return;
  }
  JsonArray *hh = vp_message_get_array(m, "households");
  if (hh && json_array_get_length(hh) > 0) {
    JsonObject *h = json_array_get_object_element(hh, 0);
    g_free(c->household);
    c->household = g_strdup(json_object_get_string_member_with_default(h, "id", NULL));
    vk_cache_set(c->cache, "household", c->household, NULL);
  }
  if (!model->paired) {
    model->paired = TRUE;
    vk_app_show(c->app, VK_SCREEN_HOME);
  }
  if (c->household) {
    vk_outbox_online(c->outbox, c->household);
    vk_plugin_reports_online(c->app, c->household, reports_send, c);
  }
  vk_hub_fetch_missing_files(c);
  VpMessage *resume = vk_call_resume_on_signed_in(&c->app->call, c->call_id);
  if (resume) /* mid-call: does the call still live? (call_resume.h) */
    vk_hub_send(c, resume);
  VpMessage *get = vp_message_new(VP_HOUSEHOLD_GET);
  g_autofree char *id = vk_hub_new_id(c);
  vp_message_set_string(get, "id", id);
  vp_message_set_string(get, "household", c->household);
  vk_hub_send(c, get);
}

void
vk_hub_on_paired(VkHubClient *c, VpMessage *m)
{
  g_autoptr(GError) err = NULL;
  if (!vk_cache_set(c->cache, "kiosk", vp_message_get_string(m, "kiosk"), &err) ||
      !vk_cache_set(c->cache, "secret", vp_message_get_string(m, "secret"), &err) ||
      !vk_cache_set(c->cache, "household", vp_message_get_string(m, "household"), &err)) {
    g_warning("cannot keep the pairing: %s", err->message);
    return;
  }
  g_message("paired with a household");
  /* sign in again with the device secret */
  c->reconnect_now = TRUE;
  c->closing = TRUE;
  if (c->wsi)
    lws_callback_on_writable(c->wsi);
}

static gboolean
has_right(JsonObject *person, const char *right)
{
  JsonArray *r = json_object_has_member(person, "rights")
                     ? json_object_get_array_member(person, "rights")
                     : NULL;
  for (guint i = 0; r && i < json_array_get_length(r); i++)
    if (g_strcmp0(json_array_get_string_element(r, i), right) == 0)
      return TRUE;
  return FALSE;
}

/* The household's language, unless a helper chose one here or it was given on the command line. */
static void
follow_language(VkHubClient *c, JsonObject *h)
{
  const char *lang = json_object_get_string_member_with_default(h, "language", NULL);
  g_autofree char *by_helper = vk_cache_get(c->cache, "language_by_helper");
  if (lang && !by_helper && !c->app->opts->lang && g_strcmp0(lang, vk_i18n_language()) != 0 &&
      vk_i18n_set_language(lang))
    vk_cache_set(c->cache, "language", lang, NULL);
}

static void
read_quiet_hours(VkModel *model, JsonObject *h)
{
  g_clear_pointer(&model->quiet_start, g_free);
  g_clear_pointer(&model->quiet_end, g_free);
  JsonNode *qn = json_object_get_member(h, "quiet_hours");
  if (qn && JSON_NODE_HOLDS_OBJECT(qn)) {
    JsonObject *q = json_node_get_object(qn);
    const char *qs = json_object_get_string_member_with_default(q, "start", NULL);
    const char *qe = json_object_get_string_member_with_default(q, "end", NULL);
    if (vp_is_clock_time(qs) && vp_is_clock_time(qe)) {
      model->quiet_start = g_strdup(qs);
      model->quiet_end = g_strdup(qe);
    }
  }
}

/* One person of the household as home shows them; a photo not yet here goes on photos (the
 * JsonObject) to be fetched. transfer full */
static VkPerson *
person_from_json(VkHubClient *c, JsonObject *po, GPtrArray *photos)
{
  const char *id = json_object_get_string_member_with_default(po, "id", NULL);
  VkPerson *p = vk_person_new(id, json_object_get_string_member_with_default(po, "name", ""),
                              json_object_get_string_member_with_default(po, "relationship", NULL));
  p->reachable =
      g_strcmp0(json_object_get_string_member_with_default(po, "presence", ""), "online") == 0;
  JsonNode *consent = json_object_get_member(po, "auto_answer_consent");
  p->may_auto_answer = has_right(po, "auto_answer");
  p->auto_answer = p->may_auto_answer && consent && !JSON_NODE_HOLDS_NULL(consent);
  const char *photo = json_object_get_string_member_with_default(po, "photo", NULL);
  if (photo && vp_is_file_hash(photo)) {
    g_autofree char *path = vk_cache_file_path(c->cache, photo);
    if (g_file_test(path, G_FILE_TEST_EXISTS))
      p->photo_path = g_strdup(path);
    else
      g_ptr_array_add(photos, po);
  }
  return p;
}

/* The people one touch can call replace the model's, and their missing photos are fetched. */
static void
read_people(VkHubClient *c, JsonObject *h)
{
  VkModel *model = c->app->model;
  JsonArray *people =
      json_object_has_member(h, "people") ? json_object_get_array_member(h, "people") : NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func((GDestroyNotify)vk_person_free);
  g_autoptr(GPtrArray) photos = g_ptr_array_new(); /* JsonObject* with a photo to fetch */
  for (guint i = 0; people && i < json_array_get_length(people) && fresh->len < VK_MAX_PEOPLE_KEPT;
       i++) {
    JsonObject *po = json_array_get_object_element(people, i);
    if (!po || !has_right(po, "call"))
      continue; /* the home screen shows the people one touch can call */
    g_ptr_array_add(fresh, person_from_json(c, po, photos));
  }
  g_ptr_array_set_size(model->people, 0);
  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add(model->people, g_steal_pointer(&fresh->pdata[i]));
  g_ptr_array_set_size(fresh, 0);
  vk_cache_set_people(c->cache, model->people, NULL);
  for (guint i = 0; i < photos->len; i++) {
    JsonObject *po = photos->pdata[i];
    vk_hub_fetch_file(c, json_object_get_string_member(po, "photo"), NULL,
                      json_object_get_string_member(po, "id"));
  }
}

/* The household's other kiosks can be callers too. */
static void
read_other_kiosks(VkModel *model, JsonObject *h)
{
  JsonArray *kiosks =
      json_object_has_member(h, "kiosks") ? json_object_get_array_member(h, "kiosks") : NULL;
  for (guint i = 0; kiosks && i < json_array_get_length(kiosks); i++) {
    JsonObject *ko = json_array_get_object_element(kiosks, i);
    const char *id = ko ? json_object_get_string_member_with_default(ko, "id", NULL) : NULL;
    if (id && !vk_model_find_person(model, id))
      g_ptr_array_add(model->others, /* the resident's other screen: her name, not "Someone" */
                      vk_person_new(id, model->resident ? model->resident : _("Someone"), NULL));
  }
}

void
vk_hub_on_household_state(VkHubClient *c, VpMessage *m)
{
  JsonObject *h = vp_message_get_object(m, "household");
  if (!h)
    return;
  VkModel *model = c->app->model;
  follow_language(c, h);
  g_free(model->resident);
  model->resident = g_strdup(json_object_get_string_member_with_default(h, "resident", NULL));
  read_quiet_hours(model, h);
  read_people(c, h);
  read_other_kiosks(model, h);
  vk_model_changed(model, VK_MODEL_PEOPLE);
}

void
vk_hub_on_presence(VkHubClient *c, VpMessage *m)
{
  const char *who = vp_message_get_string(m, "subject");
  VkPerson *p = vk_model_find_person(c->app->model, who);
  if (!p)
    return;
  gboolean now = g_strcmp0(vp_message_get_string(m, "state"), "online") == 0;
  if (now != p->reachable) {
    p->reachable = now;
    vk_cache_set_presence(c->cache, who, now, NULL);
    vk_model_changed(c->app->model, VK_MODEL_PRESENCE);
  }
}

void
vk_hub_on_msg_deliver(VkHubClient *c, VpMessage *m)
{
  gint64 seq = vp_message_get_int(m, "seq", 0);
  JsonObject *mo = vp_message_get_object(m, "msg");
  if (!mo || seq <= 0)
    return;
  const char *kind = json_object_get_string_member_with_default(mo, "kind", "text");
  JsonObject *from =
      json_object_has_member(mo, "from") ? json_object_get_object_member(mo, "from") : NULL;
  const char *from_id = from ? json_object_get_string_member_with_default(from, "id", NULL) : NULL;
  VkMessageKind k = g_strcmp0(kind, "photo") == 0   ? VK_MSG_PHOTO
                    : g_strcmp0(kind, "voice") == 0 ? VK_MSG_VOICE
                                                    : VK_MSG_TEXT;
  VkMessage *msg =
      vk_message_new(json_object_get_string_member_with_default(mo, "id", NULL), k, from_id);
  const char *text = json_object_get_string_member_with_default(mo, "text", NULL);
  if (!text)
    text = json_object_get_string_member_with_default(mo, "caption", NULL);
  msg->text = g_strdup(text);
  msg->sent_at = json_object_get_int_member_with_default(mo, "sent_at", 0);
  msg->seq = seq;
  const char *file = json_object_get_string_member_with_default(mo, "file", NULL);
  if (file && vp_is_file_hash(file)) {
    g_autofree char *path = vk_cache_file_path(c->cache, file);
    if (g_file_test(path, G_FILE_TEST_EXISTS))
      msg->media_path = g_strdup(path);
  }
  gboolean is_new = FALSE;
  g_autoptr(GError) err = NULL;
  if (!msg->id || !vk_cache_store_message(c->cache, msg, file, &is_new, &err)) {
    /* not stored: not acknowledged; the hub sends it again on the next sign-in */
    g_warning("cannot store a message: %s", err ? err->message : "no id");
    vk_message_free(msg);
    return;
  }
  g_autofree char *id = g_strdup(msg->id);
  gboolean needs_file = file && !msg->media_path;
  if (is_new && from && !vk_model_find_person(c->app->model, from_id))
    g_ptr_array_add(
        c->app->model->others,
        vk_person_new(from_id, json_object_get_string_member_with_default(from, "name", ""), NULL));
  if (is_new && vk_model_add_message(c->app->model, msg)) {
    g_autofree char *say = g_strdup_printf(
        _("A new message from %s"), json_object_get_string_member_with_default(from, "name", ""));
    vk_speech_say(say);
    vk_model_changed(c->app->model, VK_MODEL_MESSAGES);
  } else if (!is_new) {
    vk_message_free(msg);
  }
  /* stored: now, and only now, acknowledge it */
  VpMessage *ack = vp_message_new(VP_MSG_ACK);
  vp_message_set_int(ack, "up_to", seq);
  vk_hub_send(c, ack);
  if (needs_file)
    vk_hub_fetch_file(c, file, id, NULL);
}

void
vk_hub_on_doc_deliver(VkHubClient *c, VpMessage *m)
{
  gint64 seq = vp_message_get_int(m, "seq", 0);
  JsonObject *body = vp_message_get_object(m, "body");
  g_autofree char *body_json = NULL;
  if (body) {
    g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), body);
    body_json = json_to_string(n, FALSE);
  }
  g_autoptr(GError) err = NULL;
  if (!vk_cache_put_doc(c->cache, vp_message_get_string(m, "kind"), vp_message_get_string(m, "doc"),
                        vp_message_get_int(m, "rev", 0), body_json,
                        vp_message_get_bool(m, "deleted", FALSE), &err)) {
    g_warning("cannot store a document: %s", err->message);
    return;
  }
  VpMessage *ack = vp_message_new(VP_DOC_ACK);
  vp_message_set_int(ack, "up_to", seq);
  vk_hub_send(c, ack);
  const char *kind = vp_message_get_string(m, "kind");
  if (g_strcmp0(kind, "checkin") == 0)
    vk_checkins_load(c->cache, c->app->model);
  VkModelDocument doc = {
      .kind = kind,
      .doc = vp_message_get_string(m, "doc"),
      .rev = vp_message_get_int(m, "rev", 0),
      .body_json = vp_message_get_bool(m, "deleted", FALSE) ? NULL : body_json,
  };
  vk_model_document_arrived(c->app->model, &doc); /* the plugin glue hands it to the plugins */
}
