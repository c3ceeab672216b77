/* The encode and decode chains of a call, each a bin with one "sink" and/or "src" pad.
 * Named elements inside (valves, encoder, volume, level, appsink) are found with
 * gst_bin_get_by_name(). */
#pragma once

#include <gst/gst.h>
#include "media/call.h"

G_BEGIN_DECLS

#define VINDU_TWCC_URI "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
#define VINDU_TWCC_EXT_ID 1
#define VINDU_OPUS_PT 111
#define VINDU_VP8_PT 96

/* microphone bin → webrtcdsp (echo cancel, noise suppression, AGC; cancels against the probe
 * named probe_name) → valve "mic_valve" → Opus → RTP. Returns: (transfer floating) */
GstElement *vindu_audio_send_new(const VinduCallSettings *s, const char *probe_name,
                                 GError **error);

/* RTP → Opus decoder → volume "volume" → level "level" → webrtcechoprobe probe_name → sink.
 * Returns: (transfer floating) */
GstElement *vindu_audio_play_new(const VinduCallSettings *s, const char *probe_name,
                                 GError **error);

/* The self-view's height for VINDU_PREVIEW_WIDTH: the camera's shape, even. */
int vindu_preview_height(const VinduCallSettings *s);

/* I420 → valve "camera_valve" → tee ─ leaky queue → VP8 "vp8enc" (real time) → RTP
 *                                   └ leaky queue → scale to the preview size → appsink
 *                                     "preview" (max 1 buffer, dropping).
 * Returns: (transfer floating) */
GstElement *vindu_video_send_new(const VinduCallSettings *s, GError **error);

/* RTP → VP8 decoder → I420 → appsink "frames". Returns: (transfer floating) */
GstElement *vindu_video_receive_new(GError **error);

/* Codec preferences of the fixed transceivers: Opus / VP8, TWCC, and for video NACK/PLI/FIR.
 * Returns: (transfer full) */
GstCaps *vindu_audio_rtp_caps(void);
GstCaps *vindu_video_rtp_caps(void);

G_END_DECLS
