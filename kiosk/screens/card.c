#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/cache.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/screens/common.h"

/* A plugin's card, in the kiosk's own widgets and theme: the title large at the top, a photo
 * (when it has one and the file is here) beside the body text, the countdown in words, and a
 * row of the plugin's buttons (at most three) followed by the kiosk's own Close, which always
 * leads home. Every size comes from the theme, so the card meets the resident's rules as every
 * other screen does: at most four targets, each a full target's size, text at least the body
 * size, wrapped rather than cut. */

static char *
photo_path(VkApp *app, const char *hash)
{
  if (hash && !app->cache && app->model->fixture_files) { /* --describe with a fixture */
    const char *path = g_hash_table_lookup(app->model->fixture_files, hash);
    return path && g_file_test(path, G_FILE_TEST_EXISTS) ? g_strdup(path) : NULL;
  }
  if (!hash || !app->cache)
    return NULL;
  char *path = vk_cache_file_path(app->cache, hash);
  if (g_file_test(path, G_FILE_TEST_EXISTS))
    return path;
  if (app->hooks.fetch_file)
    app->hooks.fetch_file(app->hooks.data, hash); /* shown when it is here: the card redraws */
  g_free(path);
  return NULL;
}

static void
add_buttons(VkApp *app, VkWidget *root, VkCard *c, VkGeom g)
{
  VkTheme *t = app->ui->theme;
  const char *close = _("Close");
  int widths[4], total = 0, n = c->n_buttons + 1;
  for (int i = 0; i < n; i++) {
    widths[i] = vk_button_width(app, i < c->n_buttons ? c->button_label[i] : close, g.w / 6);
    total += widths[i] + (i ? g.g : 0);
  }
  int avail = g.w - 2 * g.m;
  if (total > avail) /* shrink every button alike; the labels then wrap to fit */
    for (int i = 0; i < n; i++)
      widths[i] = (avail - (n - 1) * g.g) / n;
  int x = g.m + MAX((avail - total) / 2, 0), y = g.h - g.m - g.t;
  for (int i = 0; i < n; i++) {
    gboolean mine = i == c->n_buttons;
    g_autofree char *name =
        mine ? g_strdup("card-close") : g_strdup_printf("card:%s", c->button_id[i]);
    VkWidget *b = vk_widget_add(
        root, vk_button_new(app->ui, name, mine ? close : c->button_label[i],
                            vk_rect(x, y, widths[i], g.t), t->button, t->button_text,
                            mine ? "card-close" : "card-button", mine ? NULL : c->button_id[i]));
    b->goes_home = mine;
    vk_fit_or_body(app, b);
    x += widths[i] + g.g;
  }
}

VkWidget *
vk_screen_card(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "card");
  VkCard *c = vk_plugin_cards_current(app);
  if (!c)
    return root;
  int title_h = g.title * 3;
  VkWidget *title =
      vk_widget_add(root, vk_label_new(ui, "card-title", c->title, VK_TEXT_TITLE,
                                       vk_rect(g.m, g.m, g.w - 2 * g.m, title_h), t->text));
  title->wrap = TRUE;
  title->align = VK_ALIGN_CENTER;
  vk_fit_or_body(app, title);
  int top = g.m + title_h + g.g, bottom = g.h - g.m - g.t - g.g;
  int left = g.m;
  g_autofree char *photo = photo_path(app, c->photo);
  if (photo) {
    int side = MIN(bottom - top, (g.w - 2 * g.m) / 2);
    VkWidget *img = vk_widget_add(
        root, vk_image_new(ui, "card-photo", photo, NULL, vk_rect(g.m, top, side, side)));
    img->radius = vk_ui_mm(ui, 3);
    left = g.m + side + g.g;
  }
  int seconds = vk_plugin_cards_seconds_left(app);
  g_autofree char *countdown =
      seconds > 0 ? g_strdup_printf(_("This closes by itself. Seconds left: %d"), seconds) : NULL;
  int count_h = countdown ? vk_body_height(app, countdown, g.w - g.m - left) : 0;
  if (c->body) {
    VkWidget *body = vk_widget_add(
        root, vk_label_new(ui, "card-body", c->body, VK_TEXT_BODY,
                           vk_rect(left, top, g.w - g.m - left, bottom - top - count_h), t->text));
    body->wrap = TRUE;
    body->align = photo ? VK_ALIGN_LEFT : VK_ALIGN_CENTER;
  }
  if (countdown) {
    VkWidget *l = vk_widget_add(
        root, vk_label_new(ui, "card-countdown", countdown, VK_TEXT_BODY,
                           vk_rect(left, bottom - count_h, g.w - g.m - left, count_h), t->text));
    l->align = photo ? VK_ALIGN_LEFT : VK_ALIGN_CENTER;
    l->wrap = TRUE;
  }
  add_buttons(app, root, c, g);
  return root;
}
