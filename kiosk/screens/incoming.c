#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

/* Incoming: face, "Anna is calling", relationship, Answer and Not now; with consent, a
 * visible countdown to answering by itself that one touch stops. */
VkWidget *
vk_screen_incoming(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "incoming");
  VkPerson *p = vk_model_find_person(app->model, app->call.peer_id);
  const char *name = vk_person_name(app, app->call.peer_id);
  int side = MIN(g.h - 2 * g.m, g.w * 9 / 20);
  VkWidget *img = vk_widget_add(root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name,
                                                   vk_rect(g.m, (g.h - side) / 2, side, side)));
  img->radius = vk_ui_mm(ui, 3);
  int x = g.m + side + 2 * g.g, w = g.w - x - g.m, y = g.m;
  g_autofree char *title = g_strdup_printf(_("%s is calling"), name);
  VkWidget *l = vk_widget_add(root, vk_label_new(ui, "title", title, VK_TEXT_TITLE,
                                                 vk_rect(x, y, w, g.title * 5 / 2), t->text));
  l->wrap = TRUE;
  y += g.title * 5 / 2;
  if (p && p->relationship && *p->relationship) {
    vk_widget_add(root, vk_label_new(ui, "relationship", p->relationship, VK_TEXT_BODY,
                                     vk_rect(x, y, w, g.body * 3 / 2), t->secondary));
    y += g.body * 3 / 2;
  }
  int btn_h = g.t * 3 / 2;
  int by = g.h - g.m - btn_h;
  int left = call_state_countdown_left_s(&app->call, vk_app_now_ms());
  gboolean counting = app->call.state == CALL_STATE_AUTO_ANSWER && left >= 0;
  if (counting) {
    /* What will happen, and that it means being seen: a plain banner, never button-like (flat,
     * not bold, its own colour). A touch anywhere stops the countdown; "Not now" is the one no. */
    g_autofree char *secs =
        g_strdup_printf(dngettext(VK_GETTEXT_DOMAIN, "Answering by itself in %d second",
                                  "Answering by itself in %d seconds", left),
                        left);
    g_autofree char *seen = g_strdup_printf(_("%s will see and hear you."), name);
    g_autofree char *cd = g_strdup_printf("%s\n%s", secs, seen);
    int ch = vk_body_height(app, cd, w - 2 * g.g) + g.g;
    int cy = MAX(by - g.g - ch, y);
    VkWidget *bn = vk_widget_add(root, vk_widget_new(VK_ROLE_BANNER, "countdown",
                                                     vk_rect(x, cy, w, MIN(ch, by - g.g - cy))));
    bn->text = g_strdup(cd);
    bn->font_px = g.body;
    bn->wrap = TRUE;
    bn->align = VK_ALIGN_CENTER;
    bn->fg = t->banner_text;
    bn->bg = t->banner;
    bn->fill = TRUE;
  }
  int bw = (w - g.g) / 2;
  vk_widget_add(root,
                vk_button_new(ui, "answer", counting ? _("Answer now") : _("Answer"),
                              vk_rect(x, by, bw, btn_h), t->call, t->call_text, "answer", NULL));
  vk_widget_add(root, vk_button_new(ui, "decline", _("Not now"),
                                    vk_rect(x + bw + g.g, by, w - bw - g.g, btn_h), t->button,
                                    t->button_text, "decline", NULL));
  return root;
}
