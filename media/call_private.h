/* The state of one call, shared by the files that make up media/call (not part of the contract
 * in media/call.h, whose threading rules hold here too):
 *   call.c           lifecycle, negotiation, the tick (liveness, statistics, bitrate), the API
 *   call_hop.c       reference counting, the hop to the main context, the call's state
 *   call_pipeline.c  building the pipeline around webrtcbin
 *   call_receive.c   what comes from the peer: streams, frames, sound, proof of life
 *   call_gate.c      the DTLS gate (the peer's certificate against its SDP) and packet counts */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include "media/call.h"
#include "media/congestion.h"
#include "media/frame_slot.h"
#include "media/stats.h"

G_BEGIN_DECLS

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

/* Work for the main context: runs there in a later iteration, never inline. */
typedef void (*VinduCallMainFunc)(VinduCall *call, gpointer data);

/* Any thread. A reference for each hop, promise or source that may outlive the owner's free. */
VinduCall *vindu_call_ref(VinduCall *call);
void vindu_call_unref(VinduCall *call);
/* Any thread: runs func on the call's context later, unless the call was freed by then.
 * data: (transfer full), freed with destroy. */
void vindu_call_hop(VinduCall *call, VinduCallMainFunc func, gpointer data, GDestroyNotify destroy);

gboolean vindu_call_state_is_final(VinduCallState state);
/* Main thread. A final state stops the pipeline; reason: (transfer none) (nullable). */
void vindu_call_set_state(VinduCall *call, VinduCallState state, const GError *reason);
/* Any thread: the call fails, on the main context, with this code and sentence. */
void vindu_call_fail_later(VinduCall *call, int code, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* Streaming thread: RTP or RTCP from the peer proves it is there (the first: connected). */
void vindu_call_note_media(VinduCall *call);

G_END_DECLS
