/* The pipeline of one call around webrtcbin: microphone and camera branches (media/chains.h),
 * the player and the frame sink for the peer, each linked to its transceiver. */
#pragma once

#include "media/call_private.h"

G_BEGIN_DECLS

/* Main thread, from vindu_call_new(): fills call->pipeline, webrtc and the elements the call
 * steers; negotiation's signals are connected by the caller. FALSE with error on failure. */
gboolean vindu_call_build_pipeline(VinduCall *call, GError **error);

G_END_DECLS
