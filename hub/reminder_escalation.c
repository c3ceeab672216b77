#define G_LOG_DOMAIN "vindu-hub"
#include "clock.h"
#include "push.h"
#include "reminder_escalation.h"

#include "common/recurrence.h"

/* A reminder written before its occurrence is escalated; one older than this is not looked at. */
#define LOOKBACK_S 86400
#define TELL_AFTER_DEFAULT_MIN 30

static guint check_source; /* one hub per process */

typedef struct {
  char *household, *doc, *title, *person;
  gint64 updated_at, tell_after_s;
  VinduRecurrence *when;
} Watched;

static void
watched_free(Watched *w)
{
  g_free(w->household);
  g_free(w->doc);
  g_free(w->title);
  g_free(w->person);
  vindu_recurrence_free(w->when);
  g_free(w);
}

static const char *
body_string(JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member(o, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

static gint64
body_int(JsonObject *o, const char *name, gint64 fallback)
{
  JsonNode *n = json_object_get_member(o, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64
             ? json_node_get_int(n)
             : fallback;
}

/* A stored reminder that names someone to tell; NULL otherwise. */
static Watched *
watched_from_row(sqlite3_stmt *st)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, (const char *)sqlite3_column_text(st, 2), -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
    return NULL;
  JsonObject *body = json_node_get_object(json_parser_get_root(parser));
  const char *person = body_string(body, "tell"), *title = body_string(body, "title");
  gint64 first = body_int(body, "starts_at", -1);
  if (!person || !title || first < 0)
    return NULL;
  /* a reminder without a zone is older than escalation; the hub's zone is all it has */
  VinduRecurrence *when =
      vindu_recurrence_new(first, body_string(body, "rrule"), body_string(body, "time_zone"), NULL);
  if (!when)
    return NULL;
  Watched *w = g_new0(Watched, 1);
  w->household = g_strdup((const char *)sqlite3_column_text(st, 0));
  w->doc = g_strdup((const char *)sqlite3_column_text(st, 1));
  w->updated_at = sqlite3_column_int64(st, 3);
  w->title = g_strdup(title);
  w->person = g_strdup(person);
  w->tell_after_s = body_int(body, "tell_after_minutes", TELL_AFTER_DEFAULT_MIN) * 60;
  w->when = when;
  return w;
}

static GPtrArray *
watched_reminders(Hub *hub)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)watched_free);
  sqlite3_stmt *st =
      hub_db_prepare(hub->db,
                     "SELECT household_id, doc, body, updated_at FROM documents"
                     " WHERE kind='reminder' AND deleted=0 AND body LIKE '%\"tell\"%'",
                     NULL);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    Watched *w = watched_from_row(st);
    if (w)
      g_ptr_array_add(list, w);
  }
  if (st)
    sqlite3_reset(st);
  return list;
}

/* Has the screen answered "done" for this occurrence, or was it told already? */
static gboolean
settled(Hub *hub, const Watched *w, gint64 due)
{
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT 1 FROM plugin_answers WHERE household_id=?1 AND kind='reminder' AND doc=?2 AND"
      " json_extract(body,'$.state')='done' AND json_extract(body,'$.due')=?3"
      " UNION ALL SELECT 1 FROM reminder_escalations WHERE household_id=?1 AND doc=?2 AND due=?3",
      NULL);
  if (!st)
    return TRUE; /* rather nothing than the same notice every few seconds */
  hub_db_bind_text(st, 1, w->household);
  hub_db_bind_text(st, 2, w->doc);
  sqlite3_bind_int64(st, 3, due);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return found;
}

static gboolean
note_told(Hub *hub, const Watched *w, gint64 due, gint64 now)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "INSERT OR IGNORE INTO reminder_escalations(household_id, doc,"
                                    " due, person_id, at) VALUES(?,?,?,?,?)",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, w->household);
  hub_db_bind_text(st, 2, w->doc);
  sqlite3_bind_int64(st, 3, due);
  hub_db_bind_text(st, 4, w->person);
  sqlite3_bind_int64(st, 5, now);
  gboolean ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_reset(st);
  return ok && sqlite3_changes(hub_db_handle(hub->db)) > 0;
}

static char *
resident_of(Hub *hub, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db, "SELECT resident FROM households WHERE id=?", NULL);
  char *name = NULL;
  if (!st)
    return g_strdup("?");
  hub_db_bind_text(st, 1, household);
  if (sqlite3_step(st) == SQLITE_ROW)
    name = g_strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_reset(st);
  return name ? name : g_strdup("?");
}

/* 0 while a screen of the household is connected; else when one was last seen. */
static gint64
offline_since(Hub *hub, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(
      hub->db, "SELECT id FROM kiosks WHERE household_id=? AND revoked_at IS NULL", NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, household);
  g_autoptr(GPtrArray) kiosks = g_ptr_array_new_with_free_func(g_free);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(kiosks, g_strdup((const char *)sqlite3_column_text(st, 0)));
  sqlite3_reset(st);
  gint64 latest = 0;
  for (guint i = 0; i < kiosks->len; i++) {
    GPtrArray *conns = hub_subject_conns(hub, kiosks->pdata[i]);
    if (conns && conns->len)
      return 0;
    latest = MAX(latest, kiosk_last_seen(hub, kiosks->pdata[i]));
  }
  return latest;
}

typedef struct {
  Hub *hub;
  Watched *w;
  gint64 now;
  guint told;
} Checking;

static gboolean
occurrence_passed(gint64 due, gpointer data)
{
  Checking *c = data;
  if (due < c->w->updated_at || settled(c->hub, c->w, due) || !note_told(c->hub, c->w, due, c->now))
    return TRUE;
  g_autofree char *resident = resident_of(c->hub, c->w->household);
  HubReminderNotConfirmed e = {
      .household = c->w->household,
      .doc = c->w->doc,
      .title = c->w->title,
      .resident = resident,
      .person = c->w->person,
      .due = due,
      .kiosk_offline_since = offline_since(c->hub, c->w->household),
      .at = c->now,
  };
  hub_reminder_not_confirmed(c->hub, &e);
  c->told++;
  return TRUE;
}

guint
reminder_escalation_check(Hub *hub, gint64 now)
{
  g_autoptr(GPtrArray) list = watched_reminders(hub);
  guint told = 0;
  for (guint i = 0; i < list->len; i++) {
    Watched *w = list->pdata[i];
    Checking c = {hub, w, now, 0};
    vindu_recurrence_each(w->when, MAX(now - LOOKBACK_S, w->updated_at), now - w->tell_after_s + 1,
                          occurrence_passed, &c);
    told += c.told;
  }
  return told;
}

static VpMessage *
escalated_message(const HubReminderNotConfirmed *e)
{
  VpMessage *m = vp_message_new(VP_REMINDER_ESCALATED);
  vp_message_set_string(m, "household", e->household);
  vp_message_set_string(m, "doc", e->doc);
  vp_message_set_int(m, "due", e->due);
  vp_message_set_string(m, "title", e->title);
  vp_message_set_string(m, "resident", e->resident);
  if (e->kiosk_offline_since > 0)
    vp_message_set_int(m, "kiosk_offline_since", e->kiosk_offline_since);
  vp_message_set_int(m, "at", e->at);
  return m;
}

void
hub_reminder_not_confirmed(Hub *hub, const HubReminderNotConfirmed *e)
{
  g_message("reminder %s/%s not confirmed: its chosen person is told", e->household, e->doc);
  g_autoptr(VpMessage) m = escalated_message(e);
  hub_send_to_subject(hub, e->person, m);
  /* and a closed page too: the title only to a person who allowed words in notifications */
  PushNotice notice = {.kind = "reminder",
                       .household = e->household,
                       .from = e->resident,
                       .text = e->title,
                       .at = e->due};
  push_notify_person(hub, e->person, &notice);
}

void
reminder_escalation_send_pending(Conn *c)
{
  Hub *hub = c->hub;
  gint64 now = hub_clock_now_s();
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT e.household_id, e.doc, e.due, e.at, d.body FROM reminder_escalations e JOIN"
      " documents d ON d.household_id=e.household_id AND d.kind='reminder' AND d.doc=e.doc"
      " WHERE e.person_id=? AND e.at>? AND d.deleted=0 AND NOT EXISTS (SELECT 1 FROM"
      " plugin_answers a WHERE a.household_id=e.household_id AND a.kind='reminder' AND"
      " a.doc=e.doc AND json_extract(a.body,'$.state')='done' AND "
      "json_extract(a.body,'$.due')=e.due)",
      NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, c->self_id);
  sqlite3_bind_int64(st, 2, now - LOOKBACK_S);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *household = (const char *)sqlite3_column_text(st, 0);
    if (!conn_member(c, household, NULL))
      continue;
    g_autoptr(JsonParser) parser = json_parser_new();
    json_parser_load_from_data(parser, (const char *)sqlite3_column_text(st, 4), -1, NULL);
    JsonNode *root = json_parser_get_root(parser);
    const char *title = root && JSON_NODE_HOLDS_OBJECT(root)
                            ? body_string(json_node_get_object(root), "title")
                            : NULL;
    g_autofree char *resident = resident_of(hub, household);
    HubReminderNotConfirmed e = {household,
                                 (const char *)sqlite3_column_text(st, 1),
                                 title ? title : "?",
                                 resident,
                                 c->self_id,
                                 sqlite3_column_int64(st, 2),
                                 offline_since(hub, household),
                                 sqlite3_column_int64(st, 3)};
    g_autoptr(VpMessage) m = escalated_message(&e);
    conn_send(c, m);
  }
  sqlite3_reset(st);
}

static gboolean
on_check(gpointer data)
{
  reminder_escalation_check(data, hub_clock_now_s());
  return G_SOURCE_CONTINUE;
}

void
reminder_escalation_start(Hub *hub, guint period_s)
{
  reminder_escalation_stop(hub);
  check_source = g_timeout_add_seconds(MAX(period_s, 1), on_check, hub);
}

void
reminder_escalation_stop(Hub *hub)
{
  g_clear_handle_id(&check_source, g_source_remove);
}
