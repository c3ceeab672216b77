#define G_LOG_DOMAIN "vindu-hub"
#include "clock.h"
#include "call_survival.h"

#include "calls_internal.h"

/* Rows older than this are not taken up at start: no call lasts that long unattended. */
#define RESTORE_MAX_AGE_S (6 * 3600)

static gboolean
both_sides_here(Call *call)
{
  return call->caller_conn && call->callee_conn;
}

/* Time is up and a side is still away: the call truly ended; whoever is connected is told. */
static gboolean
on_resume_timeout(gpointer data)
{
  Call *call = data;
  call->resume_timer = 0;
  g_autoptr(VpMessage) m = calls_new_msg(VP_CALL_HANGUP, call);
  vp_message_set_string(m, "reason", "peer_lost");
  if (call->caller_conn) {
    conn_send(call->caller_conn, m);
  } else {
    GPtrArray *list = hub_subject_conns(call->hub, call->caller);
    for (guint i = 0; list && i < list->len; i++)
      conn_send(list->pdata[i], m);
  }
  calls_send_to_callee(call, m, NULL);
  g_message("call %s: a side did not come back in %d s", call->id,
            call->hub->config->call_resume_grace_s);
  calls_end_call(call, "peer_lost");
  return G_SOURCE_REMOVE;
}

static void
wait_for_sides(Call *call)
{
  if (!call->resume_timer)
    call->resume_timer = g_timeout_add_seconds((guint)call->hub->config->call_resume_grace_s,
                                               on_resume_timeout, call);
}

static void
stop_waiting_if_whole(Call *call)
{
  if (both_sides_here(call) && call->resume_timer) {
    g_source_remove(call->resume_timer);
    call->resume_timer = 0;
  }
}

gboolean
call_survival_detach(Call *call, Conn *c)
{
  /* a person's page comes back too (web/call.js resume()); one closed on purpose hangs up first */
  if (call->state != CALL_ACTIVE || (c->role != CONN_KIOSK && c->role != CONN_PERSON) ||
      call->hub->config->call_resume_grace_s <= 0)
    return FALSE;
  if (call->caller_conn == c)
    call->caller_conn = NULL;
  else if (call->callee_conn == c)
    call->callee_conn = NULL;
  else
    return FALSE;
  wait_for_sides(call);
  return TRUE;
}

/* c's side of the call, or NULL if c is neither side. */
static Conn **
side_of(Call *call, Conn *c)
{
  if (!c->self_id)
    return NULL;
  if (g_strcmp0(call->caller, c->self_id) == 0)
    return &call->caller_conn;
  if (g_strcmp0(call->callee, c->self_id) == 0)
    return &call->callee_conn;
  return NULL;
}

void
call_survival_adopt(Call *call, Conn *c)
{
  if (!call || call->state != CALL_ACTIVE)
    return;
  Conn **side = side_of(call, c);
  if (!side || *side)
    return;
  *side = c;
  stop_waiting_if_whole(call);
}

void
call_survival_resume(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  Call *call = g_hash_table_lookup(c->hub->calls, vp_message_get_string(m, "call"));
  Conn **side = call && call->state == CALL_ACTIVE ? side_of(call, c) : NULL;
  if (!side) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "This call has ended.");
    return;
  }
  *side = c; /* the newest connection: an old one may not have been noticed gone yet */
  stop_waiting_if_whole(call);
  if (re)
    conn_send_ok(c, re);
}

/* Closes rows left open by a hub that stopped without ending them: all of them (`id` NULL), or
 * those that cannot be live any more (ringing, or older than RESTORE_MAX_AGE_S), or one. */
static void
close_open_rows(Hub *hub, const char *id, gint64 started_before)
{
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "UPDATE calls SET ended_at=?, outcome='hub_stopped' WHERE ended_at IS NULL AND "
      "(?2 IS NULL OR id=?2) AND (?3 = 0 OR answered_at IS NULL OR started_at < ?3)",
      NULL);
  if (!st)
    return;
  sqlite3_bind_int64(st, 1, hub_clock_now_s());
  hub_db_bind_text(st, 2, id);
  sqlite3_bind_int64(st, 3, started_before);
  sqlite3_step(st);
  sqlite3_reset(st);
}

static void
take_up(Hub *hub, sqlite3_stmt *row)
{
  Call *call = g_new0(Call, 1);
  call->hub = hub;
  call->id = g_strdup(hub_db_col_text(row, 0));
  call->household = g_strdup(hub_db_col_text(row, 1));
  call->caller = g_strdup(hub_db_col_text(row, 2));
  call->callee = g_strdup(hub_db_col_text(row, 3));
  call->state = CALL_ACTIVE;
  g_hash_table_insert(hub->calls, call->id, call);
  g_hash_table_insert(hub->subject_call, g_strdup(call->caller), call);
  g_hash_table_insert(hub->subject_call, g_strdup(call->callee), call);
  wait_for_sides(call);
  g_message("call %s taken up again: waiting for both sides", call->id);
}

void
call_survival_restore(Hub *hub)
{
  if (hub->config->call_resume_grace_s <= 0) {
    close_open_rows(hub, NULL, 0);
    return;
  }
  close_open_rows(hub, NULL, hub_clock_now_s() - RESTORE_MAX_AGE_S);
  sqlite3_stmt *st = hub_db_prepare(
      hub->db, "SELECT id, household_id, caller, callee FROM calls WHERE ended_at IS NULL", NULL);
  if (!st)
    return;
  g_autoptr(GPtrArray) duplicates = g_ptr_array_new_with_free_func(g_free);
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (g_hash_table_contains(hub->subject_call, hub_db_col_text(st, 2)) ||
        g_hash_table_contains(hub->subject_call, hub_db_col_text(st, 3)))
      g_ptr_array_add(duplicates, g_strdup(hub_db_col_text(st, 0))); /* one call per subject */
    else
      take_up(hub, st);
  }
  sqlite3_reset(st);
  for (guint i = 0; i < duplicates->len; i++)
    close_open_rows(hub, duplicates->pdata[i], 0);
}
