#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/speech.h"

#include <gio/gio.h>
#include <string.h>

#include "kiosk/i18n.h"

static gboolean enabled = TRUE;
static guint said;
static char *wav_dir;
static int wav_seq;

void
vk_speech_configure(gboolean on, const char *dir)
{
  enabled = on;
  g_free(wav_dir);
  wav_dir = g_strdup(dir);
  wav_seq = 0;
}

static GSubprocess *
spawn(const char *text, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(argv, g_strdup("espeak-ng"));
  g_ptr_array_add(argv, g_strdup("-v"));
  g_ptr_array_add(argv, g_strdup(vk_i18n_espeak_voice()));
  g_ptr_array_add(argv, g_strdup("-s"));
  g_ptr_array_add(argv, g_strdup("140")); /* a little slower than default: easier to follow */
  if (wav_dir) {
    g_autofree char *name = g_strdup_printf("speech-%03d.wav", ++wav_seq);
    g_ptr_array_add(argv, g_strdup("-w"));
    g_ptr_array_add(argv, g_build_filename(wav_dir, name, NULL));
  }
  g_ptr_array_add(argv, g_strdup("--stdin"));
  g_ptr_array_add(argv, NULL);
  GSubprocess *p =
      g_subprocess_newv((const char *const *)argv->pdata,
                        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                            G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                        error);
  if (!p)
    return NULL;
  GOutputStream *os = g_subprocess_get_stdin_pipe(p);
  gsize written = 0;
  if (!g_output_stream_write_all(os, text, strlen(text), &written, NULL, error) ||
      !g_output_stream_close(os, NULL, error)) {
    g_subprocess_force_exit(p);
    g_object_unref(p);
    return NULL;
  }
  return p;
}

typedef struct {
  GSourceFunc done; /* NULL: nothing waits for the words */
  gpointer data;
} Then;

static void
reaped(GObject *src, GAsyncResult *res, gpointer data)
{
  g_autoptr(GError) err = NULL;
  if (!g_subprocess_wait_finish(G_SUBPROCESS(src), res, &err))
    g_message("speech failed: %s", err->message);
  g_object_unref(src);
  Then *then = data;
  if (then && then->done)
    then->done(then->data);
  g_free(then);
}

static gboolean
speak(const char *text, Then *then)
{
  if (!enabled || !text || !*text)
    return FALSE;
  g_autoptr(GError) err = NULL;
  g_autofree char *words = vk_speech_words(text);
  said++;
  GSubprocess *p = spawn(words, &err);
  if (!p) {
    g_message("cannot speak: %s", err->message);
    return FALSE;
  }
  g_subprocess_wait_async(p, NULL, reaped, then);
  return TRUE;
}

void
vk_speech_say_then(const char *text, GSourceFunc done, gpointer data)
{
  Then *then = g_new0(Then, 1);
  then->done = done;
  then->data = data;
  if (!speak(text, then)) {
    g_free(then);
    g_idle_add(done, data);
  }
}

char *
vk_speech_words(const char *text)
{
  /* the abbreviation for "o'clock" in front of a time, as the word is spoken */
  const char *lang = vk_i18n_language();
  const char *word = g_str_equal(lang, "sv") ? "klockan " : "klokka ";
  g_auto(GStrv) parts = g_strsplit(text, "kl. ", -1);
  return g_strjoinv(word, parts);
}

guint
vk_speech_count(void)
{
  return said;
}

gboolean
vk_speech_say(const char *text)
{
  return speak(text, NULL);
}

gboolean
vk_speech_say_sync(const char *text, GError **error)
{
  if (!enabled) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "speech is off");
    return FALSE;
  }
  g_autoptr(GSubprocess) p = spawn(text, error);
  return p && g_subprocess_wait_check(p, NULL, error);
}
