/* Reminders: "Time for your walk" at 11:00 every day. A document is
 *   {"title": "Time for your walk", "starts_at": <unix s of the first time>,
 *    "rrule": "FREQ=DAILY" (optional, RFC 5545)}
 * Each occurrence is an item on the "today" strip and is read aloud at its second (a host timer
 * on the kiosk's clock). Recurrence is expanded by libical in the kiosk's local time, so "11:00
 * every day" stays at 11:00 across daylight-saving changes. */
#include "vindu/plugin.h"

#include "common/document_body.h"
#include "common/document_table.h"
#include <libical/ical.h>
#include <string.h>
#include <time.h>

#define SPEECH_TIMER 1

typedef struct {
  char *title;
  gint64 starts_at;
  char *rrule;      /* NULL: once */
  gboolean counted; /* the rule has COUNT: it must be walked from its start */
  /* The occurrences in [span_from, span_to), kept: the strip asks for nearly the same window
   * every minute, and walking a rule costs tens of microseconds a reminder in libical. */
  gint64 span_from, span_to;
  GArray *span; /* gint64 */
} Reminder;

typedef struct {
  const VinduHost *host;
  GHashTable *reminders; /* doc id -> Reminder* */
  gint64 said_until;     /* occurrences up to this second have been read aloud (or were past) */
} Reminders;

static void
reminder_free(Reminder *reminder)
{
  g_free(reminder->title);
  g_free(reminder->rrule);
  if (reminder->span)
    g_array_unref(reminder->span);
  g_free(reminder);
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
rrule_is_valid(const char *rrule, gboolean *counted)
{
  struct icalrecurrencetype recur = icalrecurrencetype_from_string(rrule);
  gboolean ok = recur.freq != ICAL_NO_RECURRENCE;
  *counted = recur.count != 0;
  icalerror_clear_errno();
  return ok;
}

/* A bound on occurrences walked per reminder, so FREQ=SECONDLY cannot stall the runner. */
#define MAX_STEPS 100000

/* Calls found(t) for each occurrence in [from, to); stops early when found says FALSE. */
static void
occurrences(const Reminder *r, gint64 from, gint64 to, gboolean (*found)(gint64, gpointer),
            gpointer data)
{
  if (!r->rrule) {
    if (r->starts_at >= from && r->starts_at < to)
      found(r->starts_at, data);
    return;
  }
  struct icalrecurrencetype recur = icalrecurrencetype_from_string(r->rrule);
  icalrecur_iterator *it = icalrecur_iterator_new(recur, local_ical_time(r->starts_at));
  if (!it)
    return;
  /* jump to a day before `from` rather than walk years of a daily rule (not with COUNT, which
   * counts from the first occurrence) */
  if (!r->counted && from - 86400 > r->starts_at)
    icalrecur_iterator_set_start(it, local_ical_time(from - 86400));
  for (int step = 0; step < MAX_STEPS; step++) {
    struct icaltimetype next = icalrecur_iterator_next(it);
    if (icaltime_is_null_time(next))
      break;
    gint64 t = unix_from_local(next);
    if (t >= to || (t >= from && !found(t, data)))
      break;
  }
  icalrecur_iterator_free(it);
}

static gboolean
keep_first(gint64 t, gpointer data)
{
  *(gint64 *)data = t;
  return FALSE;
}

/* The soonest occurrence of any reminder after `after`, within a year; -1 if none. */
static gint64
next_due(Reminders *self, gint64 after)
{
  gint64 soonest = -1;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->reminders);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    gint64 t = -1;
    occurrences(value, after + 1, after + 366 * 86400, keep_first, &t);
    if (t >= 0 && (soonest < 0 || t < soonest))
      soonest = t;
  }
  return soonest;
}

static void
arm(Reminders *self)
{
  self->host->timer_at(self->host, SPEECH_TIMER, next_due(self, self->said_until));
}

static int
reminders_open(const VinduHost *host, void **out)
{
  Reminders *self = g_new0(Reminders, 1);
  self->host = host;
  self->reminders = document_table_new((GDestroyNotify)reminder_free);
  self->said_until = host->now(host); /* what came due before we ran is not said late */
  *out = self;
  return 0;
}

static void
reminders_close(void *data)
{
  Reminders *self = data;
  g_hash_table_unref(self->reminders);
  g_free(self);
}

static int
reminders_put(void *data, const char *kind, const char *doc_id, long long rev,
              const char *body_json)
{
  Reminders *self = data;
  if (!body_json) {
    g_hash_table_remove(self->reminders, doc_id);
  } else {
    g_autoptr(JsonObject) body = document_body_parse(body_json);
    if (!body)
      return 1;
    const char *title = document_body_string(body, "title");
    const char *rrule = document_body_string(body, "rrule");
    gint64 starts_at;
    gboolean counted = FALSE;
    if (!title || !document_body_int(body, "starts_at", &starts_at))
      return 1;
    if (json_object_has_member(body, "rrule") && (!rrule || !rrule_is_valid(rrule, &counted)))
      return 1;
    Reminder *reminder = g_new0(Reminder, 1);
    reminder->title = g_strdup(title);
    reminder->starts_at = starts_at;
    reminder->rrule = g_strdup(rrule);
    reminder->counted = counted;
    g_hash_table_replace(self->reminders, g_strdup(doc_id), reminder);
  }
  arm(self);
  self->host->today_changed(self->host);
  return 0;
}

static gboolean
keep_all(gint64 t, gpointer data)
{
  g_array_append_val((GArray *)data, t);
  return TRUE;
}

/* The occurrences in [from, to), from the kept span, walked again when the window leaves it. */
static GArray *
occurrences_kept(Reminder *r, gint64 from, gint64 to)
{
  if (!r->span || from < r->span_from || to > r->span_to) {
    if (r->span)
      g_array_unref(r->span);
    r->span = g_array_new(FALSE, FALSE, sizeof(gint64));
    r->span_from = from - 86400;
    r->span_to = MAX(to, from + 86400) + 2 * 86400;
    occurrences(r, r->span_from, r->span_to, keep_all, r->span);
  }
  return r->span;
}

typedef struct {
  const char *doc_id;
  const Reminder *reminder;
  VinduTodayEmit emit;
  void *ctx;
} Emitting;

static gboolean
emit_one(gint64 t, gpointer data)
{
  Emitting *e = data;
  char id[160];
  g_snprintf(id, sizeof id, "%.120s@%" G_GINT64_FORMAT, e->doc_id, t);
  VinduTodayItem item = {.id = id, .starts_at = t, .title = e->reminder->title, .kind = "reminder"};
  e->emit(e->ctx, &item);
  return TRUE;
}

static void
reminders_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Reminders *self = data;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->reminders);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    Emitting e = {key, value, emit, ctx};
    GArray *span = occurrences_kept(value, from, to);
    for (guint i = 0; i < span->len; i++) {
      gint64 t = g_array_index(span, gint64, i);
      if (t >= from && t < to)
        emit_one(t, &e);
    }
  }
}

static gboolean
say_one(gint64 t, gpointer data)
{
  Emitting *e = data;
  const VinduHost *host = e->ctx;
  host->say(host, e->reminder->title);
  return TRUE;
}

/* Everything due since the last time is read aloud at its second (the host keeps it silent in
 * quiet hours and during a call). */
static void
reminders_timer(void *data, unsigned timer_id)
{
  Reminders *self = data;
  gint64 now = self->host->now(self->host);
  if (now <= self->said_until)
    return;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->reminders);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    Emitting e = {key, value, NULL, (void *)self->host};
    occurrences(value, self->said_until + 1, now + 1, say_one, &e);
  }
  self->said_until = now;
  arm(self);
  self->host->today_changed(self->host);
}

static const char *const kinds[] = {"reminder", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "reminders",
    .version = "2.0.0",
    .description = "Reminders on the today strip, read aloud when they come due",
    .kinds = kinds,
    .open = reminders_open,
    .close = reminders_close,
    .put_document = reminders_put,
    .today = reminders_today,
    .timer = reminders_timer,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
