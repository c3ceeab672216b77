#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"

/* Idle: the photos family sent (the memory book once it exists), with the day in words.
 * Any touch brings home back. */
VkWidget *
vk_screen_photo_frame(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "photo-frame");
  root->bg = t->photo_band;
  vk_widget_set_action(root, "home", NULL);
  GPtrArray *photos = app->model->photos;
  int band_h = g.title * 2;
  if (photos->len) {
    const char *path = photos->pdata[(guint)app->photo_index % photos->len];
    VkWidget *ph = vk_widget_add(
        root, vk_image_new(ui, "photo", path, NULL, vk_rect(0, 0, g.w, g.h - band_h)));
    ph->whole = TRUE; /* the whole photo on the band's calm colour, never a cut-off head */
    ph->bg = t->photo_band;
  }
  g_autofree char *orient = vk_orientation_text(vk_model_now(app->model));
  VkWidget *band = vk_widget_add(
      root, vk_panel_new("band", vk_rect(0, g.h - band_h, g.w, band_h), t->photo_band, 0));
  VkWidget *l = vk_widget_add(band, vk_label_new(ui, "orientation", orient, VK_TEXT_TITLE,
                                                 vk_rect(g.m, g.h - band_h, g.w - 2 * g.m, band_h),
                                                 t->photo_band_text));
  l->align = VK_ALIGN_CENTER;
  l->bg = t->photo_band;
  return root;
}
