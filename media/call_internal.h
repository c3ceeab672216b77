/* Figures of a call session that the tests read and the kiosk has no use for. */
#pragma once

#include "media/call.h"

G_BEGIN_DECLS

/* SRTP and SRTCP packets (not DTLS, not STUN) that arrived at this session's ICE transport from
 * the network so far, counted before any decryption or check. Any thread. */
guint64 vindu_call_media_packets_arrived(VinduCall *call);

G_END_DECLS
