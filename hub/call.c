/* One call as the hub keeps it in memory (calls_internal.h), below the signalling (calls.c) and
 * a call's survival (call_survival.c), which both end calls and send to their sides: its end
 * (the outcome logged, forgotten, freed, presence told), the messages naming it, the callee
 * side, and all calls at once when the hub stops. */
#define G_LOG_DOMAIN "vindu-hub"
#include "calls_internal.h"
#include "clock.h"

static void
log_outcome(Hub *hub, Call *call, const char *outcome)
{
  sqlite3_stmt *st = hub_db_prepare(
      hub->db, "UPDATE calls SET ended_at=?, outcome=? WHERE id=? AND ended_at IS NULL", NULL);
  if (!st)
    return;
  sqlite3_bind_int64(st, 1, hub_clock_now_s());
  hub_db_bind_text(st, 2, outcome);
  hub_db_bind_text(st, 3, call->id);
  sqlite3_step(st);
  sqlite3_reset(st);
}

static void
call_free(Call *call)
{
  if (call->ring_timer)
    g_source_remove(call->ring_timer);
  if (call->resume_timer)
    g_source_remove(call->resume_timer);
  g_free(call->id);
  g_free(call->household);
  g_free(call->caller);
  g_free(call->callee);
  g_free(call->caller_name);
  g_clear_pointer(&call->no_webrtc, g_ptr_array_unref);
  g_free(call);
}

void
calls_end_call(Call *call, const char *outcome)
{
  Hub *hub = call->hub;
  gboolean was_active = call->state == CALL_ACTIVE;
  log_outcome(hub, call, outcome);
  if (g_hash_table_lookup(hub->subject_call, call->caller) == call)
    g_hash_table_remove(hub->subject_call, call->caller);
  if (g_hash_table_lookup(hub->subject_call, call->callee) == call)
    g_hash_table_remove(hub->subject_call, call->callee);
  g_hash_table_remove(hub->calls, call->id);
  g_autofree char *caller = g_strdup(call->caller), *callee = g_strdup(call->callee);
  call_free(call);
  if (was_active) {
    presence_subject_changed(hub, caller);
    presence_subject_changed(hub, callee);
  }
}

void
calls_free_all(Hub *hub)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, hub->calls);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    /* an answered call stays open in the log: the next start takes it up again */
    if (((Call *)value)->state != CALL_ACTIVE)
      log_outcome(hub, value, "hub_stopped");
    call_free(value);
  }
  g_hash_table_remove_all(hub->calls);
  g_hash_table_remove_all(hub->subject_call);
}

VpMessage *
calls_new_msg(VpType type, Call *call)
{
  VpMessage *m = vp_message_new(type);
  vp_message_set_string(m, "call", call->id);
  return m;
}

void
calls_send_to_callee(Call *call, VpMessage *m, Conn *except)
{
  if (call->callee_conn) {
    conn_send(call->callee_conn, m);
    return;
  }
  GPtrArray *list = hub_subject_conns(call->hub, call->callee);
  for (guint i = 0; list && i < list->len; i++)
    if (list->pdata[i] != except)
      conn_send(list->pdata[i], m);
}
