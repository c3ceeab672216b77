/* The kiosk application's life: the window, the renderer and the UI made from the options, and
 * everything freed again. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <gio/gio.h>

#include "kiosk/app/internal.h"
#include "kiosk/app_port.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/plugins_glue.h"
#include "kiosk/screens/common.h"
#include "kiosk/ui/photo_loader.h"
#include "kiosk/voice_player.h"
#include "kiosk/voice_reply.h"

void
vk_options_clear(VkOptions *o)
{
  g_free(o->hub_url);
  g_free(o->data_dir);
  g_free(o->pair_code);
  g_free(o->screenshot_dir);
  g_free(o->theme);
  g_free(o->lang);
  g_free(o->fixture);
  g_free(o->themes_dir);
  g_free(o->speech_wav_dir);
  g_free(o->settings_pin);
  g_free(o->plugins_dir);
}

/* A photo of the frame or the still view was decoded (or refused) on the loader's thread. */
static void
photo_ready(gpointer data)
{
  VkApp *app = data;
  if ((app->screen == VK_SCREEN_PHOTO_FRAME && vk_photo_frame_waiting()) ||
      app->screen == VK_SCREEN_MEMORY_VIEW)
    vk_app_invalidate(app);
}

/* The model changed (the hub client feeds it, kiosk/hub_client/): the screen follows. The hub
 * connection going clears presence (vk_model_set_connected), since nobody can be reached through
 * a hub the kiosk cannot reach, and a call going out ends saying so. Registered in vk_app_new,
 * before the plugin glue's listener (vk_plugins_init): textures are flushed before the plugins
 * are asked again, and the redraw asked for here runs at an idle moment, after both. */
static void
model_changed(VkModel *m, guint changes, gpointer data)
{
  VkApp *app = data;
  if (changes & VK_MODEL_FILE_ARRIVED)
    vk_ui_flush_textures(app->ui); /* a photo drawn before it arrived is drawn again */
  if ((changes & VK_MODEL_CONNECTION) && !m->connected)
    vk_app_call_event(app, CALL_EVENT_HUB_LOST, NULL, FALSE);
  if (changes == VK_MODEL_PRESENCE && app->screen != VK_SCREEN_HOME)
    return; /* only home shows who is available */
  const VkModelDocument *d = m->document;
  if (changes == VK_MODEL_DOCUMENTS && d && g_strcmp0(d->kind, "checkin") != 0)
    return; /* a plugin's document reaches the screen when the plugin answers (plugins_glue.h) */
  vk_app_invalidate(app);
}

/* What the modules below the application ask of it (kiosk/app_port.h). */
static const VkAppPort port = {
    .show = vk_app_do_show,
    .redraw = vk_app_do_redraw,
    .call_event = vk_app_do_call_event,
    .activate = vk_app_do_activate,
    .set_notice = vk_app_do_set_notice,
    .remote_frame = vk_app_do_remote_frame,
    .set_weak_connection = vk_app_do_set_weak_connection,
    .plugin_action = vk_plugins_action,
};

VkApp *
vk_app_new(VkOptions *opts, GError **error)
{
  g_autoptr(VkTheme) theme = vk_theme_load(opts->themes_dir, opts->theme, error);
  if (!theme)
    return NULL;
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (opts->headless) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
  }
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "SDL: %s", SDL_GetError());
    return NULL;
  }
  IMG_Init(IMG_INIT_JPG | IMG_INIT_PNG);
  VkApp *app = g_new0(VkApp, 1);
  app->port = &port;
  app->opts = opts;
  app->volume = 7;
  app->camera_on = TRUE;
  app->read_messages = TRUE; /* on unless a helper turns it off */
  vk_messages_state_init(&app->messages);
  app->screens_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  call_state_init(&app->call, NULL);
  app->model = vk_model_new();

  int w = opts->width > 0 ? opts->width : 1280, h = opts->height > 0 ? opts->height : 800;
  Uint32 flags = SDL_WINDOW_SHOWN;
  if (!opts->headless && opts->width <= 0)
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  app->window =
      SDL_CreateWindow("Vindu", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (app->window)
    app->renderer = SDL_CreateRenderer(
        app->window, -1, opts->headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED);
  if (!app->renderer && app->window)
    app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
  if (!app->renderer) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open the window: %s", SDL_GetError());
    vk_app_free(app);
    return NULL;
  }
  SDL_GetRendererOutputSize(app->renderer, &w, &h);
  double dpi = opts->dpi;
  if (dpi <= 0) {
    float ddpi = 0;
    dpi = SDL_GetDisplayDPI(0, &ddpi, NULL, NULL) == 0 && ddpi > 50 ? ddpi : 150;
  }
  app->theme = g_steal_pointer(&theme);
  app->ui = vk_ui_new(app->renderer, app->theme, (VkLayout){w, h, dpi});
  vk_photo_loader_on_ready(app->ui->photos, photo_ready, app);
  if (!opts->headless)
    SDL_ShowCursor(SDL_DISABLE);
  app->model_listener = vk_model_listen(app->model, model_changed, app);
  vk_app_arm_clock(app);
  return app;
}

void
vk_app_free(VkApp *app)
{
  if (!app)
    return;
  g_clear_handle_id(&app->call_timer, g_source_remove);
  g_clear_handle_id(&app->ring_speech_timer, g_source_remove);
  g_clear_handle_id(&app->picture_timer, g_source_remove);
  g_clear_handle_id(&app->volume_timer, g_source_remove);
  g_clear_pointer(&app->plans_said, g_hash_table_unref);
  g_clear_handle_id(&app->idle_timer, g_source_remove);
  g_clear_handle_id(&app->clock_timer, g_source_remove);
  g_clear_handle_id(&app->redraw_idle, g_source_remove);
  vk_messages_state_clear(&app->messages);
  vk_frame_state_clear(&app->frame);
  vk_photo_frame_forget();
  vk_voice_reply_free(app); /* a reply still being recorded when the kiosk stops is not sent */
  vk_voice_player_free(app->player);
  vk_memory_state_clear(&app->memory);
  g_clear_pointer(&app->root, vk_widget_free);
  vk_model_unlisten(app->model, app->model_listener);
  vk_plugins_free(app);
  vk_plugin_reports_free(app);
  vk_ui_free(app->ui);
  vk_theme_free(app->theme);
  if (app->renderer)
    SDL_DestroyRenderer(app->renderer);
  if (app->window)
    SDL_DestroyWindow(app->window);
  call_state_clear(&app->call);
  vk_model_free(app->model);
  g_hash_table_unref(app->screens_seen);
  g_free(app->last_state);
  g_free(app);
  IMG_Quit();
  TTF_Quit();
  SDL_Quit();
}
