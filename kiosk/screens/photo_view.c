#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"

/* A photo from a message, as large as the screen allows and whole (letterboxed on a calm dark
 * background), with who sent it and their words under it; Back to the message, and Home. */

VkMessage *
vk_app_current_message(VkApp *app)
{
  GPtrArray *m = app->model->messages;
  if (!m->len)
    return NULL;
  return m->pdata[CLAMP(app->messages.index, 0, (int)m->len - 1)];
}

static char *
spoken_text(VkApp *app, VkMessage *m)
{
  const char *from = vk_person_name(app, m->from_id);
  if (m->text && *m->text)
    return g_strdup_printf(_("A photo from %1$s: %2$s"), from, m->text);
  return g_strdup_printf(_("A photo from %s"), from);
}

void
vk_photo_view_open(VkApp *app)
{
  VkMessage *m = vk_app_current_message(app);
  if (!m || m->kind != VK_MSG_PHOTO || !m->media_path)
    return;
  vk_app_show(app, VK_SCREEN_PHOTO_VIEW);
  g_autofree char *s = spoken_text(app, m);
  vk_speech_say(s); /* the words read aloud, for eyes that cannot read them */
}

VkWidget *
vk_screen_photo_view(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "photo-view");
  root->bg = t->photo_band;
  VkMessage *m = vk_app_current_message(app);
  if (!m)
    return root;
  g_autofree char *words = spoken_text(app, m);
  const char *back = _("Back"), *home = _("Home");
  int bw = vk_button_width(app, back, g.t * 3 / 2), hw = vk_button_width(app, home, g.t * 3 / 2);
  int text_w = g.w - 2 * g.m - bw - hw - 2 * g.g;
  int band_h = MAX(g.t, vk_body_height(app, words, text_w));
  int by = g.h - g.m - band_h;
  VkWidget *ph = vk_widget_add(
      root, vk_image_new(ui, "photo", m->media_path, NULL, vk_rect(0, 0, g.w, by - g.g)));
  ph->whole = TRUE;
  ph->bg = t->photo_band;
  VkWidget *l =
      vk_widget_add(root, vk_label_new(ui, "words", words, VK_TEXT_BODY,
                                       vk_rect(g.m, by, text_w, band_h), t->photo_band_text));
  l->wrap = TRUE;
  l->bg = t->photo_band;
  int x = g.w - g.m - bw - g.g - hw;
  vk_widget_add(root, vk_button_new(ui, "back", back, vk_rect(x, by, bw, g.t), t->button,
                                    t->button_text, "messages", NULL));
  vk_widget_add(root, vk_button_new(ui, "home", home, vk_rect(x + bw + g.g, by, hw, g.t), t->button,
                                    t->button_text, "home", NULL));
  return root;
}
