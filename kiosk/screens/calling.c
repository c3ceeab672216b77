#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

/* Calling out: the face, "Calling Anna…", a large Cancel. */
VkWidget *
vk_screen_calling(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "calling");
  VkPerson *p = vk_model_find_person(app->model, app->call.peer_id);
  const char *name = vk_person_name(app, app->call.peer_id);
  int title_h = g.title * 3 / 2;
  int btn_h = g.t * 5 / 4;
  int side = g.h - 2 * g.m - title_h - btn_h - 2 * g.g;
  side = MIN(side, g.w - 2 * g.m);
  VkWidget *img = vk_widget_add(root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name,
                                                   vk_rect((g.w - side) / 2, g.m, side, side)));
  img->radius = vk_ui_mm(ui, 3);
  g_autofree char *title = g_strdup_printf(_("Calling %s…"), name);
  VkWidget *l = vk_widget_add(
      root, vk_label_new(ui, "title", title, VK_TEXT_TITLE,
                         vk_rect(g.m, g.m + side + g.g, g.w - 2 * g.m, title_h), t->text));
  l->align = VK_ALIGN_CENTER;
  const char *cancel = _("Cancel");
  int bw = vk_button_width(app, cancel, g.w * 2 / 5);
  vk_widget_add(root, vk_button_new(ui, "cancel", cancel,
                                    vk_rect((g.w - bw) / 2, g.h - g.m - btn_h, bw, btn_h),
                                    t->hangup, t->hangup_text, "cancel", NULL));
  return root;
}
