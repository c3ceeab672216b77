/* Activities: invitations to things happening at a time and place ("Coffee at the day centre,
 * Thursday 13:00"). A document is
 *   {"title": "Coffee at the day centre", "starts_at": <unix s>, "place": "Day centre" (optional)}
 * The "today" strip shows "Coffee at the day centre — Day centre". */
#include "vindu/plugin.h"

#include "common/document_body.h"
#include "common/document_table.h"

typedef struct {
  char *label;
  gint64 starts_at;
} Activity;

static void
activity_free(Activity *activity)
{
  g_free(activity->label);
  g_free(activity);
}

static void *
activities_open(const char *language)
{
  return document_table_new((GDestroyNotify)activity_free);
}

static int
activities_put(void *self, const char *doc_id, const char *body_json)
{
  if (!body_json) {
    g_hash_table_remove(self, doc_id);
    return 0;
  }
  g_autoptr(JsonObject) body = document_body_parse(body_json);
  if (!body)
    return 1;
  const char *title = document_body_string(body, "title");
  const char *place = document_body_string(body, "place");
  gint64 starts_at;
  if (!title || !*title || !document_body_int(body, "starts_at", &starts_at))
    return 1;
  Activity *activity = g_new0(Activity, 1);
  activity->label = place && *place ? g_strdup_printf("%s — %s", title, place) : g_strdup(title);
  activity->starts_at = starts_at;
  g_hash_table_replace(self, g_strdup(doc_id), activity);
  return 0;
}

static void
activities_today(void *self, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Activity *activity = value;
    if (activity->starts_at >= from && activity->starts_at < to) {
      VinduTodayItem item = {activity->starts_at, activity->label, "activity"};
      emit(ctx, &item);
    }
  }
}

static const VinduPlugin plugin = {
    .abi = VINDU_PLUGIN_ABI,
    .struct_size = sizeof(VinduPlugin),
    .name = "activities",
    .document_kind = "activity",
    .open = activities_open,
    .close = document_table_close,
    .put_document = activities_put,
    .today = activities_today,
    .photos = NULL,
};

const VinduPlugin *
vindu_plugin_v1(void)
{
  return &plugin;
}
