#define G_LOG_DOMAIN "vindu-kiosk"
#include <glib-unix.h>
#include <glib.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "kiosk/app.h"
#include "kiosk/cache.h"
#include "kiosk/checkins.h"
#include "kiosk/call_media.h"
#include "kiosk/control.h"
#include "kiosk/frame_book.h"
#include "kiosk/hub_client/client.h"
#include "kiosk/plugins_glue.h"
#include "kiosk/i18n.h"
#include "kiosk/ring.h"
#include "kiosk/sdl_source.h"
#include "kiosk/settings_store.h"
#include "kiosk/speech.h"
#include "kiosk/tour.h"
#include "kiosk/voice_reply.h"
#include "kiosk/voice_salvage.h"
#include "kiosk/ui/theme.h"
#include "install_paths.h"
#include "protocol.h"

static gboolean
on_signal(gpointer data)
{
  g_main_loop_quit(data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_exit_timer(gpointer data)
{
  g_main_loop_quit(data);
  return G_SOURCE_REMOVE;
}

static void
on_sdl_event(const SDL_Event *ev, gpointer data)
{
  vk_app_handle_event(data, ev);
}

static gboolean
parse_size(const char *s, int *w, int *h)
{
  return s && sscanf(s, "%dx%d", w, h) == 2 && *w >= 320 && *h >= 240 && *w <= 8192 && *h <= 8192;
}

#define KIOSK_MALLOC_ARENAS 2

/* The command line into o, checked, with its defaults. Returns 0, or the exit status when the
 * kiosk cannot start with it (said on stderr). theme_given: --theme was on it. */
static int
parse_options(int *argc, char ***argv, VkOptions *o, gboolean *theme_given)
{
  g_autofree char *size = NULL;
  gboolean no_speech = FALSE;
  GOptionEntry entries[] = {
      {"hub", 0, 0, G_OPTION_ARG_STRING, &o->hub_url, "hub WebSocket URL (wss://host:port/ws)",
       "URL"},
      {"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->data_dir, "folder for the local cache", "DIR"},
      {"pair-code", 0, 0, G_OPTION_ARG_STRING, &o->pair_code, "pairing code to show", "CODE"},
      {"insecure", 0, 0, G_OPTION_ARG_NONE, &o->insecure,
       "accept the hub's self-signed certificate", NULL},
      {"headless", 0, 0, G_OPTION_ARG_NONE, &o->headless, "no display (SDL dummy driver)", NULL},
      {"screenshot", 0, 0, G_OPTION_ARG_FILENAME, &o->screenshot_dir,
       "write a PNG of every screen state reached", "DIR"},
      {"describe", 0, 0, G_OPTION_ARG_NONE, &o->describe,
       "print every screen's widgets as JSON and exit", NULL},
      {"theme", 0, 0, G_OPTION_ARG_STRING, &o->theme, "default, high-contrast or dark", "NAME"},
      {"themes-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->themes_dir, "folder of .theme files", "DIR"},
      {"lang", 0, 0, G_OPTION_ARG_STRING, &o->lang, "nb, nn, sv or en", "LANG"},
      {"dpi", 0, 0, G_OPTION_ARG_DOUBLE, &o->dpi, "the screen's real pixels per inch", "N"},
      {"size", 0, 0, G_OPTION_ARG_STRING, &size, "window size instead of full screen", "WxH"},
      {"fixture", 0, 0, G_OPTION_ARG_FILENAME, &o->fixture,
       "load people and messages from JSON (tests)", "FILE"},
      {"idle-seconds", 0, 0, G_OPTION_ARG_INT, &o->idle_seconds,
       "idle time before the photo frame (0: never)", "S"},
      {"frame-seconds", 0, 0, G_OPTION_ARG_INT, &o->frame_seconds,
       "the photo frame's pace: seconds each photo stays (default 20)", "S"},
      {"one-button", 0, 0, G_OPTION_ARG_NONE, &o->one_button,
       "one key steps through targets, a long press selects", NULL},
      {"no-speech", 0, 0, G_OPTION_ARG_NONE, &no_speech, "do not read announcements aloud", NULL},
      {"speech-wav-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->speech_wav_dir,
       "write speech to WAV files here (tests)", "DIR"},
      {"exit-after-ms", 0, 0, G_OPTION_ARG_INT, &o->exit_after_ms, "quit after this long (tests)",
       "MS"},
      {"media-test", 0, 0, G_OPTION_ARG_NONE, &o->media_test,
       "calls send a test picture and tone (no camera, microphone or speakers)", NULL},
      {"media-test-no-microphone", 0, 0, G_OPTION_ARG_NONE, &o->no_microphone,
       "tests: as --media-test, but as if no microphone were connected", NULL},
      {"plugins-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->plugins_dir, "where the plugins are", "DIR"},
      {"settings-pin", 0, 0, G_OPTION_ARG_STRING, &o->settings_pin,
       "store the helpers' settings code (4-8 digits)", "PIN"},
      {"control", 0, 0, G_OPTION_ARG_NONE, &o->control,
       "tests: read commands on stdin, print screen states", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- Vindu kiosk");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) err = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &err)) {
    fprintf(stderr, "vindu-kiosk: %s\n", err->message);
    return 2;
  }
  if (size && !parse_size(size, &o->width, &o->height)) {
    fprintf(stderr, "vindu-kiosk: --size must be WxH, e.g. 1280x800\n");
    return 2;
  }
  /* the photo frame's two settings, each within what makes sense to a person watching */
  if (o->idle_seconds < 0 || o->idle_seconds > VK_IDLE_SECONDS_MAX) {
    fprintf(stderr, "vindu-kiosk: --idle-seconds must be 0 (never) to %d\n", VK_IDLE_SECONDS_MAX);
    return 2;
  }
  if (o->frame_seconds < VK_FRAME_SECONDS_MIN || o->frame_seconds > VK_FRAME_SECONDS_MAX) {
    fprintf(stderr, "vindu-kiosk: --frame-seconds must be %d to %d\n", VK_FRAME_SECONDS_MIN,
            VK_FRAME_SECONDS_MAX);
    return 2;
  }
  o->speech = !no_speech && !o->describe;
  o->media_test = o->media_test || o->no_microphone;
  *theme_given = o->theme != NULL;
  if (!o->theme)
    o->theme = g_strdup("default");
  if (!o->themes_dir)
    o->themes_dir = g_strdup(g_getenv("VINDU_THEMES_DIR") ? g_getenv("VINDU_THEMES_DIR")
                                                          : vindu_path(VINDU_PATH_THEMES));
  if (o->screenshot_dir && g_mkdir_with_parents(o->screenshot_dir, 0755) != 0) {
    fprintf(stderr, "vindu-kiosk: cannot create %s\n", o->screenshot_dir);
    return 1;
  }
  return 0;
}

/* Without a fixture: the model from the cache, with what a helper chose in settings (language,
 * speech, volume, theme) and --settings-pin stored; then the plugins. Returns 0, or the exit
 * status (said on stderr). */
static int
open_cache(VkApp *app, VkOptions *o, gboolean theme_given, VkCache **cache_out)
{
  g_autoptr(GError) err = NULL;
  if (!o->data_dir)
    o->data_dir = g_build_filename(g_get_user_data_dir(), "vindu-kiosk", NULL);
  VkCache *cache = *cache_out = vk_cache_open(o->data_dir, &err);
  if (!cache) {
    fprintf(stderr, "vindu-kiosk: %s\n", err->message);
    return 1;
  }
  g_autofree char *secret = vk_cache_get(cache, "secret");
  app->model->paired = secret != NULL;
  if (!vk_cache_load_model(cache, app->model, &err)) {
    g_warning("%s", err->message); /* start with what we have: never a blank screen */
    g_clear_error(&err);
  } else {
    vk_checkins_load(cache, app->model); /* here, not in cache.c: the cache knows no check-ins */
  }
  g_autofree char *cached_lang = vk_cache_get(cache, "language");
  if (!o->lang && cached_lang)
    vk_i18n_set_language(cached_lang);
  if (o->settings_pin && !vk_settings_store_pin(cache, o->settings_pin, &err)) {
    fprintf(stderr, "vindu-kiosk: %s\n", err->message);
    return 2;
  }
  vk_settings_restore(app, cache, theme_given);
  app->cache = cache;
  vk_plugins_init(app, o->plugins_dir);
  return 0;
}

/* Online: the main loop with SDL's events, the hub client and the call media (with a hub), the
 * test control and the signals; everything taken down again when it ends. Returns the exit
 * status. */
static int
run(VkApp *app, VkOptions *o, VkCache *cache)
{
  int status = 0;
  g_autoptr(GError) err = NULL;
  GMainLoop *loop = g_main_loop_new(NULL, FALSE);
  app->loop = loop;
  GSource *sdl = vk_sdl_source_new(app->window, on_sdl_event, app);
  g_source_attach(sdl, NULL);
  g_debug("SDL events: %s", vk_sdl_source_mode(sdl));
  VkHubClient *hub = NULL;
  VkVoiceSalvage salvage = {0};
  if (o->hub_url && cache)
    vk_voice_salvage(cache, &salvage); /* before the outbox sends anything */
  if (o->hub_url && cache) {
    app->media = vk_call_media_new(app, o->no_microphone ? VK_MEDIA_TEST_NO_MICROPHONE
                                        : o->media_test  ? VK_MEDIA_TEST
                                                         : VK_MEDIA_REAL);
    hub = vk_hub_client_new(app, cache, loop, o->hub_url, o->pair_code, o->insecure, &err);
    if (!hub) {
      fprintf(stderr, "vindu-kiosk: %s\n", err->message);
      status = 1;
    } else if (app->media) {
      VkMediaSignalling signalling = vk_hub_client_media_signalling(hub);
      vk_call_media_set_signalling(app->media, &signalling);
    }
  }
  guint control = o->control ? vk_control_attach(app, &hub) : 0;
  guint sig1 = g_unix_signal_add(SIGINT, on_signal, loop);
  guint sig2 = g_unix_signal_add(SIGTERM, on_signal, loop);
  guint exit_timer =
      o->exit_after_ms > 0 ? g_timeout_add((guint)o->exit_after_ms, on_exit_timer, loop) : 0;
  vk_app_show(app, app->model->paired ? VK_SCREEN_HOME : VK_SCREEN_PAIRING);
  if (salvage.lost)
    vk_voice_reply_tell_lost(app, salvage.lost_to);
  vk_voice_salvage_clear(&salvage);
  vk_app_redraw(app);
  if (status == 0)
    g_main_loop_run(loop);
  GSource *control_src = control ? g_main_context_find_source_by_id(NULL, control) : NULL;
  if (control_src)
    g_source_destroy(control_src);
  if (app->media)
    vk_call_media_stop(app->media);
  vk_hub_client_free(hub);
  app->cache = NULL;
  g_clear_pointer(&app->media, vk_call_media_free);
  if (exit_timer)
    g_source_remove(exit_timer);
  g_source_remove(sig1);
  g_source_remove(sig2);
  g_source_destroy(sdl);
  g_source_unref(sdl);
  app->loop = NULL;
  g_main_loop_unref(loop);
  return status;
}

int
main(int argc, char **argv)
{
  /* Few malloc arenas: GStreamer starts a dozen threads per call, each would get an arena of its
   * own whose freed memory stays with it (idle RSS crept up call after call; see docs/kiosk.md). */
  mallopt(M_ARENA_MAX, KIOSK_MALLOC_ARENAS);
  setlocale(LC_ALL, "");
  VkOptions o = {.dpi = 0, .idle_seconds = 300, .frame_seconds = 20, .speech = TRUE};
  gboolean theme_given = FALSE;
  int status = parse_options(&argc, &argv, &o, &theme_given);
  if (status)
    return status;
  g_autoptr(GError) err = NULL;
  g_autoptr(VkModel) fixture = NULL;
  if (o.fixture) {
    fixture = vk_model_new();
    if (!vk_model_load_fixture(fixture, o.fixture, &err)) {
      fprintf(stderr, "vindu-kiosk: fixture: %s\n", err->message);
      return 1;
    }
  }
  const char *lang = o.lang ? o.lang : fixture && fixture->language ? fixture->language : "nb";
  if (!vk_i18n_set_language(lang)) {
    fprintf(stderr, "vindu-kiosk: unknown language %s (nb, nn, sv, en)\n", lang);
    return 2;
  }
  vk_speech_configure(o.speech, o.speech_wav_dir);

  VkApp *app = vk_app_new(&o, &err);
  if (!app) {
    fprintf(stderr, "vindu-kiosk: %s\n", err->message);
    vk_options_clear(&o);
    return 1;
  }
  g_autoptr(VkCache) cache = NULL;
  if (fixture) {
    vk_model_free(app->model);
    app->model = g_steal_pointer(&fixture);
    if (!vk_frame_book_load_fixture(app, o.fixture, &err)) {
      fprintf(stderr, "vindu-kiosk: fixture: %s\n", err->message);
      status = 1;
    }
  } else {
    status = open_cache(app, &o, theme_given, &cache);
  }
  if (status) {
    vk_app_free(app);
    vk_options_clear(&o);
    return status;
  }
  if (o.pair_code && !o.hub_url) {
    g_free(app->model->pair_code);
    app->model->pair_code = g_strdup(o.pair_code);
  }
  /* With a hub, the code to show comes from the hub (a provisioning code given on the command
   * line is a household secret and is never shown); until then: "Getting ready". */

  if (o.describe) {
    g_autoptr(JsonNode) d = vk_tour(app);
    g_autofree char *s = vp_json_text(d, TRUE, NULL);
    fputs(s, stdout);
    fputc('\n', stdout);
  } else {
    status = run(app, &o, cache);
  }
  vk_ring_shutdown();
  vk_app_free(app);
  vk_speech_configure(FALSE, NULL);
  vk_options_clear(&o);
  return status;
}
