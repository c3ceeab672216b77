/* A voice note from the microphone into an Ogg Opus file: start, then stop (the file is
 * finished and handed over) or cancel (the file is removed). The recording ends by itself at
 * its maximum length. Runs on the default GLib main context. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct VkVoiceRecorder VkVoiceRecorder;

/* Called once on the main context when a stopped recording is finished: path of the complete
 * file and its length, or error (the file is then already removed). Not called on cancel. */
typedef void (*VkVoiceRecorderDone)(gpointer data, const char *path, guint duration_ms,
                                    const GError *error);

/* Starts recording into path (replaced). test_source: a tone instead of the microphone (tests,
 * machines without a sound card). NULL with error when there is no microphone or this build has
 * no media engine. transfer full */
VkVoiceRecorder *vk_voice_recorder_start(const char *path, gboolean test_source, guint max_ms,
                                         VkVoiceRecorderDone done, gpointer data, GError **error);
/* How long it has been recording. */
guint vk_voice_recorder_elapsed_ms(VkVoiceRecorder *r);
/* Finishes the file; done() follows. Stopping twice is harmless. */
void vk_voice_recorder_stop(VkVoiceRecorder *r);
/* Stops at once, removes the file and frees r; done() is never called. Works after stop too. */
void vk_voice_recorder_cancel(VkVoiceRecorder *r);
/* Frees a recorder whose done() has run. */
void vk_voice_recorder_free(VkVoiceRecorder *r);

G_END_DECLS
