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

typedef struct {
  const VinduHost *host;
  GHashTable *activities; /* doc id -> Activity* */
} Activities;

static void
activity_free(Activity *activity)
{
  g_free(activity->label);
  g_free(activity);
}

static int
activities_open(const VinduHost *host, void **out)
{
  Activities *self = g_new0(Activities, 1);
  self->host = host;
  self->activities = document_table_new((GDestroyNotify)activity_free);
  *out = self;
  return 0;
}

static void
activities_close(void *data)
{
  Activities *self = data;
  g_hash_table_unref(self->activities);
  g_free(self);
}

static int
activities_put(void *data, const char *kind, const char *doc_id, long long rev,
               const char *body_json)
{
  Activities *self = data;
  if (!body_json) {
    g_hash_table_remove(self->activities, doc_id);
    self->host->today_changed(self->host);
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
  g_hash_table_replace(self->activities, g_strdup(doc_id), activity);
  self->host->today_changed(self->host);
  return 0;
}

static void
activities_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Activities *self = data;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->activities);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    const Activity *activity = value;
    if (activity->starts_at >= from && activity->starts_at < to) {
      VinduTodayItem item = {.id = key,
                             .starts_at = activity->starts_at,
                             .title = activity->label,
                             .kind = "activity"};
      emit(ctx, &item);
    }
  }
}

static const char *const kinds[] = {"activity", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "activities",
    .version = "2.0.0",
    .description = "Invitations to activities, on the today strip",
    .kinds = kinds,
    .open = activities_open,
    .close = activities_close,
    .put_document = activities_put,
    .today = activities_today,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
