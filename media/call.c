/* One call: the pipeline around webrtcbin, negotiation, liveness and teardown. */
#include "media/call.h"

#include <string.h>

#include <gst/app/app.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include "media/call_internal.h"
#include "media/chains.h"
#include "media/congestion.h"
#include "media/fingerprint.h"
#include "media/frame_slot.h"
#include "media/send_size.h"
#include "media/sources.h"
#include "media/stats.h"
#include "media/timestamp.h"

#define TICK_MS 250

struct _VinduCall {
  gatomicrefcount refs; /* the owner plus every pending hop to the main context */
  gint closed;          /* atomic: set by vindu_call_free(); hops then do nothing */
  GMainContext *context;
  VinduCallCallbacks callbacks;
  gpointer user_data;
  VinduCallRole role;
  VinduCallSettings settings;
  char *strings[5]; /* owned copies behind the settings' string fields */
  guint id;

  GstElement *pipeline, *webrtc;
  GstElement *mic_valve, *camera_valve, *volume, *vp8enc;
  GstElement *send_size; /* capsfilter in front of vp8enc: the size sent */
  int send_step;         /* main thread: media/send_size.h's step in use */
  GstElement *audio_play, *video_receive;
  GstElement *rtpbin; /* owned ref, may be NULL */
  GstVideoInfo send_info;
  gboolean has_video;
  VinduFrameSlot *slot;
  VinduFrameSlot *preview_slot; /* the resident's own camera, small (self-view) */
  GSource *bus_source, *tick_source;

  /* Main thread only. */
  VinduCallState state;
  gint64 started_us;
  gboolean offer_made;
  gboolean ice_failed;
  double level_db;
  gint64 level_us;
  VinduStatsTracker *stats;
  VinduCongestion *congestion;

  /* Written by streaming threads. */
  gint64 created_us;
  gint last_media_ms;       /* atomic: ms after created_us */
  gint media_seen;          /* atomic */
  gint audio_buffers;       /* atomic */
  gint frame_notify_queued; /* atomic */

  /* The a=fingerprint values of the remote SDP ("sha-256 AB:CD:..."), set on the main thread
   * before webrtcbin sees that SDP, read on the DTLS thread. */
  GMutex fingerprint_lock;
  GPtrArray *remote_fingerprints;
  gint dtls_refused;     /* atomic: the peer's certificate did not match; nothing in or out */
  gint media_packets_in; /* atomic: SRTP/SRTCP packets that arrived from the network */
};

static guint next_call_id;

/* -- reference counting and the hop to the main context -------------------------------- */

static VinduCall *
call_ref(VinduCall *call)
{
  g_atomic_ref_count_inc(&call->refs);
  return call;
}

static void
call_unref(VinduCall *call)
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

typedef void (*MainFunc)(VinduCall *call, gpointer data);

typedef struct {
  VinduCall *call;
  MainFunc func;
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
  call_unref(hop->call);
  g_free(hop);
}

/* Runs func on the call's context in a later iteration, never inline, so callbacks do not
 * re-enter the caller. data: (transfer full) */
static void
hop_to_main(VinduCall *call, MainFunc func, gpointer data, GDestroyNotify destroy)
{
  Hop *hop = g_new(Hop, 1);
  *hop = (Hop){call_ref(call), func, data, destroy};
  GSource *source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, hop_run, hop, hop_free);
  g_source_attach(source, call->context);
  g_source_unref(source);
}

/* -- state -------------------------------------------------------------------------------- */

static gboolean
state_is_final(VinduCallState state)
{
  return state == VINDU_CALL_STATE_PEER_LOST || state == VINDU_CALL_STATE_FAILED;
}

/* Main thread. reason: (transfer none) (nullable) */
static void
set_state(VinduCall *call, VinduCallState state, const GError *reason)
{
  if (call->state == state || state_is_final(call->state))
    return;
  call->state = state;
  if (reason)
    g_message("call %u: %s: %s", call->id, vindu_call_state_name(state), reason->message);
  else
    g_message("call %u: %s", call->id, vindu_call_state_name(state));
  if (state_is_final(state)) {
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
  set_state(call, VINDU_CALL_STATE_FAILED, data);
}

/* Any thread. */
static void fail_later(VinduCall *call, int code, const char *format, ...) G_GNUC_PRINTF(3, 4);
static void
fail_later(VinduCall *call, int code, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree char *message = g_strdup_vprintf(format, args);
  va_end(args);
  GError *error = g_error_new_literal(VINDU_MEDIA_ERROR, code, message);
  hop_to_main(call, fail_main, error, (GDestroyNotify)g_error_free);
}

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
  hop_to_main(call, local_candidate_main, c, local_candidate_free);
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
    fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "could not create the %s: %s", field,
               error ? error->message : "unknown error");
    return NULL;
  }
  if (reply)
    gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
  if (!desc)
    fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "webrtcbin gave no %s", field);
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
  hop_to_main(call, local_description_main, d, local_description_free);
}

/* webrtcbin thread. With fixed transceivers this comes once, after the pads are linked. */
static void
on_negotiation_needed(GstElement *webrtc, VinduCall *call)
{
  if (call->role != VINDU_CALL_ROLE_OFFERER ||
      !g_atomic_int_compare_and_exchange(&call->offer_made, FALSE, TRUE))
    return;
  GstPromise *promise = gst_promise_new_with_change_func(on_description_created, call_ref(call),
                                                         (GDestroyNotify)call_unref);
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
    fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "the offer was refused: %s",
               error ? error->message : "unknown error");
    return;
  }
  GstPromise *answer = gst_promise_new_with_change_func(on_description_created, call_ref(call),
                                                        (GDestroyNotify)call_unref);
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
    fail_later(call, VINDU_MEDIA_ERROR_NEGOTIATION, "the answer was refused: %s",
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
    fail_later(call, VINDU_MEDIA_ERROR_ICE, "no network path to the other side (ICE failed)");
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
    fail_later(call, VINDU_MEDIA_ERROR_DTLS, "the encrypted connection failed (DTLS)");
}

static void
connected_main(VinduCall *call, gpointer data)
{
  set_state(call, VINDU_CALL_STATE_CONNECTED, NULL);
}

/* Streaming thread: RTP or RTCP from the peer proves it is there. */
static void
note_media(VinduCall *call)
{
  if (g_atomic_int_get(&call->dtls_refused))
    return;
  g_atomic_int_set(&call->last_media_ms,
                   (gint)((g_get_monotonic_time() - call->created_us) / 1000));
  if (!g_atomic_int_get(&call->media_seen) &&
      g_atomic_int_compare_and_exchange(&call->media_seen, 0, 1))
    hop_to_main(call, connected_main, NULL, NULL);
}

static GstPadProbeReturn
on_remote_rtp(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  /* Nothing from a peer whose certificate was refused reaches the screen or the speaker. */
  if (g_atomic_int_get(&call->dtls_refused))
    return GST_PAD_PROBE_DROP;
  note_media(call);
  return GST_PAD_PROBE_OK;
}

static void
on_ssrc_active(GstElement *rtpbin, guint session, guint ssrc, VinduCall *call)
{
  note_media(call);
}

/* -- the peer's certificate ------------------------------------------------------------------ */

/* webrtcbin 1.22 takes any certificate in the DTLS handshake and never compares it with the
 * a=fingerprint of the remote SDP, so whoever sits on the media path could stand in for the
 * peer. We check it ourselves when dtlsdec shows the certificate (inside the handshake, on the
 * DTLS thread). We cannot fail the handshake from there: dtlsdec's own handler of the
 * connection's on-peer-certificate signal always returns TRUE and its return value is the one
 * OpenSSL gets (the signal has no accumulator, the connection object is private to dtlsdec).
 * So a refusal closes the gate on the network side at once, on that same thread (see
 * on_outgoing_packet): nothing more of ours leaves, not even the rest of the handshake. */

/* Main thread, before the SDP goes to webrtcbin: keep every a=fingerprint it carries. */
static void
keep_remote_fingerprints(VinduCall *call, const GstSDPMessage *sdp)
{
  GPtrArray *found = vindu_fingerprints_from_sdp(sdp);
  g_mutex_lock(&call->fingerprint_lock);
  g_clear_pointer(&call->remote_fingerprints, g_ptr_array_unref);
  call->remote_fingerprints = found;
  g_mutex_unlock(&call->fingerprint_lock);
}

static gboolean
certificate_matches(VinduCall *call, const char *pem)
{
  g_mutex_lock(&call->fingerprint_lock);
  gboolean match = vindu_fingerprint_accepts(call->remote_fingerprints, pem);
  g_mutex_unlock(&call->fingerprint_lock);
  return match;
}

/* DTLS thread, inside the handshake, before our next handshake flight is written. */
static void
on_peer_certificate(GObject *dtls, GParamSpec *pspec, VinduCall *call)
{
  g_autofree char *pem = NULL;
  g_object_get(dtls, "peer-pem", &pem, NULL);
  if (!pem)
    return;
  if (certificate_matches(call, pem)) {
    g_debug("call %u: the peer's certificate matches its SDP", call->id);
    return;
  }
  /* Synchronously: from here on_outgoing_packet drops all we send, on_remote_rtp all we get. */
  if (!g_atomic_int_compare_and_exchange(&call->dtls_refused, 0, 1))
    return;
  /* And nothing is captured for them either (the valves' drop is thread-safe). */
  g_object_set(call->mic_valve, "drop", TRUE, NULL);
  if (call->camera_valve)
    g_object_set(call->camera_valve, "drop", TRUE, NULL);
  fail_later(call, VINDU_MEDIA_ERROR_DTLS,
             "the other side's certificate does not match the fingerprint it announced (DTLS)");
}

/* Streaming thread, every packet on its way to the ICE transport (DTLS handshake, SRTP,
 * SRTCP). After a refusal the peer gets nothing: it cannot finish its side of the handshake,
 * so it never has keys, and none of our sound or picture reaches it. */
static GstPadProbeReturn
on_outgoing_packet(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  return g_atomic_int_get(&call->dtls_refused) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* RFC 7983: a first byte of 128..191 is RTP or RTCP (here SRTP/SRTCP), not DTLS or STUN. */
static guint
media_packets(GstBuffer *buffer)
{
  guint8 first = 0;
  return gst_buffer_extract(buffer, 0, &first, 1) == 1 && first >= 128 && first <= 191;
}

static gboolean
count_in_list(GstBuffer **buffer, guint index, gpointer user_data)
{
  *(guint *)user_data += media_packets(*buffer);
  return TRUE;
}

/* Streaming thread, every packet the ICE transport hands over: media packets are counted
 * (vindu_call_media_packets_arrived), whatever their fate later. */
static GstPadProbeReturn
on_incoming_packet(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  guint n = 0;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    n = media_packets(GST_PAD_PROBE_INFO_BUFFER(info));
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach(GST_PAD_PROBE_INFO_BUFFER_LIST(info), count_in_list, &n);
  if (n)
    g_atomic_int_add(&call->media_packets_in, (gint)n);
  return GST_PAD_PROBE_OK;
}

static void
probe_static_pad(GstElement *element, const char *name, GstPadProbeCallback callback,
                 VinduCall *call)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad(element, name);
  if (pad)
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, callback,
                      call, NULL);
  else
    g_warning("call %u: %s has no %s pad", call->id, GST_OBJECT_NAME(element), name);
}

/* webrtcbin builds its transport (nicesrc → DTLS-SRTP decoder, encoder → nicesink) when a
 * description is set; hook each part as it is added. */
static void
on_deep_element_added(GstBin *pipeline, GstBin *bin, GstElement *element, VinduCall *call)
{
  GstElementFactory *factory = gst_element_get_factory(element);
  const char *kind = factory ? GST_OBJECT_NAME(factory) : "";
  if (g_strcmp0(kind, "dtlssrtpdec") == 0)
    g_signal_connect(element, "notify::peer-pem", G_CALLBACK(on_peer_certificate), call);
  else if (g_strcmp0(kind, "nicesink") == 0)
    probe_static_pad(element, "sink", on_outgoing_packet, call);
  else if (g_strcmp0(kind, "nicesrc") == 0)
    probe_static_pad(element, "src", on_incoming_packet, call);
}

/* -- receiving ------------------------------------------------------------------------------ */

static void
frame_ready_main(VinduCall *call, gpointer data)
{
  g_atomic_int_set(&call->frame_notify_queued, 0);
  if (call->callbacks.frame_ready)
    call->callbacks.frame_ready(call, call->user_data);
}

static GstFlowReturn
on_new_sample(GstAppSink *sink, gpointer user_data)
{
  VinduCall *call = user_data;
  GstSample *sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  vindu_frame_slot_put(call->slot, sample);
  gst_sample_unref(sample);
  /* One notification in flight at a time, however fast frames come. */
  if (g_atomic_int_compare_and_exchange(&call->frame_notify_queued, 0, 1))
    hop_to_main(call, frame_ready_main, NULL, NULL);
  return GST_FLOW_OK;
}

/* Own-camera frames share the remote frames' notification: the UI takes both slots on
 * "frame ready", so the self-view keeps moving even while the peer's camera is off. */
static GstFlowReturn
on_preview_sample(GstAppSink *sink, gpointer user_data)
{
  VinduCall *call = user_data;
  GstSample *sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  vindu_frame_slot_put(call->preview_slot, sample);
  gst_sample_unref(sample);
  if (g_atomic_int_compare_and_exchange(&call->frame_notify_queued, 0, 1))
    hop_to_main(call, frame_ready_main, NULL, NULL);
  return GST_FLOW_OK;
}

static GstPadProbeReturn
on_audio_played(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  g_atomic_int_inc(&call->audio_buffers);
  return GST_PAD_PROBE_OK;
}

/* webrtcbin thread: a stream from the peer; link it to its waiting decode branch. */
static void
on_pad_added(GstElement *webrtc, GstPad *pad, VinduCall *call)
{
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
    return;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps(pad);
  if (!caps)
    caps = gst_pad_query_caps(pad, NULL);
  const GstStructure *s = gst_caps_get_structure(caps, 0);
  const char *media = gst_structure_get_string(s, "media");
  GstElement *branch = NULL;
  if (g_strcmp0(media, "audio") == 0)
    branch = call->audio_play;
  else if (g_strcmp0(media, "video") == 0)
    branch = call->video_receive;
  if (!branch) {
    g_warning("call %u: unexpected stream from the peer: %" GST_PTR_FORMAT, call->id, caps);
    return;
  }
  g_autoptr(GstPad) sink = gst_element_get_static_pad(branch, "sink");
  if (gst_pad_is_linked(sink)) {
    g_warning("call %u: a second %s stream from the peer is ignored", call->id, media);
    return;
  }
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_remote_rtp,
                    call, NULL);
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK)
    fail_later(call, VINDU_MEDIA_ERROR_PIPELINE, "could not play the peer's %s", media);
  else
    g_debug("call %u: receiving %s", call->id, media);
}

/* -- sending ---------------------------------------------------------------------------------- */

static GstPadProbeReturn
paint_timestamp(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  GstBuffer *buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstVideoFrame frame;
  if (gst_video_frame_map(&frame, &call->send_info, buffer, GST_MAP_WRITE)) {
    vindu_timestamp_paint(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0),
                          GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0), GST_VIDEO_FRAME_WIDTH(&frame),
                          GST_VIDEO_FRAME_HEIGHT(&frame), vindu_timestamp_now_ms());
    gst_video_frame_unmap(&frame);
  }
  return GST_PAD_PROBE_OK;
}

/* Links an encode branch to a new webrtcbin sink pad and fixes its transceiver. */
static gboolean
link_sender(VinduCall *call, GstElement *branch, GstCaps *codec, gboolean video, GError **error)
{
  GstPad *sink = gst_element_request_pad_simple(call->webrtc, "sink_%u");
  g_autoptr(GstPad) src = gst_element_get_static_pad(branch, "src");
  if (!sink || gst_pad_link(src, sink) != GST_PAD_LINK_OK) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                "could not link the %s encoder to webrtcbin", video ? "video" : "audio");
    g_clear_object(&sink);
    return FALSE;
  }
  GstWebRTCRTPTransceiver *transceiver = NULL;
  g_object_get(sink, "transceiver", &transceiver, NULL);
  g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
               "codec-preferences", codec, NULL);
  if (video && g_object_class_find_property(G_OBJECT_GET_CLASS(transceiver), "do-nack"))
    g_object_set(transceiver, "do-nack", TRUE, NULL);
  gst_object_unref(transceiver);
  gst_object_unref(sink); /* the pad stays with webrtcbin */
  return TRUE;
}

static gboolean
add_branch(VinduCall *call, GstElement *branch)
{
  return gst_bin_add(GST_BIN(call->pipeline), branch);
}

static GstElement *
by_name(GstElement *bin, const char *name)
{
  GstElement *e = gst_bin_get_by_name(GST_BIN(bin), name);
  if (e)
    gst_object_unref(e); /* the bin keeps it alive as long as the call */
  return e;
}

static gboolean
build_pipeline(VinduCall *call, GError **error)
{
  const VinduCallSettings *s = &call->settings;
  g_autofree char *name = g_strdup_printf("vindu-call-%u", call->id);
  g_autofree char *probe = g_strdup_printf("vindu-echo-probe-%u", call->id);
  call->pipeline = gst_pipeline_new(name);
  gst_object_ref_sink(call->pipeline);
  g_signal_connect(call->pipeline, "deep-element-added", G_CALLBACK(on_deep_element_added), call);

  /* The microphone first: without one nobody may be rung. */
  GstElement *audio_send = vindu_audio_send_new(s, probe, error);
  if (!audio_send)
    return FALSE;
  add_branch(call, audio_send);
  call->mic_valve = by_name(audio_send, "mic_valve");

  call->webrtc = gst_element_factory_make("webrtcbin", "webrtc");
  if (!call->webrtc) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT, "no webrtcbin");
    return FALSE;
  }
  g_object_set(call->webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency",
               (guint)s->jitter_latency_ms, NULL);
  if (s->stun_server)
    g_object_set(call->webrtc, "stun-server", s->stun_server, NULL);
  if (s->turn_server)
    g_object_set(call->webrtc, "turn-server", s->turn_server, NULL);
  if (s->relay_only)
    g_object_set(call->webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  /* Host TCP candidates double the pairs to check and are not what gets through NATs (TURN
   * over TLS does); leaving them out shortens the connection. */
  GObject *ice = NULL;
  g_object_get(call->webrtc, "ice-agent", &ice, NULL);
  if (ice && g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "ice-tcp"))
    g_object_set(ice, "ice-tcp", FALSE, NULL);
  g_clear_object(&ice);
  add_branch(call, call->webrtc);

  GstElement *audio_play = vindu_audio_play_new(s, probe, error);
  if (!audio_play)
    return FALSE;
  add_branch(call, audio_play);
  call->audio_play = audio_play;
  call->volume = by_name(audio_play, "volume");
  g_autoptr(GstPad) play_sink = gst_element_get_static_pad(audio_play, "sink");
  gst_pad_add_probe(play_sink, GST_PAD_PROBE_TYPE_BUFFER, on_audio_played, call, NULL);

  GstElement *video_receive = vindu_video_receive_new(error);
  if (!video_receive)
    return FALSE;
  add_branch(call, video_receive);
  call->video_receive = video_receive;
  GstAppSinkCallbacks appsink_callbacks = {.new_sample = on_new_sample};
  gst_app_sink_set_callbacks(GST_APP_SINK(by_name(video_receive, "frames")), &appsink_callbacks,
                             call, NULL);

  g_autoptr(GstCaps) audio_caps = vindu_audio_rtp_caps();
  if (!link_sender(call, audio_send, audio_caps, FALSE, error))
    return FALSE;

  g_autoptr(GstCaps) video_caps = vindu_video_rtp_caps();
  GstElement *camera = vindu_video_source_new(s, error);
  if (!camera && error && *error)
    return FALSE;
  call->has_video = camera != NULL;
  if (camera) {
    GstElement *video_send = vindu_video_send_new(s, error);
    if (!video_send) {
      gst_object_unref(gst_object_ref_sink(camera));
      return FALSE;
    }
    add_branch(call, camera);
    add_branch(call, video_send);
    if (!gst_element_link(camera, video_send)) {
      g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                  "could not link the camera to the video encoder");
      return FALSE;
    }
    call->camera_valve = by_name(video_send, "camera_valve");
    call->vp8enc = by_name(video_send, "vp8enc");
    call->send_size = by_name(video_send, "send_size");
    call->send_step = vindu_send_size_step(s->width, s->height, s->fps, s->video_bitrate_kbps, 0);
    GstAppSinkCallbacks preview_callbacks = {.new_sample = on_preview_sample};
    gst_app_sink_set_callbacks(GST_APP_SINK(by_name(video_send, "preview")), &preview_callbacks,
                               call, NULL);
    if (!link_sender(call, video_send, video_caps, TRUE, error))
      return FALSE;
    if (s->paint_timestamps) {
      gst_video_info_set_format(&call->send_info, GST_VIDEO_FORMAT_I420, s->width, s->height);
      g_autoptr(GstPad) camera_src = gst_element_get_static_pad(camera, "src");
      gst_pad_add_probe(camera_src, GST_PAD_PROBE_TYPE_BUFFER, paint_timestamp, call, NULL);
    }
  } else {
    /* No camera: still receive the peer's video on the same fixed m-line. */
    GstWebRTCRTPTransceiver *transceiver = NULL;
    g_signal_emit_by_name(call->webrtc, "add-transceiver",
                          GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, video_caps, &transceiver);
    g_clear_object(&transceiver);
  }

  g_signal_connect(call->webrtc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), call);
  g_signal_connect(call->webrtc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), call);
  g_signal_connect(call->webrtc, "pad-added", G_CALLBACK(on_pad_added), call);
  g_signal_connect(call->webrtc, "notify::ice-connection-state", G_CALLBACK(on_ice_state), call);
  g_signal_connect(call->webrtc, "notify::connection-state", G_CALLBACK(on_peer_connection_state),
                   call);
  call->rtpbin = gst_bin_get_by_name(GST_BIN(call->webrtc), "rtpbin");
  if (call->rtpbin)
    g_signal_connect(call->rtpbin, "on-ssrc-active", G_CALLBACK(on_ssrc_active), call);
  return TRUE;
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
    set_state(call, VINDU_CALL_STATE_FAILED, reason);
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
  if (state_is_final(call->state))
    return G_SOURCE_CONTINUE;
  gint64 now = g_get_monotonic_time();
  if (call->state == VINDU_CALL_STATE_CONNECTING &&
      now - call->started_us > (gint64)call->settings.connect_timeout_ms * 1000) {
    g_autoptr(GError) reason = g_error_new(VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_TIMEOUT,
                                           "the other side did not connect within %d s",
                                           call->settings.connect_timeout_ms / 1000);
    set_state(call, VINDU_CALL_STATE_FAILED, reason);
    return G_SOURCE_CONTINUE;
  }
  if (call->state == VINDU_CALL_STATE_CONNECTED) {
    gint64 last = call->created_us + (gint64)g_atomic_int_get(&call->last_media_ms) * 1000;
    if (now - last > (gint64)call->settings.peer_lost_ms * 1000) {
      g_autoptr(GError) reason =
          g_error_new(VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_ICE,
                      "nothing heard from the other side for %d ms", (int)((now - last) / 1000));
      set_state(call, VINDU_CALL_STATE_PEER_LOST, reason);
      return G_SOURCE_CONTINUE;
    }
    GstPromise *promise =
        gst_promise_new_with_change_func(on_stats, call_ref(call), (GDestroyNotify)call_unref);
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
  if (!build_pipeline(call, error)) {
    vindu_call_free(call);
    return NULL;
  }
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
  set_state(call, VINDU_CALL_STATE_CONNECTING, NULL);
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
  keep_remote_fingerprints(call, message);
  GstWebRTCSessionDescription *desc = gst_webrtc_session_description_new(
      offer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
  GstPromise *promise =
      gst_promise_new_with_change_func(offer ? on_remote_offer_set : on_remote_answer_set,
                                       call_ref(call), (GDestroyNotify)call_unref);
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
  call_unref(call);
}
