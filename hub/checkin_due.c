#define G_LOG_DOMAIN "vindu-hub"
#include "checkin_due.h"

#include <sqlite3.h>

#define DUE_WINDOW_S HUB_CHECKIN_DUE_WINDOW_S

void
hub_checkin_due_free(HubCheckinDue *d)
{
  g_free(d->household);
  g_free(d->doc);
  g_free(d->title);
  g_free(d->resident);
  g_clear_pointer(&d->people, g_ptr_array_unref);
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
due_checkins(HubDb *db, gint64 now, GPtrArray *named)
{
  GPtrArray *list = g_ptr_array_new(); /* the caller takes each element */
  sqlite3_stmt *st = hub_db_prepare(
      db,
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
    HubCheckinDue *d = g_new0(HubCheckinDue, 1);
    d->household = col_dup(st, 0);
    d->doc = col_dup(st, 1);
    d->at = sqlite3_column_int64(st, 2);
    g_ptr_array_add(named, col_dup(st, 3)); /* the check-in's person, or NULL */
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
recipients(HubDb *db, const HubCheckinDue *d, const char *person)
{
  GPtrArray *people = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = hub_db_prepare(
      db,
      "SELECT person_id FROM memberships WHERE household_id=?1 AND revoked_at IS NULL AND"
      " ((?2 IS NOT NULL AND person_id=?2) OR (?2 IS NULL AND role IN ('staff','coordinator')))",
      NULL);
  if (!st)
    return people;
  hub_db_bind_text(st, 1, d->household);
  if (person)
    hub_db_bind_text(st, 2, person);
  else
    sqlite3_bind_null(st, 2);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(people, col_dup(st, 0));
  sqlite3_reset(st);
  return people;
}

/* Records the push before sending, so a failing database never repeats it every few seconds. */
static gboolean
note_told(HubDb *db, const HubCheckinDue *d, gint64 now)
{
  return hub_db_run(db, NULL,
                    "INSERT OR IGNORE INTO checkin_pushes(household_id, doc, at, pushed_at)"
                    " VALUES(?,?,?,?)",
                    "ttii", d->household, d->doc, d->at, now) &&
         hub_db_changes(db) > 0;
}

GPtrArray *
checkin_due_take(HubDb *db, gint64 now)
{
  g_autoptr(GPtrArray) named = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) due = due_checkins(db, now, named);
  GPtrArray *told = g_ptr_array_new_with_free_func((GDestroyNotify)hub_checkin_due_free);
  for (guint i = 0; i < due->len; i++) {
    HubCheckinDue *d = due->pdata[i];
    if (!note_told(db, d, now)) {
      hub_checkin_due_free(d);
      continue;
    }
    d->people = recipients(db, d, named->pdata[i]);
    g_ptr_array_add(told, d);
  }
  return told;
}
