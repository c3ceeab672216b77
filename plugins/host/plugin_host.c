#define G_LOG_DOMAIN "vindu-plugins"
#include "plugin_host.h"

#include "fault_blame.h"
#include "plugin_loader.h"
#include "plugin_storage.h"
#include "plugin_wire.h"
#include "runner_link.h"

#include <stdio.h>
#include <string.h>

/* How long after a touch on a plugin's action it may start a call. */
#define CALL_AFTER_TOUCH_US (10 * G_USEC_PER_SEC)

typedef struct {
  VinduPluginHost *host;
  RunnerLink *link;
  char *name, *version, *description;
  GStrv kinds;                 /* NULL-terminated, empty until hello */
  GPtrArray *today;            /* VinduHostTodayItem* from its last answer */
  GPtrArray *photos;           /* VinduHostPhoto* */
  VinduPluginStorage *storage; /* named after the .so, so it is known before the runner starts */
  gint64 touched_us;           /* last action delivered (monotonic) */
  gboolean settled;            /* first start answered (or failed): the next may start */
  FaultBlame *blame;           /* which document a fault counts against */
} Plugin;

typedef struct {
  char *kind, *doc, *body;
  gint64 rev;
} Document;

struct _VinduPluginHost {
  VinduPluginHostOptions opts; /* strings owned */
  VinduPluginHostHooks hooks;
  GPtrArray *plugins; /* Plugin*, in name order */
  GHashTable *docs;   /* "kind\n doc" -> Document* */
  GHashTable *timers; /* "plugin index\n timer id" -> gint64 due (ms) */
  guint timer_source;
  VinduQuarantine *quarantine;
  char *language;
  gboolean quiet;
  JsonArray *people;
  gint64 today_from, today_to;
  GPtrArray *today, *photos; /* everyone's, sorted (transfer none of the items) */
  guint next_to_start;       /* start-up goes one plugin after the other */
};

static void plugin_start_next(VinduPluginHost *host);
static void arm_timers(VinduPluginHost *host);

static void
today_item_free(VinduHostTodayItem *item)
{
  g_free(item->plugin);
  g_free(item->id);
  g_free(item->title);
  g_free(item->kind);
  for (int i = 0; i < 2; i++) {
    g_free(item->action_id[i]);
    g_free(item->action_label[i]);
  }
  g_free(item);
}

static void
photo_free(VinduHostPhoto *p)
{
  g_free(p->plugin);
  g_free(p->file);
  g_free(p->caption);
  g_free(p->chapter);
  g_free(p->people);
  g_free(p->added_by);
  g_free(p->voice_file);
  g_free(p);
}

static void
document_free(Document *d)
{
  g_free(d->kind);
  g_free(d->doc);
  g_free(d->body);
  g_free(d);
}

static void
plugin_free(Plugin *p)
{
  runner_link_free(p->link);
  g_free(p->name);
  g_free(p->version);
  g_free(p->description);
  g_strfreev(p->kinds);
  g_ptr_array_unref(p->today);
  g_ptr_array_unref(p->photos);
  vindu_plugin_storage_free(p->storage);
  fault_blame_free(p->blame);
  g_free(p);
}

static gint64
now_ms(VinduPluginHost *host)
{
  return host->hooks.now_ms ? host->hooks.now_ms(host->hooks.data) : g_get_real_time() / 1000;
}

static void
notify_changed(VinduPluginHost *host)
{
  if (host->hooks.changed)
    host->hooks.changed(host->hooks.data);
}

static Plugin *
plugin_for_kind(VinduPluginHost *host, const char *kind)
{
  for (guint i = 0; i < host->plugins->len; i++) {
    Plugin *p = host->plugins->pdata[i];
    if (p->kinds && g_strv_contains((const char *const *)p->kinds, kind) &&
        runner_link_state(p->link) != RUNNER_REFUSED)
      return p;
  }
  return NULL;
}

static Plugin *
plugin_named(VinduPluginHost *host, const char *name)
{
  for (guint i = 0; i < host->plugins->len; i++) {
    Plugin *p = host->plugins->pdata[i];
    if (g_strcmp0(p->name, name) == 0)
      return p;
  }
  return NULL;
}

/* --- requests ------------------------------------------------------------------------------ */

static JsonNode *
request(const char *call)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "call", call);
  JsonNode *node = json_node_new(JSON_NODE_OBJECT);
  json_node_take_object(node, o);
  return node;
}

static void
on_put_reply(RunnerLink *link, JsonObject *reply, gpointer data)
{
  char *what = data; /* "kind/doc": never the words */
  if (reply && !json_object_get_boolean_member_with_default(reply, "ok", FALSE))
    g_message("plugin for %s did not understand the document; it keeps what it had", what);
  g_free(what);
}

static void
send_document(Plugin *p, Document *d, gboolean fresh)
{
  fault_blame_given(p->blame, d->kind, d->doc, d->rev, fresh);
  JsonNode *req = request("put");
  JsonObject *o = json_node_get_object(req);
  json_object_set_string_member(o, "kind", d->kind);
  json_object_set_string_member(o, "doc", d->doc);
  json_object_set_int_member(o, "rev", d->rev);
  if (d->body)
    json_object_set_string_member(o, "body", d->body);
  else
    json_object_set_null_member(o, "body");
  runner_link_request(p->link, req, on_put_reply, g_strdup_printf("%s/%s", d->kind, d->doc));
}

static gint
compare_start(gconstpointer a, gconstpointer b)
{
  const VinduHostTodayItem *x = *(VinduHostTodayItem *const *)a;
  const VinduHostTodayItem *y = *(VinduHostTodayItem *const *)b;
  return (x->starts_at > y->starts_at) - (x->starts_at < y->starts_at);
}

static gint
compare_newest_first(gconstpointer a, gconstpointer b)
{
  const VinduHostPhoto *x = *(VinduHostPhoto *const *)a;
  const VinduHostPhoto *y = *(VinduHostPhoto *const *)b;
  return (x->taken_at < y->taken_at) - (x->taken_at > y->taken_at);
}

/* Everyone's items and photos, from each plugin's last answer. */
static void
gather(VinduPluginHost *host)
{
  g_ptr_array_set_size(host->today, 0);
  g_ptr_array_set_size(host->photos, 0);
  for (guint i = 0; i < host->plugins->len; i++) {
    Plugin *p = host->plugins->pdata[i];
    for (guint k = 0; k < p->today->len; k++)
      g_ptr_array_add(host->today, p->today->pdata[k]);
    for (guint k = 0; k < p->photos->len; k++)
      g_ptr_array_add(host->photos, p->photos->pdata[k]);
  }
  g_ptr_array_sort(host->today, compare_start);
  g_ptr_array_sort(host->photos, compare_newest_first);
  notify_changed(host);
}

static char *
dup_member(JsonObject *o, const char *name)
{
  return g_strdup(vindu_wire_string(o, name));
}

static void
take_today_item(Plugin *p, JsonObject *o)
{
  VinduHostTodayItem *item = g_new0(VinduHostTodayItem, 1);
  item->plugin = g_strdup(p->name);
  item->id = dup_member(o, "id");
  item->title = dup_member(o, "title");
  item->kind = dup_member(o, "kind");
  item->starts_at = vindu_wire_int(o, "starts_at", 0);
  JsonNode *actions = json_object_get_member(o, "actions");
  JsonArray *list = actions && JSON_NODE_HOLDS_ARRAY(actions) ? json_node_get_array(actions) : NULL;
  for (guint i = 0, n = 0; list && i < json_array_get_length(list) && n < 2; i++) {
    JsonNode *a = json_array_get_element(list, i);
    JsonObject *ao = JSON_NODE_HOLDS_OBJECT(a) ? json_node_get_object(a) : NULL;
    if (!vindu_wire_string(ao, "id") || !vindu_wire_string(ao, "label"))
      continue;
    item->action_id[n] = dup_member(ao, "id");
    item->action_label[n++] = dup_member(ao, "label");
  }
  if (item->id && item->title)
    g_ptr_array_add(p->today, item);
  else
    today_item_free(item);
}

static void
take_photo(Plugin *p, JsonObject *o)
{
  const char *file = vindu_wire_string(o, "file");
  if (!file || strlen(file) != 64 || strspn(file, "0123456789abcdef") != 64)
    return; /* a name the cache could not hold: never a path */
  VinduHostPhoto *photo = g_new0(VinduHostPhoto, 1);
  photo->plugin = g_strdup(p->name);
  photo->file = g_strdup(file);
  photo->caption = dup_member(o, "caption");
  photo->chapter = dup_member(o, "chapter");
  photo->people = dup_member(o, "people");
  photo->added_by = dup_member(o, "added_by");
  const char *voice = vindu_wire_string(o, "voice_file");
  if (voice && strlen(voice) == 64 && strspn(voice, "0123456789abcdef") == 64)
    photo->voice_file = g_strdup(voice); /* a name the cache can hold, never a path */
  photo->taken_at = vindu_wire_int(o, "taken_at", 0);
  g_ptr_array_add(p->photos, photo);
}

static void
on_list_reply(RunnerLink *link, JsonObject *reply, gpointer data, gboolean today)
{
  if (!reply)
    return;
  Plugin *p = data;
  JsonNode *items = json_object_get_member(reply, "items");
  if (!items || !JSON_NODE_HOLDS_ARRAY(items))
    return;
  g_ptr_array_set_size(today ? p->today : p->photos, 0);
  JsonArray *list = json_node_get_array(items);
  for (guint i = 0; i < json_array_get_length(list) && i < 1000; i++) {
    JsonNode *n = json_array_get_element(list, i);
    if (!JSON_NODE_HOLDS_OBJECT(n))
      continue;
    if (today)
      take_today_item(p, json_node_get_object(n));
    else
      take_photo(p, json_node_get_object(n));
  }
  gather(p->host);
}

static void
on_today_reply(RunnerLink *link, JsonObject *reply, gpointer data)
{
  on_list_reply(link, reply, data, TRUE);
}

static void
on_photos_reply(RunnerLink *link, JsonObject *reply, gpointer data)
{
  on_list_reply(link, reply, data, FALSE);
}

static void
ask_today(Plugin *p)
{
  if (p->host->today_to <= p->host->today_from)
    return;
  JsonNode *req = request("today");
  json_object_set_int_member(json_node_get_object(req), "from", p->host->today_from);
  json_object_set_int_member(json_node_get_object(req), "to", p->host->today_to);
  runner_link_request(p->link, req, on_today_reply, p);
}

static void
ask_photos(Plugin *p)
{
  runner_link_request(p->link, request("photos"), on_photos_reply, p);
}

/* --- services ------------------------------------------------------------------------------- */

static char *
timer_key(Plugin *p, gint64 id)
{
  guint index = 0;
  g_ptr_array_find(p->host->plugins, p, &index);
  return g_strdup_printf("%u\n%" G_GINT64_FORMAT, index, id);
}

static void
service_timer(Plugin *p, JsonObject *msg)
{
  gint64 id = vindu_wire_int(msg, "timer", -1), at = vindu_wire_int(msg, "at", G_MININT64);
  if (id < 0 || id > G_MAXUINT || at == G_MININT64)
    return;
  char *key = timer_key(p, id);
  fault_blame_timer_set(p->blame, id);
  if (at < 0) {
    g_hash_table_remove(p->host->timers, key);
    g_free(key);
  } else {
    gint64 *due = g_new(gint64, 1);
    *due = MIN(at, G_MAXINT64 / 1000) * 1000;
    g_hash_table_replace(p->host->timers, key, due);
  }
  arm_timers(p->host);
}

static void
service_storage(Plugin *p, JsonObject *msg)
{
  if (p->storage && !vindu_plugin_storage_set(p->storage, vindu_wire_string(msg, "key"),
                                              vindu_wire_string(msg, "value")))
    g_message("plugin %s: storage change refused (over %d bytes, or not text)", p->name,
              VINDU_STORAGE_MAX);
}

static void
service_log(Plugin *p, JsonObject *msg)
{
  gint64 level = vindu_wire_int(msg, "level", VINDU_LOG_INFO);
  const char *text = vindu_wire_string(msg, "message");
  GLogLevelFlags flags = level >= VINDU_LOG_WARNING ? G_LOG_LEVEL_WARNING
                         : level == VINDU_LOG_INFO  ? G_LOG_LEVEL_INFO
                                                    : G_LOG_LEVEL_DEBUG;
  g_log(G_LOG_DOMAIN, flags, "plugin %s: %.300s", p->name, text ? text : "");
}

static void
on_service(RunnerLink *link, JsonObject *msg, gpointer data)
{
  Plugin *p = data;
  const char *svc = vindu_wire_string(msg, "svc");
  if (g_str_equal(svc, "log"))
    service_log(p, msg);
  else if (g_str_equal(svc, "timer"))
    service_timer(p, msg);
  else if (g_str_equal(svc, "today_changed"))
    ask_today(p);
  else if (g_str_equal(svc, "photos_changed"))
    ask_photos(p);
  else if (g_str_equal(svc, "storage"))
    service_storage(p, msg);
  else if (p->host->hooks.service)
    p->host->hooks.service(p->host->hooks.data, p->name, msg);
}

/* For g_ptr_array_sort, which passes pointers to the elements. */
static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* --- timers on the kiosk's clock ---------------------------------------------------------- */

static void
fire_due_timers(VinduPluginHost *host)
{
  gint64 now = now_ms(host);
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func(g_free);
  g_hash_table_iter_init(&iter, host->timers);
  while (g_hash_table_iter_next(&iter, &key, &value))
    if (*(gint64 *)value <= now)
      g_ptr_array_add(due, g_strdup(key));
  g_ptr_array_sort(due, compare_strings);
  for (guint i = 0; i < due->len; i++) {
    g_hash_table_remove(host->timers, due->pdata[i]);
    guint index = 0;
    gint64 id = 0;
    if (sscanf(due->pdata[i], "%u\n%" G_GINT64_FORMAT, &index, &id) != 2 ||
        index >= host->plugins->len)
      continue;
    Plugin *p = host->plugins->pdata[index];
    JsonNode *req = request("timer");
    json_object_set_int_member(json_node_get_object(req), "timer", id);
    runner_link_request(p->link, req, NULL, NULL);
  }
}

static gboolean
timer_cb(gpointer data)
{
  VinduPluginHost *host = data;
  host->timer_source = 0;
  fire_due_timers(host);
  arm_timers(host);
  return G_SOURCE_REMOVE;
}

/* One GLib timeout, for the soonest timer. */
static void
arm_timers(VinduPluginHost *host)
{
  g_clear_handle_id(&host->timer_source, g_source_remove);
  gint64 soonest = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, host->timers);
  while (g_hash_table_iter_next(&iter, NULL, &value))
    soonest = MIN(soonest, *(gint64 *)value);
  if (soonest == G_MAXINT64)
    return;
  gint64 wait = CLAMP(soonest - now_ms(host), 0, 3600 * 1000);
  host->timer_source = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)wait, timer_cb, host, NULL);
}

static void
drop_timers_of(Plugin *p)
{
  g_autofree char *prefix = timer_key(p, 0);
  *strchr(prefix, '\n') = '\0';
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init(&iter, p->host->timers);
  while (g_hash_table_iter_next(&iter, &key, NULL))
    if (g_str_has_prefix(key, prefix) && ((char *)key)[strlen(prefix)] == '\n')
      g_hash_table_iter_remove(&iter);
  arm_timers(p->host);
}

/* --- the runner's life ---------------------------------------------------------------------- */

static JsonNode *
context_node(VinduPluginHost *host, const char *set)
{
  JsonNode *node = request("context");
  JsonObject *o = json_node_get_object(node);
  json_object_remove_member(o, "call");
  if (set)
    json_object_set_string_member(o, "set", set);
  json_object_set_string_member(o, "language", host->language);
  json_object_set_boolean_member(o, "quiet", host->quiet);
  json_object_set_int_member(o, "clock_offset_ms", now_ms(host) - g_get_real_time() / 1000);
  json_object_set_array_member(o, "people",
                               host->people ? json_array_ref(host->people) : json_array_new());
  return node;
}

static char *
storage_path(VinduPluginHost *host, const char *name)
{
  if (!host->opts.state_dir)
    return NULL;
  g_autofree char *file = g_strdup_printf("%s.storage.json", name);
  return g_build_filename(host->opts.state_dir, file, NULL);
}

static void
on_build_open(RunnerLink *link, JsonBuilder *b, gpointer data)
{
  Plugin *p = data;
  g_autoptr(JsonNode) ctx = context_node(p->host, NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  json_object_iter_init(&iter, json_node_get_object(ctx));
  while (json_object_iter_next(&iter, &name, &value)) {
    json_builder_set_member_name(b, name);
    json_builder_add_value(b, json_node_copy(value));
  }
  json_builder_set_member_name(b, "storage");
  json_builder_add_value(b, vindu_plugin_storage_to_json(p->storage));
}

static gboolean
kinds_taken_by_another(Plugin *p, const char *const *kinds)
{
  for (int i = 0; kinds[i]; i++) {
    Plugin *owner = plugin_for_kind(p->host, kinds[i]);
    if (owner && owner != p) {
      g_warning("plugin refused: %s reads \"%s\" documents, which %s already reads",
                runner_link_plugin_path(p->link), kinds[i], owner->name);
      return TRUE;
    }
  }
  return FALSE;
}

static GStrv
kinds_of(JsonObject *hello)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  JsonNode *node = json_object_get_member(hello, "kinds");
  JsonArray *list = node && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
  for (guint i = 0; list && i < json_array_get_length(list); i++) {
    const char *kind = json_array_get_string_element(list, i);
    if (vindu_plugin_name_is_valid(kind))
      g_strv_builder_add(b, kind);
  }
  return g_strv_builder_end(b);
}

/* Every document of its kinds, in a fixed order, except those set aside. */
static void
replay(Plugin *p)
{
  g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(p->host->docs), (GCompareFunc)strcmp);
  for (GList *k = keys; k; k = k->next) {
    Document *d = g_hash_table_lookup(p->host->docs, k->data);
    if (g_strv_contains((const char *const *)p->kinds, d->kind) &&
        !vindu_quarantine_holds(p->host->quarantine, d->kind, d->doc, d->rev))
      send_document(p, d, FALSE);
  }
}

/* Start-up goes one plugin after the other: the next starts once this one has settled. */
static void
settled(Plugin *p)
{
  if (p->settled)
    return;
  p->settled = TRUE;
  plugin_start_next(p->host);
}

static void
on_opened(RunnerLink *link, JsonObject *hello, gpointer data)
{
  Plugin *p = data;
  VinduPluginHost *host = p->host;
  if (!p->name) {
    g_auto(GStrv) kinds = kinds_of(hello);
    const char *name = vindu_wire_string(hello, "name");
    if (plugin_named(host, name) || kinds_taken_by_another(p, (const char *const *)kinds)) {
      if (plugin_named(host, name))
        g_warning("plugin refused: %s is named %s, as another plugin already is",
                  runner_link_plugin_path(link), name);
      runner_link_refuse(link);
      settled(p);
      notify_changed(host);
      return;
    }
    p->name = g_strdup(name);
    p->version = dup_member(hello, "version");
    p->description = dup_member(hello, "description");
    p->kinds = g_steal_pointer(&kinds);
    g_autofree char *kinds_text = g_strjoinv(", ", p->kinds);
    g_message("plugin %s %s (ABI %s) runs, reading %s documents", p->name, p->version,
              vindu_wire_string(hello, "abi"), kinds_text);
  }
  replay(p);
  ask_today(p);
  ask_photos(p);
  settled(p);
  notify_changed(host);
}

static void
on_refused(RunnerLink *link, const char *why, gpointer data)
{
  Plugin *p = data;
  g_warning("plugin refused: %s", why); /* the one clear line; the kiosk runs on */
  settled(p);
  notify_changed(p->host);
}

static void
on_fault(RunnerLink *link, const char *what, JsonObject *req, gpointer data)
{
  Plugin *p = data;
  drop_timers_of(p);
  const FaultBlameDoc *blamed = p->name ? fault_blame_for(p->blame, req) : NULL;
  if (blamed &&
      vindu_quarantine_fault(p->host->quarantine, p->name, blamed->kind, blamed->doc, blamed->rev))
    notify_changed(p->host);
  settled(p); /* a plugin that never starts must not hold up the others */
  notify_changed(p->host);
}

/* --- the host's face to the kiosk ------------------------------------------------------------ */

VinduPluginHost *
vindu_plugin_host_new(const VinduPluginHostOptions *options, const VinduPluginHostHooks *hooks)
{
  VinduPluginHost *host = g_new0(VinduPluginHost, 1);
  host->opts = *options;
  host->opts.runner_path = g_strdup(options->runner_path);
  host->opts.state_dir = g_strdup(options->state_dir);
  if (!host->opts.deadline_ms)
    host->opts.deadline_ms = 2000;
  host->hooks = *hooks;
  host->plugins = g_ptr_array_new_with_free_func((GDestroyNotify)plugin_free);
  host->docs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)document_free);
  host->timers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  host->today = g_ptr_array_new();
  host->photos = g_ptr_array_new();
  host->language = g_strdup("en");
  g_autofree char *qpath =
      options->state_dir ? g_build_filename(options->state_dir, "quarantine.json", NULL) : NULL;
  if (options->state_dir)
    g_mkdir_with_parents(options->state_dir, 0700);
  host->quarantine = vindu_quarantine_new(qpath);
  return host;
}

void
vindu_plugin_host_free(VinduPluginHost *host)
{
  if (!host)
    return;
  g_clear_handle_id(&host->timer_source, g_source_remove);
  g_ptr_array_unref(host->today);
  g_ptr_array_unref(host->photos);
  g_ptr_array_unref(host->plugins);
  g_hash_table_unref(host->docs);
  g_hash_table_unref(host->timers);
  vindu_quarantine_free(host->quarantine);
  g_clear_pointer(&host->people, json_array_unref);
  g_free(host->language);
  g_free((char *)host->opts.runner_path);
  g_free((char *)host->opts.state_dir);
  g_free(host);
}

static void
plugin_start_next(VinduPluginHost *host)
{
  if (host->next_to_start < host->plugins->len)
    runner_link_start(((Plugin *)host->plugins->pdata[host->next_to_start++])->link);
}

static Plugin *
plugin_new(VinduPluginHost *host, const char *path)
{
  Plugin *p = g_new0(Plugin, 1);
  p->host = host;
  p->today = g_ptr_array_new_with_free_func((GDestroyNotify)today_item_free);
  p->photos = g_ptr_array_new_with_free_func((GDestroyNotify)photo_free);
  p->blame = fault_blame_new();
  g_autofree char *base = g_path_get_basename(path);
  base[strlen(base) - 3] = '\0'; /* "reminders.so" keeps "reminders.storage.json" */
  g_autofree char *spath = storage_path(host, base);
  p->storage = vindu_plugin_storage_new(spath);
  RunnerLinkOptions lo = {
      .runner_path = host->opts.runner_path,
      .plugin_path = path,
      .memory_mb = host->opts.memory_mb,
      .deadline_ms = host->opts.deadline_ms,
      .open_deadline_ms = MAX(host->opts.deadline_ms, 5000),
  };
  RunnerLinkEvents ev = {
      .build_open = on_build_open,
      .opened = on_opened,
      .refused = on_refused,
      .service = on_service,
      .fault = on_fault,
      .data = p,
  };
  p->link = runner_link_new(&lo, &ev);
  return p;
}

guint
vindu_plugin_host_load_dir(VinduPluginHost *host, const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  if (!listing)
    return 0;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(listing)) != NULL)
    if (g_str_has_suffix(name, ".so") && strlen(name) > 3)
      g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
  g_ptr_array_sort(paths, compare_strings);
  gboolean idle = host->next_to_start == host->plugins->len;
  for (guint i = 0; i < paths->len; i++)
    g_ptr_array_add(host->plugins, plugin_new(host, paths->pdata[i]));
  if (idle)
    plugin_start_next(host);
  return paths->len;
}

void
vindu_plugin_host_set_context(VinduPluginHost *host, const char *language, gboolean quiet,
                              JsonArray *people)
{
  g_free(host->language);
  host->language = g_strdup(language ? language : "en");
  host->quiet = quiet;
  g_clear_pointer(&host->people, json_array_unref);
  host->people = people ? json_array_ref(people) : NULL;
  for (guint i = 0; i < host->plugins->len; i++)
    runner_link_set(((Plugin *)host->plugins->pdata[i])->link, context_node(host, "context"));
}

void
vindu_plugin_host_clock_changed(VinduPluginHost *host)
{
  for (guint i = 0; i < host->plugins->len; i++)
    runner_link_set(((Plugin *)host->plugins->pdata[i])->link, context_node(host, "context"));
  fire_due_timers(host);
  arm_timers(host);
}

gboolean
vindu_plugin_host_put_document(VinduPluginHost *host, const char *kind, const char *doc, gint64 rev,
                               const char *body_json)
{
  if (!vindu_plugin_name_is_valid(kind) || !doc || !*doc)
    return FALSE;
  g_autofree char *key = g_strdup_printf("%s\n%s", kind, doc);
  if (body_json) {
    Document *d = g_new0(Document, 1);
    d->kind = g_strdup(kind);
    d->doc = g_strdup(doc);
    d->rev = rev;
    d->body = g_strdup(body_json);
    g_hash_table_replace(host->docs, g_strdup(key), d);
  } else {
    g_hash_table_remove(host->docs, key);
  }
  /* a new revision, or a deletion, gets a fresh try */
  if (vindu_quarantine_release(host->quarantine, kind, doc, body_json ? rev : G_MAXINT64))
    notify_changed(host);
  Plugin *p = plugin_for_kind(host, kind);
  if (!p || runner_link_state(p->link) != RUNNER_RUNNING ||
      vindu_quarantine_holds(host->quarantine, kind, doc, rev))
    return p != NULL; /* a runner that is (re)starting gets it with the others */
  Document now = {(char *)kind, (char *)doc, (char *)body_json, rev};
  send_document(p, &now, TRUE);
  ask_today(p);
  ask_photos(p);
  return TRUE;
}

void
vindu_plugin_host_refresh(VinduPluginHost *host, gint64 from, gint64 to)
{
  host->today_from = from;
  host->today_to = to;
  for (guint i = 0; i < host->plugins->len; i++) {
    Plugin *p = host->plugins->pdata[i];
    if (runner_link_state(p->link) == RUNNER_RUNNING) {
      ask_today(p);
      ask_photos(p);
    }
  }
}

GPtrArray *
vindu_plugin_host_today(VinduPluginHost *host)
{
  return host->today;
}

GPtrArray *
vindu_plugin_host_photos(VinduPluginHost *host)
{
  return host->photos;
}

void
vindu_plugin_host_action(VinduPluginHost *host, const char *plugin, const char *item,
                         const char *action)
{
  Plugin *p = plugin_named(host, plugin);
  if (!p || !item || !action)
    return;
  p->touched_us = g_get_monotonic_time();
  JsonNode *req = request("action");
  json_object_set_string_member(json_node_get_object(req), "item", item);
  json_object_set_string_member(json_node_get_object(req), "action", action);
  runner_link_request(p->link, req, NULL, NULL);
}

gboolean
vindu_plugin_host_may_call(VinduPluginHost *host, const char *plugin)
{
  Plugin *p = plugin_named(host, plugin);
  return p && p->touched_us && g_get_monotonic_time() - p->touched_us < CALL_AFTER_TOUCH_US;
}

guint
vindu_plugin_host_count(VinduPluginHost *host)
{
  return host->plugins->len;
}

void
vindu_plugin_host_info(VinduPluginHost *host, guint i, VinduHostPluginInfo *out)
{
  static const char *const none[] = {NULL};
  static const char *const states[] = {"starting", "running", "restarting", "refused", "stopped"};
  Plugin *p = host->plugins->pdata[i];
  RunnerState state = runner_link_state(p->link);
  out->name = p->name;
  out->version = p->version;
  out->description = p->description;
  /* not yet started counts as starting; a stopped link after a refusal says refused */
  out->state = state == RUNNER_STOPPED ? "starting" : states[state];
  out->kinds = p->kinds ? (const char *const *)p->kinds : none;
  out->file = runner_link_plugin_path(p->link);
  out->starts = runner_link_starts(p->link);
  out->pid = runner_link_pid(p->link);
}

VinduQuarantine *
vindu_plugin_host_quarantine(VinduPluginHost *host)
{
  return host->quarantine;
}
