#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"
#include "kiosk/voice_reply.h"

/* Recording a voice reply: whose it is for (face and name), "Recording… 0:07", the microphone
 * indicator, a large "Stop and send" and a Cancel. If the microphone does not work: say so
 * plainly, and Back. */
VkWidget *
vk_screen_recording(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "recording");
  VkVoiceReply *v = app->voice;
  const char *to = v ? v->to_id : NULL;
  VkPerson *p = vk_model_find_person(app->model, to);
  const char *name = vk_person_name(app, to);
  gboolean failed = !v || v->failed;

  int pill_h = g.body * 3 / 2;
  if (!failed) /* camera honesty: say the microphone is live, for as long as it is */
    vk_widget_add(root, vk_pill(app, "live", _("● Microphone on"), g.m, g.m, t->hangup,
                                t->hangup_text, VK_ROLE_INDICATOR));
  int btn_h = g.t * 5 / 4;
  int top = g.m + pill_h + g.g;
  int side = MIN(g.h - top - btn_h - g.m - 2 * g.g, g.w / 3);
  VkWidget *img = vk_widget_add(root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name,
                                                   vk_rect(g.m, top, side, side)));
  img->radius = vk_ui_mm(ui, 3);

  int x = g.m + side + 2 * g.g, w = g.w - x - g.m, y = top;
  g_autofree char *heading = g_strdup_printf(_("A voice message for %s"), name);
  int head_h = g.name * 5 / 2;
  VkWidget *hl = vk_widget_add(
      root, vk_label_new(ui, "heading", heading, VK_TEXT_NAME, vk_rect(x, y, w, head_h), t->text));
  hl->wrap = TRUE;
  y += head_h + g.g;
  g_autofree char *what = NULL;
  const char *hint;
  if (failed) {
    what = g_strdup(_("The microphone is not working."));
    hint = _("A helper can look at it.");
  } else {
    guint s = vk_voice_reply_elapsed_ms(app) / 1000;
    what = g_strdup_printf(_("Recording… %u:%02u"), s / 60, s % 60);
    hint = _("At most 2 minutes");
  }
  int what_h = g.title * 5 / 2;
  VkWidget *wl = vk_widget_add(
      root, vk_label_new(ui, "status", what, VK_TEXT_TITLE, vk_rect(x, y, w, what_h), t->text));
  wl->wrap = TRUE;
  y += what_h + g.g;
  VkWidget *hn = vk_widget_add(
      root, vk_label_new(ui, "hint", hint, VK_TEXT_BODY,
                         vk_rect(x, y, w, MAX(g.body * 3 / 2, vk_body_height(app, hint, w))),
                         t->secondary));
  hn->wrap = TRUE; /* a small screen: on two lines rather than cut */

  int by = g.h - g.m - btn_h;
  const char *back = failed ? _("Back") : _("Cancel");
  int bw = vk_button_width(app, back, g.w / 4);
  vk_widget_add(root, vk_button_new(ui, "cancel-recording", back, vk_rect(g.m, by, bw, btn_h),
                                    t->button, t->button_text, "cancel-recording", NULL));
  if (!failed) {
    int sx = g.m + bw + 2 * g.g;
    vk_widget_add(root, vk_button_new(ui, "stop-send", _("Stop and send"),
                                      vk_rect(sx, by, g.w - g.m - sx, btn_h), t->call, t->call_text,
                                      "stop-send", NULL));
  }
  return root;
}
