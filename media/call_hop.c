/* Reference counting, the hop to the main context, and the call's state (media/call_private.h). */
#include "media/call_private.h"

VinduCall *
vindu_call_ref(VinduCall *call)
{
  g_atomic_ref_count_inc(&call->refs);
  return call;
}

void
vindu_call_unref(VinduCall *call)
{
  if (!g_atomic_ref_count_dec(&call->refs))
    return;
  vindu_frame_slot_free(call->slot);
  vindu_frame_slot_free(call->preview_slot);
  vindu_stats_tracker_free(call->stats);
  vindu_congestion_free(call->congestion);
  g_clear_pointer(&call->remote_fingerprints, g_ptr_array_unref);
  g_mutex_clear(&call->fingerprint_lock);
  for (gsize i = 0; i < G_N_ELEMENTS(call->strings); i++)
    g_free(call->strings[i]);
  g_main_context_unref(call->context);
  g_free(call);
}

typedef struct {
  VinduCall *call;
  VinduCallMainFunc func;
  gpointer data;
  GDestroyNotify destroy;
} Hop;

static gboolean
hop_run(gpointer user_data)
{
  Hop *hop = user_data;
  if (!g_atomic_int_get(&hop->call->closed))
    hop->func(hop->call, hop->data);
  return G_SOURCE_REMOVE;
}

static void
hop_free(gpointer user_data)
{
  Hop *hop = user_data;
  if (hop->destroy)
    hop->destroy(hop->data);
  vindu_call_unref(hop->call);
  g_free(hop);
}

/* Runs func on the call's context in a later iteration, never inline, so callbacks do not
 * re-enter the caller. data: (transfer full) */
void
vindu_call_hop(VinduCall *call, VinduCallMainFunc func, gpointer data, GDestroyNotify destroy)
{
  Hop *hop = g_new(Hop, 1);
  *hop = (Hop){vindu_call_ref(call), func, data, destroy};
  GSource *source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, hop_run, hop, hop_free);
  g_source_attach(source, call->context);
  g_source_unref(source);
}

gboolean
vindu_call_state_is_final(VinduCallState state)
{
  return state == VINDU_CALL_STATE_PEER_LOST || state == VINDU_CALL_STATE_FAILED;
}

/* Main thread. reason: (transfer none) (nullable) */
void
vindu_call_set_state(VinduCall *call, VinduCallState state, const GError *reason)
{
  if (call->state == state || vindu_call_state_is_final(call->state))
    return;
  call->state = state;
  if (reason)
    g_message("call %u: %s: %s", call->id, vindu_call_state_name(state), reason->message);
  else
    g_message("call %u: %s", call->id, vindu_call_state_name(state));
  if (vindu_call_state_is_final(state)) {
    /* Stop sending at once; the owner frees the session (and the pipeline) when it likes. */
    if (call->pipeline)
      gst_element_set_state(call->pipeline, GST_STATE_NULL);
  }
  if (call->callbacks.state_changed)
    call->callbacks.state_changed(call, state, reason, call->user_data);
}

static void
fail_main(VinduCall *call, gpointer data)
{
  vindu_call_set_state(call, VINDU_CALL_STATE_FAILED, data);
}

/* Any thread. */
void
vindu_call_fail_later(VinduCall *call, int code, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree char *message = g_strdup_vprintf(format, args);
  va_end(args);
  GError *error = g_error_new_literal(VINDU_MEDIA_ERROR, code, message);
  vindu_call_hop(call, fail_main, error, (GDestroyNotify)g_error_free);
}

static void
connected_main(VinduCall *call, gpointer data)
{
  vindu_call_set_state(call, VINDU_CALL_STATE_CONNECTED, NULL);
}

/* Streaming thread: RTP or RTCP from the peer proves it is there. */
void
vindu_call_note_media(VinduCall *call)
{
  if (g_atomic_int_get(&call->dtls_refused))
    return;
  g_atomic_int_set(&call->last_media_ms,
                   (gint)((g_get_monotonic_time() - call->created_us) / 1000));
  if (!g_atomic_int_get(&call->media_seen) &&
      g_atomic_int_compare_and_exchange(&call->media_seen, 0, 1))
    vindu_call_hop(call, connected_main, NULL, NULL);
}
