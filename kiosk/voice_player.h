/* Plays a received voice note (Ogg Opus from kiosks, WebM Opus from browsers) at the kiosk's
 * volume, in-process on the GLib main loop; one at a time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct VkVoicePlayer VkVoicePlayer;

/* test_sink: a clocked fake sink instead of the loudspeakers (tests, no sound card). */
VkVoicePlayer *vk_voice_player_new(gboolean test_sink);
void vk_voice_player_free(VkVoicePlayer *p);
/* Plays path from the start (stopping what played before). volume 0..1. FALSE with error if it
 * cannot start (no media engine in this build, no such file). */
gboolean vk_voice_player_play(VkVoicePlayer *p, const char *path, double volume, GError **error);
/* Stops at once (a call rings, a recording starts). */
void vk_voice_player_stop(VkVoicePlayer *p);
gboolean vk_voice_player_playing(VkVoicePlayer *p);
/* Voice notes played to their end, and those that could not be decoded. */
guint vk_voice_player_finished(VkVoicePlayer *p);
guint vk_voice_player_failed(VkVoicePlayer *p);

G_END_DECLS
