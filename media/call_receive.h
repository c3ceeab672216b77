/* What comes from the peer: its streams linked to their decode branches, frames into the slots,
 * sound played, and every RTP packet as proof of life (nothing once the DTLS gate closed). */
#pragma once

#include <gst/app/app.h>

#include "media/call_private.h"

G_BEGIN_DECLS

/* webrtcbin's "pad-added" (webrtcbin thread): link the stream to its waiting branch. */
void vindu_call_on_pad_added(GstElement *webrtc, GstPad *pad, VinduCall *call);
/* rtpbin's "on-ssrc-active": RTCP from the peer. */
void vindu_call_on_ssrc_active(GstElement *rtpbin, guint session, guint ssrc, VinduCall *call);
/* appsink callbacks (streaming thread): the peer's frames, and the resident's own camera. */
GstFlowReturn vindu_call_on_new_sample(GstAppSink *sink, gpointer user_data);
GstFlowReturn vindu_call_on_preview_sample(GstAppSink *sink, gpointer user_data);
/* A probe on the audio player's sink: counts the buffers played. */
GstPadProbeReturn vindu_call_on_audio_played(GstPad *pad, GstPadProbeInfo *info,
                                             gpointer user_data);

G_END_DECLS
