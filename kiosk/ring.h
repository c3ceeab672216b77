/* The ring: a loud, warm two-tone pattern through SDL audio, and a short countdown beep.
 * Without a sound device the kiosk carries on silently (and says so once in the log). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void vk_ring_start(void);
void vk_ring_stop(void);
void vk_ring_beep(void);
/* The helpers' volume 0..10 (shared with the in-call buttons); the ring never goes silent. */
void vk_ring_set_volume(int volume);
gboolean vk_ring_is_ringing(void);
/* Fills out with n mono float samples of the ring pattern from sample offset pos (48 kHz);
 * exposed for tests. */
void vk_ring_synth(float *out, int n, gint64 pos);
void vk_ring_shutdown(void);

G_END_DECLS
