#define G_LOG_DOMAIN "vindu-plugins"
#include "host_timers.h"

#include "plugin_wire.h"

#include <stdio.h>
#include <string.h>

static char *
timer_key(Plugin *p, gint64 id)
{
  guint index = 0;
  g_ptr_array_find(p->host->plugins, p, &index);
  return g_strdup_printf("%u\n%" G_GINT64_FORMAT, index, id);
}

void
host_timers_set(Plugin *p, JsonObject *msg)
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
  host_timers_arm(p->host);
}

void
host_timers_fire_due(VinduPluginHost *host)
{
  gint64 now = host_now_ms(host);
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func(g_free);
  g_hash_table_iter_init(&iter, host->timers);
  while (g_hash_table_iter_next(&iter, &key, &value))
    if (*(gint64 *)value <= now)
      g_ptr_array_add(due, g_strdup(key));
  g_ptr_array_sort(due, host_compare_strings);
  for (guint i = 0; i < due->len; i++) {
    g_hash_table_remove(host->timers, due->pdata[i]);
    guint index = 0;
    gint64 id = 0;
    if (sscanf(due->pdata[i], "%u\n%" G_GINT64_FORMAT, &index, &id) != 2 ||
        index >= host->plugins->len)
      continue;
    Plugin *p = host->plugins->pdata[index];
    JsonNode *req = host_request("timer");
    json_object_set_int_member(json_node_get_object(req), "timer", id);
    runner_link_request(p->link, req, NULL, NULL);
  }
}

static gboolean
timer_cb(gpointer data)
{
  VinduPluginHost *host = data;
  host->timer_source = 0;
  host_timers_fire_due(host);
  host_timers_arm(host);
  return G_SOURCE_REMOVE;
}

/* One GLib timeout, for the soonest timer. */
void
host_timers_arm(VinduPluginHost *host)
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
  gint64 wait = CLAMP(soonest - host_now_ms(host), 0, 3600 * 1000);
  host->timer_source = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)wait, timer_cb, host, NULL);
}

void
host_timers_drop(Plugin *p)
{
  g_autofree char *prefix = timer_key(p, 0);
  *strchr(prefix, '\n') = '\0';
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init(&iter, p->host->timers);
  while (g_hash_table_iter_next(&iter, &key, NULL))
    if (g_str_has_prefix(key, prefix) && ((char *)key)[strlen(prefix)] == '\n')
      g_hash_table_iter_remove(&iter);
  host_timers_arm(p->host);
}
