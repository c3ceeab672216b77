#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/model.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* One of the model's listeners (vk_model_listen). */
typedef struct {
  guint id;
  VkModelListener fn; /* NULL: removed while the listeners ran; dropped after */
  gpointer data;
} Listener;

struct VkModelListeners {
  GArray *list; /* Listener, in registration order */
  guint next_id;
  guint running; /* vk_model_changed calls under way (a listener may change the model too) */
};

VkPerson *
vk_person_new(const char *id, const char *name, const char *relationship)
{
  VkPerson *p = g_new0(VkPerson, 1);
  p->id = g_strdup(id);
  p->name = g_strdup(name);
  p->relationship = g_strdup(relationship);
  return p;
}

void
vk_person_free(VkPerson *p)
{
  if (!p)
    return;
  g_free(p->id);
  g_free(p->name);
  g_free(p->relationship);
  g_free(p->photo_path);
  g_free(p->short_name);
  g_free(p);
}

VkMessage *
vk_message_new(const char *id, VkMessageKind kind, const char *from_id)
{
  VkMessage *m = g_new0(VkMessage, 1);
  m->id = g_strdup(id);
  m->kind = kind;
  m->from_id = g_strdup(from_id);
  return m;
}

void
vk_message_free(VkMessage *m)
{
  if (!m)
    return;
  g_free(m->id);
  g_free(m->from_id);
  g_free(m->text);
  g_free(m->media_path);
  g_free(m);
}

static void
today_free(VkTodayItem *t)
{
  g_free(t->title);
  g_free(t->who);
  g_free(t->plugin);
  g_free(t->item_id);
  for (int i = 0; i < 2; i++) {
    g_free(t->action_id[i]);
    g_free(t->action_label[i]);
  }
  g_free(t);
}

VkModel *
vk_model_new(void)
{
  VkModel *m = g_new0(VkModel, 1);
  m->people = g_ptr_array_new_with_free_func((GDestroyNotify)vk_person_free);
  m->messages = g_ptr_array_new_with_free_func((GDestroyNotify)vk_message_free);
  m->today = g_ptr_array_new_with_free_func((GDestroyNotify)today_free);
  m->photos = g_ptr_array_new_with_free_func(g_free);
  m->others = g_ptr_array_new_with_free_func((GDestroyNotify)vk_person_free);
  return m;
}

void
vk_model_free(VkModel *m)
{
  if (!m)
    return;
  g_ptr_array_unref(m->people);
  g_ptr_array_unref(m->messages);
  g_ptr_array_unref(m->today);
  g_ptr_array_unref(m->photos);
  g_ptr_array_unref(m->others);
  g_free(m->pair_code);
  g_free(m->language);
  g_free(m->resident);
  g_free(m->quiet_start);
  g_free(m->quiet_end);
  g_clear_pointer(&m->fixture_cards, json_object_unref);
  g_free(m->fixture_card_plugin);
  g_clear_pointer(&m->fixture_files, g_hash_table_unref);
  if (m->listeners)
    g_array_unref(m->listeners->list);
  g_free(m->listeners);
  g_free(m);
}

guint
vk_model_listen(VkModel *m, VkModelListener fn, gpointer data)
{
  g_return_val_if_fail(fn, 0);
  if (!m->listeners) {
    m->listeners = g_new0(VkModelListeners, 1);
    m->listeners->list = g_array_new(FALSE, FALSE, sizeof(Listener));
  }
  Listener l = {++m->listeners->next_id, fn, data};
  g_array_append_val(m->listeners->list, l);
  return l.id;
}

void
vk_model_unlisten(VkModel *m, guint id)
{
  VkModelListeners *ls = m->listeners;
  for (guint i = 0; ls && i < ls->list->len; i++) {
    Listener *l = &g_array_index(ls->list, Listener, i);
    if (l->id != id)
      continue;
    if (ls->running)
      l->fn = NULL; /* the loop in vk_model_changed still counts on the indexes */
    else
      g_array_remove_index(ls->list, i);
    return;
  }
}

void
vk_model_changed(VkModel *m, guint changes)
{
  VkModelListeners *ls = m->listeners;
  if (!ls || !changes)
    return;
  ls->running++;
  /* the length now: a listener added meanwhile hears the next change */
  guint n = ls->list->len;
  for (guint i = 0; i < n; i++) {
    Listener l = g_array_index(ls->list, Listener, i); /* a copy: the array may grow */
    if (l.fn)
      l.fn(m, changes, l.data);
  }
  if (--ls->running == 0)
    for (guint i = ls->list->len; i-- > 0;)
      if (!g_array_index(ls->list, Listener, i).fn)
        g_array_remove_index(ls->list, i);
}

void
vk_model_document_arrived(VkModel *m, const VkModelDocument *doc)
{
  const VkModelDocument *outer = m->document;
  m->document = doc;
  vk_model_changed(m, VK_MODEL_DOCUMENTS);
  m->document = outer;
}

void
vk_model_set_connected(VkModel *m, gboolean connected)
{
  if (!connected)
    for (guint i = 0; i < m->people->len; i++)
      ((VkPerson *)m->people->pdata[i])->reachable = FALSE;
  if (connected == m->connected)
    return;
  m->connected = connected;
  vk_model_changed(m, VK_MODEL_CONNECTION);
}

VkPerson *
vk_model_find_person(VkModel *m, const char *id)
{
  for (guint i = 0; id && i < m->people->len; i++) {
    VkPerson *p = m->people->pdata[i];
    if (g_strcmp0(p->id, id) == 0)
      return p;
  }
  for (guint i = 0; id && i < m->others->len; i++) {
    VkPerson *p = m->others->pdata[i];
    if (g_strcmp0(p->id, id) == 0)
      return p;
  }
  return NULL;
}

gboolean
vk_message_newer(const VkMessage *a, const VkMessage *b)
{
  if (a->seq > 0 && b->seq > 0)
    return a->seq > b->seq;
  return a->sent_at >= b->sent_at;
}

gboolean
vk_model_add_message(VkModel *m, VkMessage *msg)
{
  for (guint i = 0; i < m->messages->len; i++) {
    VkMessage *o = m->messages->pdata[i];
    if (g_strcmp0(o->id, msg->id) == 0) {
      vk_message_free(msg);
      return FALSE;
    }
  }
  guint pos = 0;
  while (pos < m->messages->len && !vk_message_newer(msg, m->messages->pdata[pos]))
    pos++;
  g_ptr_array_insert(m->messages, (gint)pos, msg);
  if (msg->kind == VK_MSG_PHOTO && msg->media_path)
    g_ptr_array_insert(m->photos, 0, g_strdup(msg->media_path));
  return TRUE;
}

guint
vk_model_unseen_count(VkModel *m)
{
  guint n = 0;
  for (guint i = 0; i < m->messages->len; i++)
    n += !((VkMessage *)m->messages->pdata[i])->seen;
  return n;
}

gint64
vk_model_now(VkModel *m)
{
  return m->fixed_now ? m->fixed_now : g_get_real_time() / G_USEC_PER_SEC + m->clock_offset_s;
}

gint64
vk_model_clock_ms(VkModel *m)
{
  if (m->fixed_now)
    return (m->fixed_now + m->clock_offset_s) * 1000;
  return g_get_real_time() / 1000 + m->clock_offset_s * 1000;
}

const char *
vk_message_kind_name(VkMessageKind k)
{
  switch (k) {
  case VK_MSG_TEXT:
    return "text";
  case VK_MSG_PHOTO:
    return "photo";
  case VK_MSG_VOICE:
    return "voice";
  case VK_MSG_MISSED_CALL:
    return "missed-call";
  }
  return "?";
}

static gint64
parse_time(const char *iso)
{
  if (!iso)
    return 0;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, tz);
  return dt ? g_date_time_to_unix(dt) : 0;
}

static char *
resolve(const char *dir, const char *rel)
{
  if (!rel || !*rel)
    return NULL;
  if (g_path_is_absolute(rel))
    return g_strdup(rel);
  return g_build_filename(dir, rel, NULL);
}

static const char *
member_str(JsonObject *o, const char *name)
{
  if (!json_object_has_member(o, name))
    return NULL;
  JsonNode *n = json_object_get_member(o, name);
  return JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : NULL;
}

static gboolean
member_bool(JsonObject *o, const char *name)
{
  return json_object_has_member(o, name) && json_object_get_boolean_member(o, name);
}

/* The fixture's plain settings: paired, connected, pairing code, clock, language, resident. */
static void
fixture_settings(VkModel *m, JsonObject *o)
{
  m->paired = !json_object_has_member(o, "paired") || member_bool(o, "paired");
  /* a fixture stands for a kiosk signed in to its hub unless it says otherwise */
  m->connected = !json_object_has_member(o, "connected") || member_bool(o, "connected");
  if (member_str(o, "pair_code")) {
    g_free(m->pair_code);
    m->pair_code = g_strdup(member_str(o, "pair_code"));
  }
  if (member_str(o, "now"))
    m->fixed_now = parse_time(member_str(o, "now"));
  if (member_str(o, "language")) {
    g_free(m->language);
    m->language = g_strdup(member_str(o, "language"));
  }
  if (member_str(o, "resident")) {
    g_free(m->resident);
    m->resident = g_strdup(member_str(o, "resident"));
  }
}

/* A plugin's cards by language (with card_plugin) and the files they show (card_files). */
static void
fixture_cards(VkModel *m, JsonObject *o, const char *dir)
{
  JsonNode *cards = json_object_get_member(o, "cards");
  if (cards && JSON_NODE_HOLDS_OBJECT(cards) && member_str(o, "card_plugin")) {
    g_clear_pointer(&m->fixture_cards, json_object_unref);
    m->fixture_cards = json_object_ref(json_node_get_object(cards));
    g_free(m->fixture_card_plugin);
    m->fixture_card_plugin = g_strdup(member_str(o, "card_plugin"));
  }
  JsonNode *files = json_object_get_member(o, "card_files");
  if (files && JSON_NODE_HOLDS_OBJECT(files)) {
    if (!m->fixture_files)
      m->fixture_files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    JsonObject *fo = json_node_get_object(files);
    g_autoptr(GList) hashes = json_object_get_members(fo);
    for (GList *l = hashes; l; l = l->next)
      g_hash_table_replace(m->fixture_files, g_strdup(l->data),
                           resolve(dir, member_str(fo, l->data)));
  }
}

static void
fixture_quiet_hours(VkModel *m, JsonObject *o)
{
  JsonObject *qh = json_object_has_member(o, "quiet_hours") &&
                           JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, "quiet_hours"))
                       ? json_object_get_object_member(o, "quiet_hours")
                       : NULL;
  if (qh && member_str(qh, "start") && member_str(qh, "end")) {
    g_free(m->quiet_start);
    g_free(m->quiet_end);
    m->quiet_start = g_strdup(member_str(qh, "start"));
    m->quiet_end = g_strdup(member_str(qh, "end"));
  }
}

/* The array o[name], or NULL. */
static JsonArray *
member_array(JsonObject *o, const char *name)
{
  return json_object_has_member(o, name) ? json_object_get_array_member(o, name) : NULL;
}

static void
fixture_people(VkModel *m, JsonObject *o, const char *dir)
{
  JsonArray *a = member_array(o, "people");
  for (guint i = 0; a && i < json_array_get_length(a); i++) {
    JsonObject *po = json_array_get_object_element(a, i);
    if (!po || !member_str(po, "id"))
      continue;
    VkPerson *p =
        vk_person_new(member_str(po, "id"), member_str(po, "name"), member_str(po, "relationship"));
    p->photo_path = resolve(dir, member_str(po, "photo"));
    p->short_name = g_strdup(member_str(po, "short_name"));
    p->reachable = member_bool(po, "reachable");
    p->auto_answer = member_bool(po, "auto_answer");
    p->may_auto_answer = p->auto_answer || member_bool(po, "may_auto_answer");
    g_ptr_array_add(m->people, p);
  }
}

static void
fixture_messages(VkModel *m, JsonObject *o, const char *dir)
{
  JsonArray *a = member_array(o, "messages");
  for (guint i = 0; a && i < json_array_get_length(a); i++) {
    JsonObject *mo = json_array_get_object_element(a, i);
    if (!mo || !member_str(mo, "id"))
      continue;
    const char *k = member_str(mo, "kind");
    VkMessageKind kind = g_strcmp0(k, "photo") == 0         ? VK_MSG_PHOTO
                         : g_strcmp0(k, "voice") == 0       ? VK_MSG_VOICE
                         : g_strcmp0(k, "missed-call") == 0 ? VK_MSG_MISSED_CALL
                                                            : VK_MSG_TEXT;
    VkMessage *msg = vk_message_new(member_str(mo, "id"), kind, member_str(mo, "from"));
    msg->text = g_strdup(member_str(mo, "text"));
    msg->media_path = resolve(dir, member_str(mo, "media"));
    msg->sent_at = parse_time(member_str(mo, "sent_at"));
    msg->seq = json_object_get_int_member_with_default(mo, "seq", 0);
    msg->seen = member_bool(mo, "seen");
    vk_model_add_message(m, msg);
  }
}

/* One item of the "today" strip. transfer full */
static VkTodayItem *
today_item_from_json(JsonObject *to)
{
  VkTodayItem *t = g_new0(VkTodayItem, 1);
  const char *k = member_str(to, "kind");
  t->kind = g_strcmp0(k, "visit") == 0  ? VK_TODAY_VISIT
            : g_strcmp0(k, "call") == 0 ? VK_TODAY_CALL
                                        : VK_TODAY_PLUGIN;
  t->title = g_strdup(member_str(to, "title"));
  t->who = g_strdup(member_str(to, "who"));
  t->at = parse_time(member_str(to, "at"));
  /* a plugin's item: whose, its id and up to two actions {id, label}, as today() gives */
  t->plugin = g_strdup(member_str(to, "plugin"));
  t->item_id = g_strdup(member_str(to, "id"));
  JsonArray *acts = member_array(to, "actions");
  for (guint k = 0; acts && k < MIN(json_array_get_length(acts), 2); k++) {
    JsonObject *ao = json_array_get_object_element(acts, k);
    t->action_id[k] = ao ? g_strdup(member_str(ao, "id")) : NULL;
    t->action_label[k] = ao ? g_strdup(member_str(ao, "label")) : NULL;
  }
  return t;
}

static void
fixture_today(VkModel *m, JsonObject *o)
{
  JsonArray *a = member_array(o, "today");
  for (guint i = 0; a && i < json_array_get_length(a); i++) {
    JsonObject *to = json_array_get_object_element(a, i);
    if (to)
      g_ptr_array_add(m->today, today_item_from_json(to));
  }
}

gboolean
vk_model_load_fixture(VkModel *m, const char *path, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_file(parser, path, error))
    return FALSE;
  JsonNode *root = json_parser_get_root(parser);
  if (!JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "fixture is not a JSON object");
    return FALSE;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  JsonObject *o = json_node_get_object(root);
  fixture_settings(m, o);
  fixture_cards(m, o, dir);
  fixture_quiet_hours(m, o);
  fixture_people(m, o, dir);
  fixture_messages(m, o, dir);
  fixture_today(m, o);
  JsonArray *photos = member_array(o, "photos");
  for (guint i = 0; photos && i < json_array_get_length(photos); i++)
    g_ptr_array_add(m->photos, resolve(dir, json_array_get_string_element(photos, i)));
  return TRUE;
}
