#define G_LOG_DOMAIN "vindu-hub"
#include "checkin_due.h"

#include "clock.h"
#include "push.h"

/* A check-in is worth telling while its call still counts as made on time: the staff
 * overview's window (household.c) is an hour either side of its time. */
#define DUE_WINDOW_S 3600

static guint check_source; /* one hub per process */

typedef struct {
  char *household, *doc, *person, *title, *resident;
  gint64 at;
} DueCheckin;

static void
due_checkin_free(DueCheckin *d)
{
  g_free(d->household);
  g_free(d->doc);
  g_free(d->person);
  g_free(d->title);
  g_free(d->resident);
  g_free(d);
}

static char *
col_dup(sqlite3_stmt *st, int col)
{
  return g_strdup((const char *)sqlite3_column_text(st, col));
}

/* Check-ins whose time has come within the window, not pushed yet for that time, and whose call
 * has not been answered already (a call with its person, or any call when it names nobody). */
static GPtrArray *
due_checkins(Hub *hub, gint64 now)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)due_checkin_free);
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT d.household_id, d.doc, json_extract(d.body,'$.at'), json_extract(d.body,'$.person'),"
      " json_extract(d.body,'$.title'), h.resident FROM documents d JOIN households h ON"
      " h.id=d.household_id WHERE d.kind='checkin' AND d.deleted=0 AND"
      " json_type(d.body,'$.at')='integer' AND json_extract(d.body,'$.at')<=?1 AND"
      " json_extract(d.body,'$.at')>?1-?2 AND NOT EXISTS(SELECT 1 FROM checkin_pushes p WHERE"
      " p.household_id=d.household_id AND p.doc=d.doc AND p.at=json_extract(d.body,'$.at'))"
      " AND NOT EXISTS(SELECT 1 FROM calls c WHERE c.household_id=d.household_id AND"
      " c.answered_at IS NOT NULL AND c.started_at>=json_extract(d.body,'$.at')-?2 AND"
      " (json_extract(d.body,'$.person') IS NULL OR"
      " json_extract(d.body,'$.person') IN (c.caller, c.callee)))",
      NULL);
  if (!st)
    return list;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, DUE_WINDOW_S);
  while (sqlite3_step(st) == SQLITE_ROW) {
    DueCheckin *d = g_new0(DueCheckin, 1);
    d->household = col_dup(st, 0);
    d->doc = col_dup(st, 1);
    d->at = sqlite3_column_int64(st, 2);
    d->person = col_dup(st, 3);
    /* a title that is not a string is not shown (json_extract would give its JSON text) */
    d->title = sqlite3_column_type(st, 4) == SQLITE_TEXT ? col_dup(st, 4) : NULL;
    d->resident = col_dup(st, 5);
    g_ptr_array_add(list, d);
  }
  sqlite3_reset(st);
  return list;
}

/* Who is told: the check-in's person while still a member, else the household's staff. */
static GPtrArray *
recipients(Hub *hub, const DueCheckin *d)
{
  GPtrArray *people = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT person_id FROM memberships WHERE household_id=?1 AND revoked_at IS NULL AND"
      " ((?2 IS NOT NULL AND person_id=?2) OR (?2 IS NULL AND role IN ('staff','coordinator')))",
      NULL);
  if (!st)
    return people;
  hub_db_bind_text(st, 1, d->household);
  if (d->person)
    hub_db_bind_text(st, 2, d->person);
  else
    sqlite3_bind_null(st, 2);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(people, col_dup(st, 0));
  sqlite3_reset(st);
  return people;
}

/* Records the push before sending, so a failing database never repeats it every few seconds. */
static gboolean
note_pushed(Hub *hub, const DueCheckin *d, gint64 now)
{
  return hub_db_run(hub->db, NULL,
                    "INSERT OR IGNORE INTO checkin_pushes(household_id, doc, at, pushed_at)"
                    " VALUES(?,?,?,?)",
                    "ttii", d->household, d->doc, d->at, now) &&
         hub_db_changes(hub->db) > 0;
}

guint
checkin_due_check(Hub *hub, gint64 now)
{
  g_autoptr(GPtrArray) due = due_checkins(hub, now);
  guint queued = 0;
  for (guint i = 0; i < due->len; i++) {
    DueCheckin *d = due->pdata[i];
    if (!note_pushed(hub, d, now))
      continue;
    g_autoptr(GPtrArray) people = recipients(hub, d);
    g_message("check-in %s/%s due: %u staff told", d->household, d->doc, people->len);
    /* the title only to a person who allowed words in notifications (push.h) */
    PushNotice notice = {.kind = "checkin_due",
                         .household = d->household,
                         .from = d->resident,
                         .text = d->title,
                         .at = d->at,
                         .ttl_s = DUE_WINDOW_S};
    for (guint p = 0; p < people->len; p++)
      queued += push_notify_person(hub, people->pdata[p], &notice);
  }
  return queued;
}

static gboolean
on_check(gpointer data)
{
  checkin_due_check(data, hub_clock_now_s());
  return G_SOURCE_CONTINUE;
}

void
checkin_due_start(Hub *hub, guint period_s)
{
  checkin_due_stop(hub);
  checkin_due_check(hub, hub_clock_now_s());
  check_source = g_timeout_add_seconds(MAX(period_s, 1), on_check, hub);
}

void
checkin_due_stop(Hub *hub)
{
  (void)hub;
  g_clear_handle_id(&check_source, g_source_remove);
}
