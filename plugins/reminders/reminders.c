/* Reminders: "Take your heart pills" at 08:00 every day. A document is
 *   {"title": "Take your heart pills", "starts_at": <unix s of the first time>,
 *    "rrule": "FREQ=DAILY" (optional, RFC 5545), "time_zone": "Europe/Oslo", "photo": <hash>,
 *    "wait_minutes": 30, "tell": <person>, "tell_after_minutes": 30}
 * Each occurrence is an item on the "today" strip and, at its second (a host timer on the
 * kiosk's one clock), a full-screen card with Done and Later (due_cards.h). Repetition is walked
 * by libical in the household's time zone (common/recurrence.h), the same code the hub uses to
 * tell someone when a reminder is not confirmed. */
#include "vindu/plugin.h"

#include "common/document_table.h"
#include "due_cards.h"
#include "reminder_doc.h"
#include <stdlib.h>

#define DUE_TIMER 1
/* What came due while the kiosk was off is looked at as far back as this. */
#define MISSED_LOOKBACK_S 86400

typedef struct {
  const VinduHost *host;
  GHashTable *reminders; /* doc id -> Reminder* */
  gint64 seen_until;     /* occurrences up to this second have come due (or were past) */
  DueCards *due;
} Reminders;

static void
save_seen(Reminders *self)
{
  char text[32];
  g_snprintf(text, sizeof text, "%" G_GINT64_FORMAT, self->seen_until);
  self->host->storage_set(self->host, "seen_until", text);
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
    Reminder *r = value;
    gint64 t = vindu_recurrence_next(r->when, after + 1, after + 366 * 86400);
    if (t >= 0 && (soonest < 0 || t < soonest))
      soonest = t;
  }
  return soonest;
}

static void
arm(Reminders *self)
{
  self->host->timer_at(self->host, DUE_TIMER, next_due(self, self->seen_until));
}

static int
reminders_open(const VinduHost *host, void **out)
{
  Reminders *self = g_new0(Reminders, 1);
  self->host = host;
  self->reminders = document_table_new((GDestroyNotify)reminder_free);
  /* Since the last time it ran: what came due while the kiosk was off is shown if still in its
   * waiting time. The first time ever, nothing old is shown. */
  g_autofree char *seen = host->storage_get(host, "seen_until");
  gint64 now = host->now(host);
  self->seen_until = seen ? MAX(g_ascii_strtoll(seen, NULL, 10), now - MISSED_LOOKBACK_S) : now;
  self->due = due_cards_new(host);
  *out = self;
  return 0;
}

static void
reminders_close(void *data)
{
  Reminders *self = data;
  due_cards_free(self->due);
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
    due_cards_forget(self->due, doc_id);
  } else {
    Reminder *r = reminder_from_body(doc_id, rev, body_json);
    if (!r)
      return 1;
    g_hash_table_replace(self->reminders, g_strdup(doc_id), r);
  }
  arm(self);
  self->host->today_changed(self->host);
  return 0;
}

static void
reminders_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Reminders *self = data;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->reminders);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    Reminder *r = value;
    GArray *span = reminder_occurrences(r, from, to);
    for (guint i = 0; i < span->len; i++) {
      gint64 t = g_array_index(span, gint64, i);
      if (t < from || t >= to)
        continue;
      char id[160];
      g_snprintf(id, sizeof id, "%.120s@%" G_GINT64_FORMAT, (const char *)key, t);
      VinduTodayItem item = {.id = id, .starts_at = t, .title = r->title, .kind = "reminder"};
      emit(ctx, &item);
    }
  }
}

typedef struct {
  Reminders *self;
  Reminder *reminder;
} Coming;

static gboolean
came_due(gint64 t, gpointer data)
{
  Coming *c = data;
  due_cards_add(c->self->due, c->reminder, t, c->self->reminders);
  return TRUE;
}

/* Everything due since the last time comes due now, at its own second. */
static void
reminders_timer(void *data, unsigned timer_id)
{
  Reminders *self = data;
  if (timer_id == DUE_CARDS_TIMER) {
    due_cards_tick(self->due, self->reminders);
    return;
  }
  gint64 now = self->host->now(self->host);
  if (now > self->seen_until) {
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, self->reminders);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
      Coming c = {self, value};
      vindu_recurrence_each(((Reminder *)value)->when, self->seen_until + 1, now + 1, came_due, &c);
    }
    self->seen_until = now;
    save_seen(self);
  }
  arm(self);
  self->host->today_changed(self->host);
}

static void
reminders_action(void *data, const char *item_id, const char *action_id)
{
  Reminders *self = data;
  due_cards_action(self->due, item_id, action_id, self->reminders);
}

static const char *const kinds[] = {"reminder", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "reminders",
    .version = "2.1.0",
    .description = "Reminders on the today strip and, when due, on a card with Done and Later",
    .kinds = kinds,
    .open = reminders_open,
    .close = reminders_close,
    .put_document = reminders_put,
    .today = reminders_today,
    .timer = reminders_timer,
    .action = reminders_action,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
