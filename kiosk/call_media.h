/* The media side of a call for the kiosk: one vindu-media session at a time, its signalling
 * through the hub (VkMediaSignalling), its state into the call state machine, and its decoded
 * frames into the in-call screen's video texture (main thread). */
#pragma once

#include <glib.h>

#include "kiosk/app.h"

G_BEGIN_DECLS

typedef struct VkCallMedia VkCallMedia;

/* Where the session's own offer or answer and its candidates go: the hub client's call
 * signalling (kiosk/hub_client/), handed over by main.c, so the media side never calls the hub
 * client itself. Either may be NULL. */
typedef struct {
  void (*send_sdp)(gpointer data, const char *sdp_type, const char *sdp);
  void (*send_ice)(gpointer data, guint mline_index, const char *candidate);
  gpointer data;
} VkMediaSignalling;

typedef enum {
  VK_MEDIA_REAL,               /* camera, microphone, speakers */
  VK_MEDIA_TEST,               /* test picture and tone, no sound card (tests, bench, demo) */
  VK_MEDIA_TEST_NO_MICROPHONE, /* tests: the test sources, but as if no microphone were there */
} VkMediaSources;

/* FALSE (with a message in the log) if this build has no media engine or it cannot start. */
VkCallMedia *vk_call_media_new(VkApp *app, VkMediaSources sources);
void vk_call_media_free(VkCallMedia *m);
void vk_call_media_set_signalling(VkCallMedia *m, const VkMediaSignalling *signalling);
/* A new session; offerer TRUE towards browsers and as the calling kiosk. */
gboolean vk_call_media_start(VkCallMedia *m, gboolean offerer);
void vk_call_media_stop(VkCallMedia *m);
void vk_call_media_remote_sdp(VkCallMedia *m, const char *sdp_type, const char *sdp);
void vk_call_media_remote_ice(VkCallMedia *m, guint mline_index, const char *candidate);
/* relay_only: the hub asked for ICE through the relay only ([turn] relay_only). */
void vk_call_media_set_turn(VkCallMedia *m, const char *turn_url, gboolean relay_only);
void vk_call_media_set_camera(VkCallMedia *m, gboolean on);
void vk_call_media_set_volume(VkCallMedia *m, int volume_0_10);
gboolean vk_call_media_active(VkCallMedia *m);
guint64 vk_call_media_frames_shown(VkCallMedia *m);
/* Own-camera preview frames shown in the self-view (all calls). */
guint64 vk_call_media_self_frames_shown(VkCallMedia *m);
/* Frames the engine decoded in the current call (0 without one). */
guint64 vk_call_media_frames_decoded(VkCallMedia *m);
/* The level of the other person's audio as it is played (dB RMS, -100 for silence or nothing
 * arriving); FALSE outside a call. */
gboolean vk_call_media_received_level_db(VkCallMedia *m, double *db);
gboolean vk_call_media_available(void);
/* "ready" once the engine has started, "starting" while its thread works (the first second or
 * so), "none" when it could not start or this build has none (tests wait for "ready"). */
const char *vk_call_media_engine_state(VkCallMedia *m);
/* Is there a microphone to call with? Asked before ringing anyone; never waits (the engine's
 * start-up thread took the device monitor's one wait). TRUE while it cannot be known yet (the
 * engine starting, or its device monitor stuck on a sound server): the call rings, and is ended
 * with the no-microphone sentence if one turns out missing. TRUE without a media engine: calls
 * fail otherwise. */
gboolean vk_call_media_has_microphone(VkCallMedia *m);

G_END_DECLS
