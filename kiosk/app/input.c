/* Input: touch, mouse, keyboard and the one button, to the target they mean (a second touch
 * within 0.6 s is the same touch). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"
#include "kiosk/volume_keys.h"

static void
touch_at(VkApp *app, int x, int y)
{
  gint64 now = g_get_monotonic_time();
  app->last_input_us = now;
  vk_app_reset_idle_timer(app);
  if (!app->root)
    return;
  VkWidget *w = vk_widget_hit(app->root, x, y);
  /* Unsteady hands: a second touch within 0.6 s is the same touch, not a new one. */
  if (app->screen != VK_SCREEN_SETTINGS_PIN && now - app->last_activate_us < 600000)
    return; /* (helpers typing a PIN are not slowed down) */
  if (app->call.state == CALL_STATE_AUTO_ANSWER &&
      (!w || (g_strcmp0(w->action, "answer") != 0 && g_strcmp0(w->action, "decline") != 0))) {
    app->last_activate_us = now;
    vk_app_call_event(app, CALL_EVENT_USER_TOUCH, NULL, FALSE);
    return;
  }
  if (!w) {
    vk_settings_gesture_tap(app, x, y);
    return;
  }
  app->last_activate_us = now;
  g_autofree char *action = g_strdup(w->action);
  g_autofree char *arg = g_strdup(w->arg);
  vk_app_activate(app, action, arg);
}

static void
move_focus(VkApp *app, int step)
{
  if (!app->root)
    return;
  g_autoptr(GPtrArray) targets = vk_widget_targets(app->root);
  if (!targets->len)
    return;
  int i = -1;
  for (guint k = 0; k < targets->len; k++)
    if (targets->pdata[k] == app->focus)
      i = (int)k;
  i = (i + step + (int)targets->len) % (int)targets->len;
  app->focus = targets->pdata[i];
  vk_app_redraw(app);
}

static void
activate_focus(VkApp *app)
{
  if (!app->focus)
    return;
  SDL_Rect r = app->focus->rect;
  app->last_activate_us = 0;
  touch_at(app, r.x + r.w / 2, r.y + r.h / 2);
}

/* A key: the volume keys on every screen; otherwise Tab / arrows move the focus, Enter
 * activates, Escape goes home (one-button mode: any key is the button, see SDL_KEYUP). */
static void
key_down(VkApp *app, const SDL_KeyboardEvent *key)
{
  app->input_event_us = g_get_monotonic_time();
  app->last_input_us = app->input_event_us;
  vk_app_reset_idle_timer(app);
  if (vk_volume_key(app, key->keysym.sym)) /* the loudspeaker's own keys, on every screen */
    return;
  if (app->opts->one_button) {
    if (!key->repeat)
      app->key_down_us = app->input_event_us;
    return;
  }
  switch (key->keysym.sym) {
  case SDLK_TAB:
    move_focus(app, (key->keysym.mod & KMOD_SHIFT) ? -1 : 1);
    break;
  case SDLK_RIGHT:
  case SDLK_DOWN:
    move_focus(app, 1);
    break;
  case SDLK_LEFT:
  case SDLK_UP:
    move_focus(app, -1);
    break;
  case SDLK_RETURN:
  case SDLK_KP_ENTER:
  case SDLK_SPACE:
    activate_focus(app);
    vk_app_redraw(app);
    break;
  case SDLK_ESCAPE:
  case SDLK_HOME:
    if (app->call.state == CALL_STATE_IDLE || app->call.state == CALL_STATE_ENDED)
      vk_app_activate(app, "home", NULL);
    break;
  default:
    break;
  }
}

void
vk_app_handle_event(VkApp *app, const SDL_Event *ev)
{
  switch (ev->type) {
  case SDL_QUIT:
    if (app->loop)
      g_main_loop_quit(app->loop);
    break;
  case SDL_MOUSEBUTTONDOWN:
    if (ev->button.which == SDL_TOUCH_MOUSEID)
      break; /* the finger event handles it */
    if (!app->input_event_us)
      app->input_event_us = g_get_monotonic_time();
    touch_at(app, ev->button.x, ev->button.y);
    vk_app_redraw(app);
    break;
  case SDL_FINGERDOWN:
    app->input_event_us = g_get_monotonic_time();
    touch_at(app, (int)(ev->tfinger.x * app->ui->layout.width),
             (int)(ev->tfinger.y * app->ui->layout.height));
    vk_app_redraw(app);
    break;
  case SDL_KEYDOWN:
    key_down(app, &ev->key);
    break;
  case SDL_KEYUP:
    if (app->opts->one_button && app->key_down_us) {
      /* One-button mode: a short press steps to the next target, a long press selects. */
      gint64 held = g_get_monotonic_time() - app->key_down_us;
      app->key_down_us = 0;
      app->input_event_us = g_get_monotonic_time();
      if (held >= 800000) {
        activate_focus(app);
        vk_app_redraw(app);
      } else {
        move_focus(app, 1);
      }
    }
    break;
  case SDL_WINDOWEVENT:
    if (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
        ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
      vk_app_invalidate(app);
    break;
  default:
    break;
  }
}
