#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

/* Until the hub binds the kiosk to a household: a large code and a QR code. Nothing to touch. */
VkWidget *
vk_screen_pairing(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "pairing");
  const char *code = app->model->pair_code ? app->model->pair_code : "";
  if (!*code) {
    /* binding itself with a household's code: nothing for anyone to type */
    VkWidget *w = vk_widget_add(
        root, vk_label_new(ui, "title", _("Getting ready. This takes a moment."), VK_TEXT_TITLE,
                           vk_rect(g.m, g.m, g.w - 2 * g.m, g.h - 2 * g.m), t->text));
    w->wrap = TRUE;
    w->align = VK_ALIGN_CENTER;
    return root;
  }
  /* the square as large as leaves room below it for its sentence, whole */
  const char *scan_text = _("Or scan this square with a phone.");
  int qr_side = g.w * 2 / 5, scan_h = 0;
  for (int k = 0; k < 3; k++) {
    scan_h = vk_body_height(app, scan_text, qr_side);
    qr_side = MIN(g.w * 2 / 5, g.h - 2 * g.m - 2 * g.g - scan_h);
  }
  scan_h = vk_body_height(app, scan_text, qr_side);
  int text_w = g.w - 3 * g.m - qr_side;
  int y = g.m + g.g;
  VkWidget *title = vk_widget_add(
      root, vk_label_new(ui, "title", _("Hello! Vindu is almost ready."), VK_TEXT_TITLE,
                         vk_rect(g.m, y, text_w, g.title * 5 / 2), t->text));
  title->wrap = TRUE;
  y += g.title * 5 / 2 + g.g;
  VkWidget *ask = vk_widget_add(
      root, vk_label_new(ui, "ask", _("Ask someone in your family to enter this code in Vindu:"),
                         VK_TEXT_BODY, vk_rect(g.m, y, text_w, g.body * 4), t->text));
  ask->wrap = TRUE;
  y += g.body * 4 + g.g;
  /* digits in groups of three are easier to read aloud over the phone */
  g_autoptr(GString) spaced = g_string_new(NULL);
  for (const char *p = code; *p; p++) {
    if (p != code && (p - code) % 3 == 0)
      g_string_append_c(spaced, ' ');
    g_string_append_c(spaced, *p);
  }
  int code_h = g.clock * 2;
  VkWidget *c = vk_widget_add(root, vk_label_new(ui, "code", spaced->str, VK_TEXT_CLOCK,
                                                 vk_rect(g.m, y, text_w, code_h), t->text));
  c->font_px = g.clock * 3 / 2;
  g_autofree char *qr_data =
      g_strdup_printf("%s#pair=%s", app->opts->hub_url ? app->opts->hub_url : "vindu:", code);
  int qy = g.m + g.g;
  vk_widget_add(root,
                vk_qr_new(ui, "qr", qr_data, vk_rect(g.w - g.m - qr_side, qy, qr_side, qr_side)));
  VkWidget *scan = vk_widget_add(
      root, vk_label_new(ui, "scan", scan_text, VK_TEXT_BODY,
                         vk_rect(g.w - g.m - qr_side, qy + qr_side + g.g, qr_side, scan_h),
                         t->secondary));
  scan->wrap = TRUE;
  scan->align = VK_ALIGN_CENTER;
  return root;
}
