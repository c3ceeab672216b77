/* Speech: incoming calls, new messages and reminders read aloud by espeak-ng in the
 * household's language. Text goes to espeak-ng on stdin, never on the command line or in logs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* enabled FALSE: say nothing. wav_dir non-NULL: write numbered WAV files there instead of
 * playing (tests; machines without a sound card). */
void vk_speech_configure(gboolean enabled, const char *wav_dir);
/* Speaks asynchronously in the current language (vk_i18n_espeak_voice). Returns FALSE if
 * speech is off or espeak-ng could not start. */
gboolean vk_speech_say(const char *text);
/* Speaks as vk_speech_say, then calls done on the main context when the words have been said
 * (at once, from an idle, when speech is off or could not start): what follows a caption read
 * aloud waits for it. */
void vk_speech_say_then(const char *text, GSourceFunc done, gpointer data);
/* The text as it should be heard: "kl. 11:00" said as "klokka 11:00", never as letters.
 * transfer full */
char *vk_speech_words(const char *text);
/* How many things were given to espeak-ng so far (tests; the texts themselves are not kept). */
guint vk_speech_count(void);
/* Speaks and waits (tests). */
gboolean vk_speech_say_sync(const char *text, GError **error);

G_END_DECLS
