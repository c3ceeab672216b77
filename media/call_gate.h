/* The DTLS gate: webrtcbin 1.22 does not compare the peer's certificate with the a=fingerprint
 * of its SDP, so the call does (call_gate.c says how), and counts the media packets that arrive. */
#pragma once

#include <gst/sdp/sdp.h>

#include "media/call_private.h"

G_BEGIN_DECLS

/* Main thread, before the SDP goes to webrtcbin: keep every a=fingerprint it carries. */
void vindu_call_gate_keep_fingerprints(VinduCall *call, const GstSDPMessage *sdp);
/* The pipeline's "deep-element-added": hooks webrtcbin's transport as it is built. */
void vindu_call_gate_on_element_added(GstBin *pipeline, GstBin *bin, GstElement *element,
                                      VinduCall *call);

G_END_DECLS
