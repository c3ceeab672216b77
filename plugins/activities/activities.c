/* Activities: invitations to things happening at a time and place ("Coffee at the day centre,
 * Thursday 13:00"), answered on the kiosk with one touch. A document's body is described by
 * manifest.json: title, starts_at (required), photo, place, address, ends_at, who invites
 * (invited_by_name in words, invited_by the person "Call me" calls), answer_by, ride_offered,
 * ride_by, pickup_at, capacity, cancelled.
 *
 * A new invitation comes as a card, read aloud (never over a call: the host holds it; never in
 * quiet hours: held here until they end). "Yes, I'll come" asks "Do you need a ride?" when a
 * ride is offered; the answer goes to the hub through the kiosk's outbox and the card confirms
 * in words. A new time or a cancellation comes as its own card. For a "yes" there are
 * reminders the evening before, an hour before and at pick-up time, on the kiosk's clock. The
 * "today" strip shows the activity with one action, to answer or change the answer; an
 * activity that is over leaves the strip. What the resident was told and answered is kept in
 * the plugin's storage, so a restarted runner neither asks again nor forgets. */
#include "vindu/plugin.h"

#include "activity.h"
#include "cards.h"
#include "words.h"

#include "common/document_table.h"

#include <stdlib.h>

#define REMINDER_TIMER 1
#define QUIET_TIMER 2
#define QUIET_RETRY_S 300 /* quiet hours end at a minute the plugin is not told: look again */
#define EVENING_HOUR 18   /* the reminder the evening before */

typedef struct {
  const VinduHost *host;
  GHashTable *activities; /* doc id -> Activity* */
  GHashTable *held;       /* doc ids whose news waits for the end of the quiet hours */
  gint64 said_until;      /* reminders up to this second are done (or were before we ran) */
} Activities;

static gint64
now_of(Activities *self)
{
  return self->host->now(self->host);
}

static gboolean
quiet(Activities *self)
{
  const VinduHost *h = self->host;
  return VINDU_HOST_HAS(h, quiet_hours) && h->quiet_hours && h->quiet_hours(h);
}

static void
remember(Activities *self, const Activity *a)
{
  g_autofree char *key = g_strdup_printf("a:%s", a->doc);
  g_autofree char *line = activity_memory_line(a);
  self->host->storage_set(self->host, key, line);
}

static void
recall(Activities *self, Activity *a)
{
  g_autofree char *key = g_strdup_printf("a:%s", a->doc);
  char *line = self->host->storage_get(self->host, key);
  activity_memory_read(a, line);
  free(line);
}

/* The reminders of an activity she said yes to: the evening before, an hour before, pick-up. */
static int
reminders_of(const Activity *a, gint64 at[3])
{
  if (a->reply != REPLY_YES || a->cancelled)
    return 0;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local(a->starts_at);
  g_autoptr(GDateTime) day_before = start ? g_date_time_add_days(start, -1) : NULL;
  g_autoptr(GDateTime) evening =
      day_before
          ? g_date_time_new_local(g_date_time_get_year(day_before),
                                  g_date_time_get_month(day_before),
                                  g_date_time_get_day_of_month(day_before), EVENING_HOUR, 0, 0)
          : NULL;
  at[REMIND_EVENING] = evening ? g_date_time_to_unix(evening) : 0;
  at[REMIND_HOUR] = a->starts_at - 3600;
  at[REMIND_PICKUP] = a->ride == 1 && a->pickup_at ? a->pickup_at : 0;
  return 3;
}

/* The next second at which something is due: a reminder, or an activity ending. */
static void
arm(Activities *self)
{
  gint64 next = -1;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->activities);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Activity *a = value;
    gint64 at[4] = {0};
    int n = reminders_of(a, at);
    at[n++] = activity_ends(a);
    for (int i = 0; i < n; i++)
      if (at[i] > self->said_until && (next < 0 || at[i] < next))
        next = at[i];
  }
  self->host->timer_at(self->host, REMINDER_TIMER, next);
}

/* Tells the resident what is new about `a`, once per revision: the invitation, a new time, or
 * that it is cancelled. Held while the quiet hours last. */
static void
announce(Activities *self, Activity *a)
{
  gint64 now = now_of(self);
  if (a->rev <= a->seen_rev || now >= activity_ends(a))
    return;
  if (quiet(self)) {
    g_hash_table_add(self->held, g_strdup(a->doc));
    self->host->timer_at(self->host, QUIET_TIMER, now + QUIET_RETRY_S);
    return;
  }
  gboolean moved = a->seen_rev > 0 && a->told_at != a->starts_at;
  if (a->cancelled) {
    cards_close_all(self->host, a->doc); /* an open question about it is moot */
    if (a->seen_rev > 0 && !a->told_cancel)
      cards_cancelled(self->host, a);
  } else if (a->reply == REPLY_NONE || a->reply == REPLY_CALL) {
    cards_invite(self->host, a, moved);
  } else if (moved) {
    cards_changed(self->host, a);
  }
  a->seen_rev = a->rev;
  a->told_at = a->starts_at;
  a->told_cancel = a->cancelled;
  remember(self, a);
}

static int
activities_open(const VinduHost *host, void **out)
{
  Activities *self = g_new0(Activities, 1);
  self->host = host;
  self->activities = document_table_new((GDestroyNotify)activity_free);
  self->held = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  self->said_until = host->now(host); /* what came due before we ran is not said late */
  *out = self;
  return 0;
}

static void
activities_close(void *data)
{
  Activities *self = data;
  g_hash_table_unref(self->activities);
  g_hash_table_unref(self->held);
  g_free(self);
}

static int
activities_put(void *data, const char *kind, const char *doc_id, long long rev,
               const char *body_json)
{
  Activities *self = data;
  if (!body_json) {
    g_hash_table_remove(self->activities, doc_id);
    g_hash_table_remove(self->held, doc_id);
    cards_close_all(self->host, doc_id);
    g_autofree char *key = g_strdup_printf("a:%s", doc_id);
    self->host->storage_set(self->host, key, NULL);
  } else {
    Activity *a = activity_parse(doc_id, rev, body_json);
    if (!a)
      return 1;
    recall(self, a);
    g_hash_table_replace(self->activities, g_strdup(doc_id), a);
    announce(self, a);
  }
  arm(self);
  self->host->today_changed(self->host);
  return 0;
}

static void
activities_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Activities *self = data;
  const char *lang = self->host->language(self->host);
  gint64 now = now_of(self);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->activities);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    const Activity *a = value;
    if (a->starts_at < from || a->starts_at >= to || now >= activity_ends(a))
      continue; /* another day's, or over: it leaves the strip */
    g_autofree char *label = activity_label(a);
    g_autofree char *title =
        a->cancelled ? g_strdup_printf("%s: %s", activity_word(lang, W_CANCELLED), label)
                     : g_strdup(label);
    VinduTodayItem item = {
        .id = key, .starts_at = a->starts_at, .title = title, .kind = "activity"};
    if (!a->cancelled)
      item.actions[0] = (VinduAction){
          "answer", activity_word(lang, a->reply == REPLY_NONE ? W_STRIP_ANSWER : W_STRIP_CHANGE)};
    emit(ctx, &item);
  }
}

/* Her answer goes to the hub (the kiosk's outbox delivers it once) and is kept here. */
static void
send_answer(Activities *self, Activity *a)
{
  g_autofree char *body = activity_answer_json(a, now_of(self));
  if (self->host->answer(self->host, "activity", a->doc, a->rev, body) != 0)
    self->host->log(self->host, VINDU_LOG_WARNING, "an answer to an invitation was not kept");
  remember(self, a);
  arm(self);
  self->host->today_changed(self->host);
}

static void
answered(Activities *self, Activity *a, ActivityReply reply, int ride)
{
  a->reply = reply;
  a->ride = ride;
  send_answer(self, a);
  if (reply == REPLY_CALL) {
    if (!a->invited_by || self->host->call_person(self->host, a->invited_by) != 0)
      self->host->log(self->host, VINDU_LOG_INFO, "the organiser could not be called now");
  } else {
    cards_confirm(self->host, a);
  }
}

static void
invitation_action(Activities *self, Activity *a, const char *action)
{
  if (g_str_equal(action, "yes") && a->ride_offered) {
    cards_ride(self->host, a); /* answered when she has said whether she needs a ride */
  } else if (g_str_equal(action, "yes")) {
    answered(self, a, REPLY_YES, -1);
  } else if (g_str_equal(action, "no")) {
    answered(self, a, REPLY_NO, -1);
  } else if (g_str_equal(action, "call")) {
    answered(self, a, REPLY_CALL, -1);
  }
}

static void
activities_action(void *data, const char *item_id, const char *action_id)
{
  Activities *self = data;
  g_autofree char *what = NULL, *doc = NULL;
  gboolean card = cards_doc_of(item_id, &what, &doc);
  Activity *a = g_hash_table_lookup(self->activities, card ? doc : item_id);
  if (!a || a->cancelled)
    return;
  if (!card) { /* the strip item: answer, or change the answer */
    if (g_str_equal(action_id, "answer"))
      cards_invite(self->host, a, FALSE);
  } else if (g_str_equal(what, "invite")) {
    invitation_action(self, a, action_id);
  } else if (g_str_equal(what, "ride")) {
    if (g_str_equal(action_id, "ride-yes") || g_str_equal(action_id, "ride-no"))
      answered(self, a, REPLY_YES, g_str_equal(action_id, "ride-yes"));
    else /* closed without saying: she is coming, the ride is not asked for */
      answered(self, a, REPLY_YES, -1);
  } else if (g_str_equal(what, "changed") && g_str_equal(action_id, "change")) {
    cards_invite(self->host, a, FALSE);
  }
}

/* The latest reminder due in (said_until, now] for each activity (one card, not three, after a
 * long sleep), and activities that ended leave the screen. */
static void
reminders_due(Activities *self, gint64 now)
{
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->activities);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    Activity *a = value;
    gint64 ends = activity_ends(a);
    if (ends > self->said_until && ends <= now)
      cards_close_all(self->host, a->doc);
    gint64 at[3] = {0};
    int n = reminders_of(a, at), due = -1;
    for (int i = 0; i < n; i++)
      if (at[i] > self->said_until && at[i] <= now && now < ends && (due < 0 || at[i] >= at[due]))
        due = i;
    if (due >= 0)
      cards_reminder(self->host, a, (ActivityReminder)due);
  }
}

static void
release_held(Activities *self)
{
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init(&iter, self->held);
  while (g_hash_table_iter_next(&iter, &key, NULL)) {
    Activity *a = g_hash_table_lookup(self->activities, key);
    g_hash_table_iter_remove(&iter); /* before announce, which may hold it again */
    if (a)
      announce(self, a);
  }
}

static void
activities_timer(void *data, unsigned timer_id)
{
  Activities *self = data;
  gint64 now = now_of(self);
  if (timer_id == QUIET_TIMER) {
    if (quiet(self))
      self->host->timer_at(self->host, QUIET_TIMER, now + QUIET_RETRY_S);
    else
      release_held(self);
    return;
  }
  if (now <= self->said_until)
    return;
  reminders_due(self, now);
  self->said_until = now;
  arm(self);
  self->host->today_changed(self->host);
}

static const char *const kinds[] = {"activity", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "activities",
    .version = "2.1.0",
    .description = "Invitations to activities: a card to answer, a ride, reminders",
    .kinds = kinds,
    .open = activities_open,
    .close = activities_close,
    .put_document = activities_put,
    .today = activities_today,
    .timer = activities_timer,
    .action = activities_action,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
