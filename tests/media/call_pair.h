/* Two call sessions in one process wired to each other through their signalling callbacks,
 * on the default main context: what two kiosks and a hub do, without the hub. */
#pragma once

#include "media/call.h"

typedef struct {
  VinduCall *call[2]; /* [0] offers, [1] answers */
  VinduCallState state[2];
  gboolean ever_connected[2]; /* reached CONNECTED at some point */
  GError *reason[2];
  guint frames_ready[2];
  VinduFrame last_frame[2];    /* geometry of the last frame taken (planes not kept) */
  guint local_frames_taken[2]; /* own-camera preview frames taken on "frame ready" */
  VinduFrame last_local[2];    /* geometry of the last preview frame taken */
  gboolean forward_candidates; /* FALSE: ICE can never connect */
  /* > 0: every candidate is relayed as 127.0.0.1 at this (closed) port, so every
   * connectivity check goes nowhere and ICE fails */
  int candidate_port;
  /* The side given SDP with altered a=fingerprint values (DTLS must refuse), or -1. */
  int corrupt_fingerprint_to;
  int peer_gone; /* index of a side freed mid-call, or -1 */
} CallPair;

/* Test sources, a clocked fake sound card, short timeouts. */
void call_pair_settings(VinduCallSettings *settings);

/* Creates and starts both sides; settings NULL: call_pair_settings(). */
void call_pair_start(CallPair *pair, const VinduCallSettings *offerer,
                     const VinduCallSettings *answerer);

/* Runs the default main context until cond(pair) or timeout_ms; returns cond's last value. */
gboolean call_pair_run_until(CallPair *pair, gboolean (*cond)(CallPair *), int timeout_ms);

/* The same with a condition that takes data. */
gboolean call_pair_wait(CallPair *pair, gboolean (*cond)(CallPair *, gpointer), gpointer data,
                        int timeout_ms);

/* Runs the main context for ms. */
void call_pair_run_for(CallPair *pair, int ms);

gboolean call_pair_both_connected(CallPair *pair);
/* Both sides decoded at least 10 frames and played at least 10 audio buffers. */
gboolean call_pair_both_flowing(CallPair *pair);

/* Frees one side (the other keeps running), as if that kiosk vanished. */
void call_pair_drop(CallPair *pair, int side);

/* A line describing both sides (states, frames, audio), for failure messages.
 * Returns: (transfer none) a static buffer */
const char *call_pair_describe(CallPair *pair);

void call_pair_stop(CallPair *pair);
