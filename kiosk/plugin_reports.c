#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/plugin_reports.h"

#include <gio/gio.h>
#include <string.h>

#include "kiosk/cache.h"
#include "kiosk/outbox.h"

#define ANSWER_BODY_MAX 4096
/* Answers of one kind that may wait for the hub: a plugin that answers in a loop while the hub is
 * away fills its own share of the disk, not the others'. */
#define ANSWERS_WAITING_PER_KIND 200

typedef struct VkPluginReports {
  VkCache *cache;  /* transfer none: the app's */
  char *household; /* NULL while offline */
  VkReportSend send;
  gpointer send_data;
  char *in_flight;         /* the answer sent and not yet answered: one at a time, in order */
  char *in_flight_request; /* its request id, to match an error to it */
  char *inventory_request;
  guint retry_id;
  guint next_request;
  JsonObject *inventory; /* the last kiosk.plugins content, NULL until a plugin host set it */
} VkPluginReports;

/* Made on first use: the plugin host may start before the hub client. NULL without a cache. */
static VkPluginReports *
reports_of(VkApp *app)
{
  if (!app->reports && app->cache) {
    app->reports = g_new0(VkPluginReports, 1);
    app->reports->cache = app->cache;
  }
  return app->reports;
}

void
vk_plugin_reports_free(VkApp *app)
{
  VkPluginReports *r = app->reports;
  if (!r)
    return;
  g_clear_handle_id(&r->retry_id, g_source_remove);
  g_free(r->household);
  g_free(r->in_flight);
  g_free(r->in_flight_request);
  g_free(r->inventory_request);
  if (r->inventory)
    json_object_unref(r->inventory);
  g_free(r);
  app->reports = NULL;
}

static char *
new_request_id(VkPluginReports *r)
{
  return g_strdup_printf("pr-%u", ++r->next_request);
}

static void
send_inventory(VkPluginReports *r)
{
  if (!r->household || !r->inventory)
    return;
  VpMessage *m = vp_message_new(VP_KIOSK_PLUGINS);
  g_free(r->inventory_request);
  r->inventory_request = new_request_id(r);
  vp_message_set_string(m, "id", r->inventory_request);
  JsonObject *o = vp_message_object(m);
  json_object_set_member(o, "plugins", json_object_dup_member(r->inventory, "plugins"));
  json_object_set_member(o, "quarantined", json_object_dup_member(r->inventory, "quarantined"));
  r->send(r->send_data, m);
}

static void pump(VkPluginReports *r);

static gboolean
retry_cb(gpointer data)
{
  VkPluginReports *r = data;
  r->retry_id = 0;
  pump(r);
  return G_SOURCE_REMOVE;
}

static void
forget_in_flight(VkPluginReports *r)
{
  g_clear_pointer(&r->in_flight, g_free);
  g_clear_pointer(&r->in_flight_request, g_free);
}

static void
post(VkPluginReports *r, const VkAnswerItem *it)
{
  g_autoptr(JsonNode) body = json_from_string(it->body, NULL);
  if (!body || !JSON_NODE_HOLDS_OBJECT(body)) {
    /* checked when queued: only a damaged cache gets here, and it will not heal */
    vk_cache_answer_done(r->cache, it->answer, "unreadable", NULL);
    pump(r);
    return;
  }
  VpMessage *m = vp_message_new(VP_PLUGIN_ANSWER);
  forget_in_flight(r);
  r->in_flight = g_strdup(it->answer);
  r->in_flight_request = new_request_id(r);
  vp_message_set_string(m, "id", r->in_flight_request);
  vp_message_set_string(m, "household", r->household);
  vp_message_set_string(m, "answer", it->answer);
  vp_message_set_string(m, "kind", it->kind);
  vp_message_set_string(m, "doc", it->doc);
  vp_message_set_int(m, "rev", it->rev);
  json_object_set_member(vp_message_object(m), "body", g_steal_pointer(&body));
  r->send(r->send_data, m);
}

/* Sends the oldest answer that waits; the next goes when the hub has answered this one. */
static void
pump(VkPluginReports *r)
{
  if (!r->household || r->retry_id || r->in_flight)
    return;
  g_autoptr(GPtrArray) items = vk_cache_answers_waiting(r->cache);
  if (items->len)
    post(r, items->pdata[0]);
}

static char *
new_answer_key(void)
{
  return g_strdup_printf("a-%" G_GINT64_FORMAT "-%08x", g_get_real_time(), g_random_int());
}

#define LOOK_QUIET_US (10 * 60 * G_USEC_PER_SEC)

void
vk_memory_look_report(VkApp *app, const char *file)
{
  static GHashTable *told; /* file -> when last told (monotonic µs) */
  VkPluginReports *r = app->reports;
  if (!r || !r->household || !r->send || !file || !vp_is_file_hash(file))
    return;
  if (!told)
    told = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gint64 now = g_get_monotonic_time();
  gint64 *last = g_hash_table_lookup(told, file);
  if (last && now - *last < LOOK_QUIET_US)
    return;
  if (g_hash_table_size(told) > 2000) /* a book is at most a few thousand pages */
    g_hash_table_remove_all(told);
  g_hash_table_replace(told, g_strdup(file), g_memdup2(&now, sizeof now));
  VpMessage *m = vp_message_new(VP_MEMORY_LOOK);
  g_autofree char *id = new_request_id(r);
  g_autofree char *key =
      g_strdup_printf("l-%" G_GINT64_FORMAT "-%08x", g_get_real_time(), g_random_int());
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", r->household);
  vp_message_set_string(m, "look", key);
  vp_message_set_string(m, "file", file);
  r->send(r->send_data, m);
}

static guint
waiting_of_kind(VkPluginReports *r, const char *kind)
{
  g_autoptr(GPtrArray) items = vk_cache_answers_waiting(r->cache);
  guint n = 0;
  for (guint i = 0; i < items->len; i++)
    n += g_strcmp0(((VkAnswerItem *)items->pdata[i])->kind, kind) == 0;
  return n;
}

static gboolean
invalid(GError **error, const char *what)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "a plugin answer %s", what);
  return FALSE;
}

gboolean
vk_plugin_answer_queue(VkApp *app, const char *kind, const char *doc, gint64 rev,
                       const char *body_json, GError **error)
{
  VkPluginReports *r = reports_of(app);
  if (!r) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                "answers need the kiosk's cache (--data-dir)");
    return FALSE;
  }
  if (!vp_is_document_kind(kind))
    return invalid(error, "needs a document kind");
  if (!vp_is_document_name(doc))
    return invalid(error, "needs a document name");
  if (rev < 0)
    return invalid(error, "needs a revision of 0 or more");
  if (!body_json || strlen(body_json) > ANSWER_BODY_MAX)
    return invalid(error, "body is missing or larger than 4096 bytes");
  g_autoptr(JsonNode) body = json_from_string(body_json, NULL);
  if (!body || !JSON_NODE_HOLDS_OBJECT(body))
    return invalid(error, "body is not a JSON object");
  if (waiting_of_kind(r, kind) >= ANSWERS_WAITING_PER_KIND) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                "%d answers of this kind already wait for the hub", ANSWERS_WAITING_PER_KIND);
    return FALSE;
  }
  g_autofree char *compact = json_to_string(body, FALSE);
  g_autofree char *key = new_answer_key();
  VkAnswerItem it = {
      .answer = key, .kind = (char *)kind, .doc = (char *)doc, .rev = rev, .body = compact};
  if (!vk_cache_answer_add(r->cache, &it, error))
    return FALSE;
  pump(r);
  return TRUE;
}

static JsonArray *
plugins_array(const VkPluginStatus *plugins, guint n)
{
  JsonArray *a = json_array_new();
  for (guint i = 0; i < n; i++) {
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "name", plugins[i].name ? plugins[i].name : "?");
    json_object_set_string_member(o, "version", plugins[i].version ? plugins[i].version : "?");
    JsonArray *kinds = json_array_new();
    for (const char *const *k = plugins[i].kinds; k && *k; k++)
      json_array_add_string_element(kinds, *k);
    json_object_set_array_member(o, "kinds", kinds);
    json_object_set_string_member(o, "state", plugins[i].state ? plugins[i].state : "running");
    json_array_add_object_element(a, o);
  }
  return a;
}

static JsonArray *
quarantined_array(const VkQuarantined *q, guint n)
{
  JsonArray *a = json_array_new();
  for (guint i = 0; i < n; i++) {
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "plugin", q[i].plugin ? q[i].plugin : "?");
    json_object_set_string_member(o, "kind", q[i].kind ? q[i].kind : "?");
    json_object_set_string_member(o, "doc", q[i].doc ? q[i].doc : "?");
    json_object_set_int_member(o, "rev", q[i].rev);
    json_object_set_int_member(o, "faults", q[i].faults);
    json_array_add_object_element(a, o);
  }
  return a;
}

void
vk_plugin_inventory_set(VkApp *app, const VkPluginStatus *plugins, guint n_plugins,
                        const VkQuarantined *quarantined, guint n_quarantined)
{
  VkPluginReports *r = reports_of(app);
  if (!r)
    return; /* no cache, no hub client: nobody to tell */
  if (r->inventory)
    json_object_unref(r->inventory);
  r->inventory = json_object_new();
  json_object_set_array_member(r->inventory, "plugins", plugins_array(plugins, n_plugins));
  json_object_set_array_member(r->inventory, "quarantined",
                               quarantined_array(quarantined, n_quarantined));
  send_inventory(r);
}

void
vk_plugin_reports_online(VkApp *app, const char *household, VkReportSend send, gpointer data)
{
  VkPluginReports *r = reports_of(app);
  if (!r || !household)
    return;
  g_free(r->household);
  r->household = g_strdup(household);
  r->send = send;
  r->send_data = data;
  forget_in_flight(r); /* sent again with the same key: stored once at the hub */
  g_clear_handle_id(&r->retry_id, g_source_remove);
  send_inventory(r);
  pump(r);
}

void
vk_plugin_reports_offline(VkApp *app)
{
  VkPluginReports *r = app->reports;
  if (!r)
    return;
  g_clear_pointer(&r->household, g_free);
  forget_in_flight(r);
}

void
vk_plugin_reports_accepted(VkApp *app, const char *answer)
{
  VkPluginReports *r = app->reports;
  if (!r || !answer)
    return;
  g_autoptr(GError) err = NULL;
  if (!vk_cache_answer_done(r->cache, answer, NULL, &err)) {
    g_warning("%s", err->message); /* sent again later: the hub keeps it once */
    return;
  }
  if (g_strcmp0(r->in_flight, answer) == 0) {
    forget_in_flight(r);
    pump(r);
  }
}

gboolean
vk_plugin_reports_refused(VkApp *app, const char *request_id, const char *code)
{
  VkPluginReports *r = app->reports;
  if (!r || !request_id)
    return FALSE;
  if (g_strcmp0(request_id, r->inventory_request) == 0) {
    g_warning("the hub refused the plugin inventory: %s", code ? code : "?");
    return TRUE;
  }
  if (g_strcmp0(request_id, r->in_flight_request) != 0)
    return FALSE;
  g_autofree char *answer = g_strdup(r->in_flight);
  forget_in_flight(r);
  if (vk_outbox_refusal_is_final(code)) {
    g_message("the hub refused a plugin answer: %s", code ? code : "?");
    vk_cache_answer_done(r->cache, answer, code, NULL); /* kept, never sent again */
    pump(r);
  } else if (!r->retry_id) {
    r->retry_id = g_timeout_add_seconds(VK_OUTBOX_RETRY_S, retry_cb, r);
  }
  return TRUE;
}

guint
vk_plugin_answers_waiting(VkApp *app)
{
  VkPluginReports *r = reports_of(app);
  if (!r)
    return 0;
  g_autoptr(GPtrArray) items = vk_cache_answers_waiting(r->cache);
  return items->len;
}
