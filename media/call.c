/* One call: the pipeline around webrtcbin, negotiation, liveness and teardown. */
#include "media/call.h"

#include <string.h>

#include <gst/app/app.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include "media/call_gate.h"
#include "media/call_internal.h"
#include "media/call_pipeline.h"
#include "media/call_private.h"
#include "media/send_size.h"

#define TICK_MS 250

static guint next_call_id;

/* -- signalling out ----------------------------------------------------------------------- */

typedef struct {
  char *type;
  char *sdp;
} LocalDescription;

static void
local_description_free(gpointer data)
{
  LocalDescription *d = data;
  g_free(d->type);
  g_free(d->sdp);
  g_free(d);
}

static void
local_description_main(VinduCall *call, gpointer data)
{
  LocalDescription *d = data;
  if (call->callbacks.local_description)
    call->callbacks.local_description(call, d->type, d->sdp, call->user_data);
}

typedef struct {
  guint mline;
  char *candidate;
} LocalCandidate;

static void
local_candidate_free(gpointer data)
{
  LocalCandidate *c = data;
  g_free(c->candidate);
  g_free(c);
}

static void
local_candidate_main(VinduCall *call, gpointer data)
{
  LocalCandidate *c = data;
  if (call->callbacks.local_candidate)
    call->callbacks.local_candidate(call, c->mline, c->candidate, call->user_data);
}

/* webrtcbin thread. */
static void
on_ice_candidate(GstElement *webrtc, guint mline, const char *candidate, VinduCall *call)
{
  /* IPv6 link-local addresses reach no peer across a router; sending them only adds pairs. */
  if (strstr(candidate, " fe80:") || strstr(candidate, " FE80:"))
    return;
  LocalCandidate *c = g_new(LocalCandidate, 1);
  *c = (LocalCandidate){mline, g_strdup(candidate)};
  vindu_call_hop(call, local_candidate_main, c, local_candidate_free);
}

/* Promise reply: the description under field, or a failure reported as FAILED. */
static GstWebRTCSessionDescription *
take_description(VinduCall *call, GstPromise *promise, const char *field)
{
  GstWebRTCSessionDescription *desc = NULL;
  const GstStructure *reply = NULL;
  if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply(promise);
  if (reply && gst_structure_has_field(reply, "error")) {
    g_autoptr(GError) error = NULL;
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, NULL);
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "could not create the %s: %s", field,
                          error ? error->message : "unknown error");
    return NULL;
  }
  if (reply)
    gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
  if (!desc)
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "webrtcbin gave no %s", field);
  return desc;
}

/* webrtcbin thread: the offer or answer exists; make it ours and send it out. */
static void
on_description_created(GstPromise *promise, gpointer user_data)
{
  VinduCall *call = user_data;
  const char *field = call->role == VINDU_CALL_ROLE_OFFERER ? "offer" : "answer";
  GstWebRTCSessionDescription *desc = take_description(call, promise, field);
  if (!desc)
    return;
  g_signal_emit_by_name(call->webrtc, "set-local-description", desc, NULL);
  LocalDescription *d = g_new(LocalDescription, 1);
  *d = (LocalDescription){g_strdup(field), gst_sdp_message_as_text(desc->sdp)};
  gst_webrtc_session_description_free(desc);
  vindu_call_hop(call, local_description_main, d, local_description_free);
}

/* webrtcbin thread. With fixed transceivers this comes once, after the pads are linked. */
static void
on_negotiation_needed(GstElement *webrtc, VinduCall *call)
{
  if (call->role != VINDU_CALL_ROLE_OFFERER ||
      !g_atomic_int_compare_and_exchange(&call->offer_made, FALSE, TRUE))
    return;
  GstPromise *promise = gst_promise_new_with_change_func(
      on_description_created, vindu_call_ref(call), (GDestroyNotify)vindu_call_unref);
  g_signal_emit_by_name(webrtc, "create-offer", NULL, promise);
  gst_promise_unref(promise); /* webrtcbin holds its own reference until it replies */
}

/* webrtcbin thread: the remote offer is set; answer it. */
static void
on_remote_offer_set(GstPromise *promise, gpointer user_data)
{
  VinduCall *call = user_data;
  const GstStructure *reply = NULL;
  if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply(promise);
  if (reply && gst_structure_has_field(reply, "error")) {
    g_autoptr(GError) error = NULL;
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, NULL);
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "the offer was refused: %s",
                          error ? error->message : "unknown error");
    return;
  }
  GstPromise *answer = gst_promise_new_with_change_func(
      on_description_created, vindu_call_ref(call), (GDestroyNotify)vindu_call_unref);
  g_signal_emit_by_name(call->webrtc, "create-answer", NULL, answer);
  gst_promise_unref(answer);
}

/* webrtcbin thread: a remote description was refused. */
static void
on_remote_answer_set(GstPromise *promise, gpointer user_data)
{
  VinduCall *call = user_data;
  const GstStructure *reply = NULL;
  if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED)
    reply = gst_promise_get_reply(promise);
  if (reply && gst_structure_has_field(reply, "error")) {
    g_autoptr(GError) error = NULL;
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, NULL);
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "the answer was refused: %s",
                          error ? error->message : "unknown error");
  }
}

/* -- connection state ---------------------------------------------------------------------- */

static void
on_ice_state(GstElement *webrtc, GParamSpec *pspec, VinduCall *call)
{
  GstWebRTCICEConnectionState state;
  g_object_get(webrtc, "ice-connection-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_ICE,
                          "no network path to the other side (ICE failed)");
}

static void
on_peer_connection_state(GstElement *webrtc, GParamSpec *pspec, VinduCall *call)
{
  GstWebRTCPeerConnectionState state;
  GstWebRTCICEConnectionState ice;
  g_object_get(webrtc, "connection-state", &state, "ice-connection-state", &ice, NULL);
  /* ICE failure is reported on its own; a failed connection over working ICE is DTLS. */
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED &&
      ice != GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_DTLS, "the encrypted connection failed (DTLS)");
}

/* webrtcbin's negotiation and connection signals (after the pipeline is built, before it runs). */
static void
connect_negotiation(VinduCall *call)
{
  g_signal_connect(call->webrtc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), call);
  g_signal_connect(call->webrtc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), call);
  g_signal_connect(call->webrtc, "notify::ice-connection-state", G_CALLBACK(on_ice_state), call);
  g_signal_connect(call->webrtc, "notify::connection-state", G_CALLBACK(on_peer_connection_state),
                   call);
}

/* -- bus and timer (main context) ------------------------------------------------------------ */

static gboolean
on_bus_message(GstBus *bus, GstMessage *message, gpointer user_data)
{
  VinduCall *call = user_data;
  switch (GST_MESSAGE_TYPE(message)) {
  case GST_MESSAGE_ERROR: {
    g_autoptr(GError) gst_error = NULL;
    g_autofree char *debug = NULL;
    gst_message_parse_error(message, &gst_error, &debug);
    g_warning("call %u: %s: %s (%s)", call->id, GST_OBJECT_NAME(GST_MESSAGE_SRC(message)),
              gst_error->message, debug ? debug : "");
    gboolean dtls = g_str_has_prefix(GST_OBJECT_NAME(GST_MESSAGE_SRC(message)), "dtls");
    g_autoptr(GError) reason =
        g_error_new(VINDU_MEDIA_ERROR, dtls ? VINDU_MEDIA_ERROR_DTLS : VINDU_MEDIA_ERROR_PIPELINE,
                    "%s", gst_error->message);
    vindu_call_set_state(call, VINDU_CALL_STATE_FAILED, reason);
    break;
  }
  case GST_MESSAGE_ELEMENT: {
    const GstStructure *s = gst_message_get_structure(message);
    if (gst_structure_has_name(s, "level")) {
      const GValue *rms = gst_structure_get_value(s, "rms");
      if (rms && GST_VALUE_HOLDS_LIST(rms) && gst_value_list_get_size(rms) > 0) {
        call->level_db = g_value_get_double(gst_value_list_get_value(rms, 0));
        call->level_us = g_get_monotonic_time();
      } else if (rms && g_strcmp0(G_VALUE_TYPE_NAME(rms), "GValueArray") == 0) {
        /* level still posts a GValueArray in 1.22. */
        G_GNUC_BEGIN_IGNORE_DEPRECATIONS
        GValueArray *array = g_value_get_boxed(rms);
        if (array && array->n_values > 0) {
          call->level_db = g_value_get_double(&array->values[0]);
          call->level_us = g_get_monotonic_time();
        }
        G_GNUC_END_IGNORE_DEPRECATIONS
      }
    }
    break;
  }
  default:
    break;
  }
  return G_SOURCE_CONTINUE;
}

static void
on_stats(GstPromise *promise, gpointer user_data)
{
  VinduCall *call = user_data;
  if (gst_promise_wait(promise) == GST_PROMISE_RESULT_REPLIED) {
    const GstStructure *reply = gst_promise_get_reply(promise);
    if (reply)
      vindu_stats_tracker_update(call->stats, reply, g_get_monotonic_time(),
                                 vindu_frame_slot_count(call->slot));
  }
}

/* A new target may afford a larger or need a smaller picture (media/send_size.h); vp8enc
 * starts afresh at the new size with a key frame, and the peer decodes whatever size comes. */
static void
follow_target_with_size(VinduCall *call, int target_kbps)
{
  const VinduCallSettings *s = &call->settings;
  int step = vindu_send_size_step(s->width, s->height, s->fps, target_kbps, call->send_step);
  if (step == call->send_step || !call->send_size)
    return;
  int w, h;
  vindu_send_size_of_step(s->width, s->height, step, &w, &h);
  g_message("call %u: sending %dx%d for %d kbit/s", call->id, w, h, target_kbps);
  g_autoptr(GstCaps) caps =
      gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
                          "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  g_object_set(call->send_size, "caps", caps, NULL);
  call->send_step = step;
}

/* Feeds the controller with what the peer's TWCC feedback says about our stream. */
static void
control_bitrate(VinduCall *call, gint64 now)
{
  VinduCongestionInput in = {
      .loss = vindu_stats_tracker_send_loss(call->stats), .delay_trend_ms = -1, .sent_kbps = -1};
  GstStructure *twcc = NULL;
  GstElement *session = NULL;
  /* With max-bundle everything rides session 0; it exists once negotiation is done. */
  if (call->rtpbin)
    g_signal_emit_by_name(call->rtpbin, "get-session", 0, &session);
  if (session) {
    g_object_get(session, "twcc-stats", &twcc, NULL);
    gst_object_unref(session);
  }
  if (twcc) {
    if (g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE) {
      g_autofree char *text = gst_structure_to_string(twcc);
      g_debug("call %u: twcc %s", call->id, text);
    }
    double pct;
    guint bitrate;
    gint64 dod;
    if (gst_structure_get_double(twcc, "packet-loss-pct", &pct))
      in.loss = pct / 100.0;
    if (gst_structure_get_uint(twcc, "bitrate-sent", &bitrate))
      in.sent_kbps = bitrate / 1000.0;
    if (gst_structure_get_int64(twcc, "avg-delta-of-delta", &dod))
      in.delay_trend_ms = dod / 1e6;
    gst_structure_free(twcc);
  }
  if (in.sent_kbps < 0) {
    /* Without TWCC's figure, get-stats' (audio included, over the last second or more) still
     * tells whether the encoder fills its target; unknown would let the target climb far above
     * what is sent (755 against 101 kbit/s was seen), and a later cut would then start from a
     * rate never used. */
    VinduCallStats sent = {0};
    vindu_stats_tracker_get(call->stats, &sent);
    if (sent.bitrate_out_kbps >= 0)
      in.sent_kbps = sent.bitrate_out_kbps;
  }
  int target = vindu_congestion_update(call->congestion, &in, now);
  if (target > 0) {
    g_debug("call %u: video target %d kbit/s (loss %.3f, trend %.2f ms)", call->id, target, in.loss,
            in.delay_trend_ms);
    g_object_set(call->vp8enc, "target-bitrate", target * 1000, NULL);
    follow_target_with_size(call, target);
  }
}

static gboolean
on_tick(gpointer user_data)
{
  VinduCall *call = user_data;
  if (vindu_call_state_is_final(call->state))
    return G_SOURCE_CONTINUE;
  gint64 now = g_get_monotonic_time();
  if (call->state == VINDU_CALL_STATE_CONNECTING &&
      now - call->started_us > (gint64)call->settings.connect_timeout_ms * 1000) {
    g_autoptr(GError) reason = g_error_new(VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_TIMEOUT,
                                           "the other side did not connect within %d s",
                                           call->settings.connect_timeout_ms / 1000);
    vindu_call_set_state(call, VINDU_CALL_STATE_FAILED, reason);
    return G_SOURCE_CONTINUE;
  }
  if (call->state == VINDU_CALL_STATE_CONNECTED) {
    gint64 last = call->created_us + (gint64)g_atomic_int_get(&call->last_media_ms) * 1000;
    if (now - last > (gint64)call->settings.peer_lost_ms * 1000) {
      g_autoptr(GError) reason =
          g_error_new(VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_ICE,
                      "nothing heard from the other side for %d ms", (int)((now - last) / 1000));
      vindu_call_set_state(call, VINDU_CALL_STATE_PEER_LOST, reason);
      return G_SOURCE_CONTINUE;
    }
    GstPromise *promise = gst_promise_new_with_change_func(on_stats, vindu_call_ref(call),
                                                           (GDestroyNotify)vindu_call_unref);
    g_signal_emit_by_name(call->webrtc, "get-stats", NULL, promise);
    gst_promise_unref(promise);
    if (call->vp8enc)
      control_bitrate(call, now);
  }
  return G_SOURCE_CONTINUE;
}

/* -- public ------------------------------------------------------------------------------------ */

static const char *
keep_string(VinduCall *call, int index, const char *value)
{
  call->strings[index] = g_strdup(value);
  return call->strings[index];
}

VinduCall *
vindu_call_new(const VinduCallSettings *settings, VinduCallRole role,
               const VinduCallCallbacks *callbacks, gpointer user_data, GMainContext *context,
               GError **error)
{
  g_return_val_if_fail(settings != NULL, NULL);
  if (!vindu_media_init(error))
    return NULL;
  VinduCall *call = g_new0(VinduCall, 1);
  g_atomic_ref_count_init(&call->refs);
  call->id = g_atomic_int_add(&next_call_id, 1) + 1;
  call->context = g_main_context_ref(context ? context : g_main_context_default());
  if (callbacks)
    call->callbacks = *callbacks;
  call->user_data = user_data;
  call->role = role;
  call->settings = *settings;
  call->settings.camera_device = keep_string(call, 0, settings->camera_device);
  call->settings.test_pattern = keep_string(call, 1, settings->test_pattern);
  call->settings.stun_server = keep_string(call, 2, settings->stun_server);
  call->settings.turn_server = keep_string(call, 3, settings->turn_server);
  call->slot = vindu_frame_slot_new();
  call->preview_slot = vindu_frame_slot_new();
  call->stats = vindu_stats_tracker_new();
  call->congestion =
      vindu_congestion_new(settings->video_bitrate_kbps, settings->video_bitrate_min_kbps,
                           settings->video_bitrate_max_kbps);
  call->level_db = -100;
  g_mutex_init(&call->fingerprint_lock);
  call->created_us = g_get_monotonic_time();
  if (!vindu_call_build_pipeline(call, error)) {
    vindu_call_free(call);
    return NULL;
  }
  connect_negotiation(call);
  GstBus *bus = gst_element_get_bus(call->pipeline);
  call->bus_source = gst_bus_create_watch(bus);
  g_source_set_callback(call->bus_source, G_SOURCE_FUNC(on_bus_message), call, NULL);
  g_source_attach(call->bus_source, call->context);
  gst_object_unref(bus);
  return call;
}

gboolean
vindu_call_start(VinduCall *call, GError **error)
{
  g_return_val_if_fail(call && call->state == VINDU_CALL_STATE_NEW, FALSE);
  call->started_us = g_get_monotonic_time();
  vindu_call_set_state(call, VINDU_CALL_STATE_CONNECTING, NULL);
  if (gst_element_set_state(call->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                "the call's media could not start");
    gst_element_set_state(call->pipeline, GST_STATE_NULL);
    return FALSE;
  }
  call->tick_source = g_timeout_source_new(TICK_MS);
  g_source_set_callback(call->tick_source, on_tick, call, NULL);
  g_source_attach(call->tick_source, call->context);
  return TRUE;
}

gboolean
vindu_call_set_remote_description(VinduCall *call, const char *sdp_type, const char *sdp,
                                  GError **error)
{
  gboolean offer = g_strcmp0(sdp_type, "offer") == 0;
  if (offer != (call->role == VINDU_CALL_ROLE_ANSWERER) ||
      (!offer && g_strcmp0(sdp_type, "answer") != 0)) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NEGOTIATION,
                "a session that %s cannot take a remote \"%s\"",
                call->role == VINDU_CALL_ROLE_OFFERER ? "offers" : "answers", sdp_type);
    return FALSE;
  }
  GstSDPMessage *message = NULL;
  if (gst_sdp_message_new_from_text(sdp, &message) != GST_SDP_OK || !message) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NEGOTIATION, "unreadable SDP");
    return FALSE;
  }
  vindu_call_gate_keep_fingerprints(call, message);
  GstWebRTCSessionDescription *desc = gst_webrtc_session_description_new(
      offer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
  GstPromise *promise =
      gst_promise_new_with_change_func(offer ? on_remote_offer_set : on_remote_answer_set,
                                       vindu_call_ref(call), (GDestroyNotify)vindu_call_unref);
  g_signal_emit_by_name(call->webrtc, "set-remote-description", desc, promise);
  gst_promise_unref(promise);
  gst_webrtc_session_description_free(desc);
  return TRUE;
}

void
vindu_call_add_remote_candidate(VinduCall *call, guint mline_index, const char *candidate)
{
  if (!candidate || !*candidate)
    return;
  g_signal_emit_by_name(call->webrtc, "add-ice-candidate", mline_index, candidate);
}

void
vindu_call_set_muted(VinduCall *call, gboolean muted)
{
  g_object_set(call->mic_valve, "drop", muted, NULL);
}

void
vindu_call_set_camera_enabled(VinduCall *call, gboolean enabled)
{
  if (call->camera_valve)
    g_object_set(call->camera_valve, "drop", !enabled, NULL);
}

void
vindu_call_set_volume(VinduCall *call, double volume)
{
  g_object_set(call->volume, "volume", CLAMP(volume, 0.0, 1.5), NULL);
}

gboolean
vindu_call_has_video(VinduCall *call)
{
  return call->has_video;
}

VinduCallState
vindu_call_get_state(VinduCall *call)
{
  return call->state;
}

VinduFrame *
vindu_call_take_frame(VinduCall *call)
{
  return vindu_frame_slot_take(call->slot);
}

guint64
vindu_call_get_frames_decoded(VinduCall *call)
{
  return vindu_frame_slot_count(call->slot);
}

VinduFrame *
vindu_call_take_local_frame(VinduCall *call)
{
  return vindu_frame_slot_take(call->preview_slot);
}

guint64
vindu_call_get_local_frames(VinduCall *call)
{
  return vindu_frame_slot_count(call->preview_slot);
}

guint64
vindu_call_media_packets_arrived(VinduCall *call)
{
  return (guint)g_atomic_int_get(&call->media_packets_in);
}

void
vindu_call_get_stats(VinduCall *call, VinduCallStats *stats)
{
  vindu_stats_tracker_get(call->stats, stats);
  gint64 now = g_get_monotonic_time();
  stats->frames_decoded = vindu_frame_slot_count(call->slot);
  stats->audio_buffers_played = (guint64)g_atomic_int_get(&call->audio_buffers);
  /* A level older than half a second means nothing is arriving: silence. */
  stats->remote_audio_level_db = now - call->level_us < 500000 ? call->level_db : -100;
  stats->video_target_kbps = vindu_congestion_target(call->congestion);
}

void
vindu_call_free(VinduCall *call)
{
  if (!call)
    return;
  g_atomic_int_set(&call->closed, 1);
  if (call->tick_source) {
    g_source_destroy(call->tick_source);
    g_clear_pointer(&call->tick_source, g_source_unref);
  }
  if (call->bus_source) {
    g_source_destroy(call->bus_source);
    g_clear_pointer(&call->bus_source, g_source_unref);
  }
  if (call->pipeline) {
    /* To NULL first: this joins every streaming thread, so nothing touches call afterwards. */
    gst_element_set_state(call->pipeline, GST_STATE_NULL);
    g_clear_pointer(&call->pipeline, gst_object_unref);
  } else if (call->webrtc) {
    gst_object_unref(gst_object_ref_sink(call->webrtc));
  }
  call->webrtc = NULL;
  g_clear_object(&call->rtpbin);
  vindu_call_unref(call);
}
