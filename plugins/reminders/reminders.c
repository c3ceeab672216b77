/* Reminders: "Time for your walk" at 11:00 every day. A document is
 *   {"title": "Time for your walk", "starts_at": <unix s of the first time>,
 *    "rrule": "FREQ=DAILY" (optional, RFC 5545)}
 * Recurrence is expanded by libical in the kiosk's local time, so "11:00 every day" stays at
 * 11:00 across daylight-saving changes. */
#include "vindu/plugin.h"

#include "common/document_body.h"
#include "common/document_table.h"
#include <libical/ical.h>
#include <string.h>
#include <time.h>

typedef struct {
  char *title;
  gint64 starts_at;
  char *rrule; /* NULL: once */
} Reminder;

static void
reminder_free(Reminder *reminder)
{
  g_free(reminder->title);
  g_free(reminder->rrule);
  g_free(reminder);
}

/* The plugin's state is a document table: doc id -> Reminder*. */
static void *
reminders_open(const char *language)
{
  return document_table_new((GDestroyNotify)reminder_free);
}

/* Local wall-clock time as a floating libical time, and back. */
static struct icaltimetype
local_ical_time(gint64 t)
{
  time_t seconds = (time_t)t;
  struct tm local;
  localtime_r(&seconds, &local);
  struct icaltimetype it = icaltime_null_time();
  it.year = local.tm_year + 1900;
  it.month = local.tm_mon + 1;
  it.day = local.tm_mday;
  it.hour = local.tm_hour;
  it.minute = local.tm_min;
  it.second = local.tm_sec;
  return it;
}

static gint64
unix_from_local(struct icaltimetype it)
{
  struct tm local = {0};
  local.tm_year = it.year - 1900;
  local.tm_mon = it.month - 1;
  local.tm_mday = it.day;
  local.tm_hour = it.hour;
  local.tm_min = it.minute;
  local.tm_sec = it.second;
  local.tm_isdst = -1; /* let mktime decide: the wall-clock time is what the resident expects */
  return (gint64)mktime(&local);
}

static gboolean
rrule_is_valid(const char *rrule)
{
  struct icalrecurrencetype recur = icalrecurrencetype_from_string(rrule);
  gboolean ok = recur.freq != ICAL_NO_RECURRENCE;
  icalerror_clear_errno();
  return ok;
}

static int
reminders_put(void *self, const char *doc_id, const char *body_json)
{
  if (!body_json) {
    g_hash_table_remove(self, doc_id);
    return 0;
  }
  g_autoptr(JsonObject) body = document_body_parse(body_json);
  if (!body)
    return 1;
  const char *title = document_body_string(body, "title");
  const char *rrule = document_body_string(body, "rrule");
  gint64 starts_at;
  if (!title || !document_body_int(body, "starts_at", &starts_at))
    return 1;
  if (json_object_has_member(body, "rrule") && (!rrule || !rrule_is_valid(rrule)))
    return 1;
  Reminder *reminder = g_new0(Reminder, 1);
  reminder->title = g_strdup(title);
  reminder->starts_at = starts_at;
  reminder->rrule = g_strdup(rrule);
  g_hash_table_replace(self, g_strdup(doc_id), reminder);
  return 0;
}

/* A bound on occurrences walked per reminder, so FREQ=SECONDLY cannot stall the screen. */
#define MAX_STEPS 100000

static void
emit_occurrences(const Reminder *reminder, gint64 from, gint64 to, VinduTodayEmit emit, void *ctx)
{
  VinduTodayItem item = {0, reminder->title, "reminder"};
  if (!reminder->rrule) {
    if (reminder->starts_at >= from && reminder->starts_at < to) {
      item.starts_at = reminder->starts_at;
      emit(ctx, &item);
    }
    return;
  }
  struct icalrecurrencetype recur = icalrecurrencetype_from_string(reminder->rrule);
  icalrecur_iterator *it = icalrecur_iterator_new(recur, local_ical_time(reminder->starts_at));
  if (!it)
    return;
  for (int step = 0; step < MAX_STEPS; step++) {
    struct icaltimetype next = icalrecur_iterator_next(it);
    if (icaltime_is_null_time(next))
      break;
    gint64 t = unix_from_local(next);
    if (t >= to)
      break;
    if (t >= from) {
      item.starts_at = t;
      emit(ctx, &item);
    }
  }
  icalrecur_iterator_free(it);
}

static void
reminders_today(void *self, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self);
  while (g_hash_table_iter_next(&iter, NULL, &value))
    emit_occurrences(value, from, to, emit, ctx);
}

static const VinduPlugin plugin = {
    .abi = VINDU_PLUGIN_ABI,
    .struct_size = sizeof(VinduPlugin),
    .name = "reminders",
    .document_kind = "reminder",
    .open = reminders_open,
    .close = document_table_close,
    .put_document = reminders_put,
    .today = reminders_today,
    .photos = NULL,
};

const VinduPlugin *
vindu_plugin_v1(void)
{
  return &plugin;
}
