#define G_LOG_DOMAIN "vindu-plugins"
#include "host_lists.h"

#include "plugin_wire.h"

#include <string.h>

void
host_today_item_free(VinduHostTodayItem *item)
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

void
host_photo_free(VinduHostPhoto *p)
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
on_put_reply(RunnerLink *link, JsonObject *reply, gpointer data)
{
  char *what = data; /* "kind/doc": never the words */
  if (reply && !json_object_get_boolean_member_with_default(reply, "ok", FALSE))
    g_message("plugin for %s did not understand the document; it keeps what it had", what);
  g_free(what);
}

void
host_send_document(Plugin *p, Document *d, gboolean fresh)
{
  fault_blame_given(p->blame, d->kind, d->doc, d->rev, fresh);
  JsonNode *req = host_request("put");
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
  host_notify_changed(host);
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
    host_today_item_free(item);
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

void
host_ask_today(Plugin *p)
{
  if (p->host->today_to <= p->host->today_from)
    return;
  JsonNode *req = host_request("today");
  json_object_set_int_member(json_node_get_object(req), "from", p->host->today_from);
  json_object_set_int_member(json_node_get_object(req), "to", p->host->today_to);
  runner_link_request(p->link, req, on_today_reply, p);
}

void
host_ask_photos(Plugin *p)
{
  runner_link_request(p->link, host_request("photos"), on_photos_reply, p);
}
