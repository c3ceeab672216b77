#define G_LOG_DOMAIN "vindu-kiosk"
/* Settings for helpers, not the resident: behind a deliberate gesture (five taps on the clock
 * within four seconds) and a PIN stored, hashed, in the cache (--settings-pin). Without a PIN
 * the gesture does nothing, so the resident can never stumble into it. */
#include <string.h>

#include "kiosk/cache.h"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"
#include "kiosk/settings_store.h"
#include "kiosk/speech.h"

static const char *
language_name(const char *code)
{
  if (g_strcmp0(code, "nb") == 0)
    return "Norsk bokmål";
  if (g_strcmp0(code, "nn") == 0)
    return "Norsk nynorsk";
  if (g_strcmp0(code, "sv") == 0)
    return "Svenska";
  return "English";
}

static const char *
theme_label(const char *name)
{
  if (g_strcmp0(name, "high-contrast") == 0)
    return _("High contrast");
  if (g_strcmp0(name, "dark") == 0)
    return _("Dark");
  return _("Light");
}

VkWidget *
vk_screen_settings_pin(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "settings-pin");
  /* keypad on the right: 3 columns x 4 rows of targets at least t tall */
  int rows = 4, cols = 3;
  int kh = g.h - 2 * g.m;
  int bh = (kh - (rows - 1) * g.g) / rows;
  int bw = MAX(bh, g.t);
  int kw = cols * bw + (cols - 1) * g.g;
  int kx = g.w - g.m - kw;
  const char *keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", NULL};
  for (int i = 0; i < 12; i++) {
    if (!keys[i])
      continue;
    g_autofree char *name = g_strconcat("digit-", keys[i], NULL);
    VkWidget *b = vk_widget_add(
        root, vk_button_new(ui, name, keys[i],
                            vk_rect(kx + (i % 3) * (bw + g.g), g.m + (i / 3) * (bh + g.g), bw, bh),
                            t->button, t->button_text, "pin-digit", keys[i]));
    b->text_kind = VK_TEXT_TITLE;
    b->font_px = g.title;
  }
  int lw = kx - 2 * g.m;
  VkWidget *l =
      vk_widget_add(root, vk_label_new(ui, "title", _("Settings for helpers"), VK_TEXT_TITLE,
                                       vk_rect(g.m, g.m, lw, g.title * 3), t->text));
  l->wrap = TRUE;
  const char *prompt = app->settings.pin_wrong ? _("That was not the right code. Try again.")
                                               : _("Enter the helper code.");
  VkWidget *p =
      vk_widget_add(root, vk_label_new(ui, "prompt", prompt, VK_TEXT_BODY,
                                       vk_rect(g.m, g.m + g.title * 3, lw, g.body * 4), t->text));
  p->wrap = TRUE;
  char dots[3 * 8 + 1] = "";
  for (size_t i = 0; i < strlen(app->settings.pin_entry); i++)
    strcat(dots, "●");
  vk_widget_add(root, vk_label_new(ui, "entered", dots, VK_TEXT_TITLE,
                                   vk_rect(g.m, g.m + g.title * 3 + g.body * 4, lw, g.title * 2),
                                   t->text));
  const char *cancel = _("Cancel");
  vk_widget_add(
      root, vk_button_new(ui, "cancel-settings", cancel,
                          vk_rect(g.m, g.h - g.m - g.t, vk_button_width(app, cancel, lw / 2), g.t),
                          t->button, t->button_text, "home", NULL));
  return root;
}

/* The connection line: connected or not, and the outbox (so a helper can see that nothing the
 * resident sent was lost). The explanation of what works offline is left out where it does not
 * fit (a small screen); the counts never are. transfer full */
static char *
network_text(VkApp *app, SDL_Rect r)
{
  gboolean online = app->hooks.hub_connected && app->hooks.hub_connected(app->hooks.data);
  guint waiting = 0, refused = 0;
  if (app->hooks.outbox_counts)
    app->hooks.outbox_counts(app->hooks.data, &waiting, &refused);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func(g_free);
  if (waiting)
    g_ptr_array_add(counts,
                    g_strdup_printf(dngettext(VK_GETTEXT_DOMAIN, "%u reply is waiting to be sent.",
                                              "%u replies are waiting to be sent.", waiting),
                                    waiting));
  if (refused)
    g_ptr_array_add(
        counts,
        g_strdup_printf(
            dngettext(VK_GETTEXT_DOMAIN, "%u reply was not accepted by Vindu; it is kept here.",
                      "%u replies were not accepted by Vindu; they are kept here.", refused),
            refused));
  const char *status[] = {
      online ? _("Connected to Vindu.")
             : _("Not connected: calls cannot be made now; photos and messages already here "
                 "still show."),
      online ? _("Connected to Vindu.") : _("Not connected."),
  };
  g_ptr_array_add(counts, NULL);
  g_autofree char *tail = g_strjoinv(" ", (char **)counts->pdata);
  char *text = NULL;
  for (guint i = 0; i < G_N_ELEMENTS(status); i++) {
    g_free(text);
    text = *tail ? g_strconcat(status[i], " ", tail, NULL) : g_strdup(status[i]);
    int w = 0, h = 0;
    vk_text_measure(app->ui, text, vk_ui_font_px(app->ui, VK_TEXT_BODY), FALSE, r.w, &w, &h);
    if (h <= r.h)
      break;
  }
  return text;
}

VkWidget *
vk_screen_settings(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "settings");
  vk_widget_add(root,
                vk_label_new(ui, "title", _("Settings for helpers"), VK_TEXT_TITLE,
                             vk_rect(g.m, g.m, g.w - 2 * g.m, vk_title_height(app)), t->text));
  /* two columns of buttons that say what they set and its value: six settings fit the
   * smallest screen with room left for the connection and Done (≤ 8 targets) */
  g_autofree char *lang = g_strdup_printf(_("Language: %s"), language_name(vk_i18n_language()));
  g_autofree char *colours = g_strdup_printf(_("Colours: %s"), theme_label(t->name));
  g_autofree char *speech =
      g_strdup_printf(_("Reading aloud: %s"), app->opts->speech ? _("On") : _("Off"));
  g_autofree char *volume = g_strdup_printf(_("Volume: %d of 10"), app->volume);
  g_autofree char *quiet =
      app->model->quiet_start
          ? g_strdup_printf(_("Quiet hours: %s–%s"), app->model->quiet_start, app->model->quiet_end)
          : g_strdup(_("Quiet hours: none"));
  struct {
    const char *name, *text, *action;
  } cells[] = {
      {"language", lang, "settings-language"}, {"volume", volume, "settings-volume"},
      {"theme", colours, "settings-theme"},    {"quiet-hours", quiet, "settings-quiet"},
      {"speech", speech, "settings-speech"},   {"auto-answer", _("Auto-answer"), "settings-auto"},
  };
  int cw = (g.w - 2 * g.m - g.g) / 2;
  int y0 = g.m + vk_title_height(app) + g.g;
  for (guint i = 0; i < G_N_ELEMENTS(cells); i++) {
    int col = (int)i % 2, row = (int)i / 2;
    vk_widget_add(root,
                  vk_button_new(ui, cells[i].name, cells[i].text,
                                vk_rect(g.m + col * (cw + g.g), y0 + row * (g.t + g.g), cw, g.t),
                                t->button, t->button_text, cells[i].action, NULL));
  }
  int y = y0 + 3 * (g.t + g.g);
  const char *done = _("Done");
  int dw = vk_button_width(app, done, g.t * 2);
  SDL_Rect net_rect = vk_rect(g.m, y, g.w - 2 * g.m - dw - g.g, g.h - g.m - y);
  g_autofree char *net = network_text(app, net_rect);
  VkWidget *n =
      vk_widget_add(root, vk_label_new(ui, "network", net, VK_TEXT_BODY, net_rect, t->secondary));
  n->wrap = TRUE;
  vk_widget_add(root,
                vk_button_new(ui, "done", done, vk_rect(g.w - g.m - dw, g.h - g.m - g.t, dw, g.t),
                              t->call, t->call_text, "home", NULL));
  return root;
}

void
vk_settings_gesture_tap(VkApp *app, int x, int y)
{
  if (app->screen != VK_SCREEN_HOME || !app->root || !app->cache)
    return;
  VkWidget *clock = vk_widget_find(app->root, "clock");
  if (!clock || x < clock->rect.x || y < clock->rect.y || x >= clock->rect.x + clock->rect.w ||
      y >= clock->rect.y + clock->rect.h)
    return;
  if (!vk_settings_state_clock_tap(&app->settings, g_get_monotonic_time()))
    return;
  if (!vk_settings_has_pin(app->cache))
    return; /* no helper code set: no way in */
  vk_settings_state_pin_start(&app->settings);
  vk_app_show(app, VK_SCREEN_SETTINGS_PIN);
}

static void
save(VkApp *app, const char *key, const char *value)
{
  if (app->cache)
    vk_cache_set(app->cache, key, value, NULL);
}

gboolean
vk_settings_activate(VkApp *app, const char *action, const char *arg)
{
  if (vk_settings_more_activate(app, action, arg))
    return TRUE;
  if (g_str_equal(action, "pin-digit") && arg) {
    VkSettingsState *s = &app->settings;
    vk_settings_state_pin_digit(s, arg[0]);
    if (vk_settings_pin_matches(app->cache, s->pin_entry)) {
      vk_settings_state_pin_start(s); /* the code is not kept */
      vk_app_show(app, VK_SCREEN_SETTINGS);
    } else if (strlen(s->pin_entry) >= 8) {
      vk_settings_state_pin_refused(s);
    }
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-language")) {
    const char *cur = vk_i18n_language();
    int i = 0;
    while (vk_languages[i] && g_strcmp0(vk_languages[i], cur) != 0)
      i++;
    const char *next = vk_languages[vk_languages[i] && vk_languages[i + 1] ? i + 1 : 0];
    vk_i18n_set_language(next);
    save(app, "language", next);
    save(app, "language_by_helper", "1");
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-theme")) {
    const char *cur = app->theme->name;
    int i = 0;
    while (vk_theme_names[i] && g_strcmp0(vk_theme_names[i], cur) != 0)
      i++;
    const char *next = vk_theme_names[vk_theme_names[i] && vk_theme_names[i + 1] ? i + 1 : 0];
    g_autoptr(GError) err = NULL;
    VkTheme *t = vk_theme_load(app->opts->themes_dir, next, &err);
    if (!t) {
      g_warning("theme %s: %s", next, err->message);
      return TRUE;
    }
    vk_theme_free(app->theme);
    app->theme = t;
    app->ui->theme = t;
    g_hash_table_remove_all(app->ui->fonts); /* the theme may name other fonts */
    save(app, "theme", next);
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-speech")) {
    app->opts->speech = !app->opts->speech;
    vk_speech_configure(app->opts->speech, app->opts->speech_wav_dir);
    save(app, "speech", app->opts->speech ? "on" : "off");
    vk_app_invalidate(app);
    return TRUE;
  }
  return FALSE;
}
