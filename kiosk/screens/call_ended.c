#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

static char *
sentence(CallEndReason r, const char *name)
{
  switch (r) {
  case CALL_END_BUSY:
    return g_strdup_printf(_("%s is busy right now. Try again a little later."), name);
  case CALL_END_NO_ANSWER:
    return g_strdup_printf(_("%s did not answer. Try again later."), name);
  case CALL_END_NO_ANSWER_TOLD:
    return g_strdup_printf(_("%s did not answer, but will be told that you called."), name);
  case CALL_END_REMOTE_DECLINED:
    return g_strdup_printf(_("%s cannot talk right now."), name);
  case CALL_END_MISSED:
    return g_strdup_printf(_("You missed a call from %s."), name);
  case CALL_END_LOST:
    return g_strdup_printf(_("The call with %s was cut off."), name);
  case CALL_END_NO_MICROPHONE:
    return g_strdup_printf(
        _("The microphone is not working, so %s was not called. A helper can look at it."), name);
  case CALL_END_MISSED_NO_MICROPHONE:
    return g_strdup_printf(
        _("%s tried to call you, but the microphone is not working. A helper can look at it."),
        name);
  case CALL_END_REMOTE_NO_WEBRTC:
    return g_strdup_printf(_("%s cannot take a video call on the phone or computer in use now."),
                           name);
  case CALL_END_NOT_CONNECTED:
    return g_strdup_printf(_("This screen is not connected just now, so %s cannot be called. "
                             "A helper can look at it."),
                           name);
  case CALL_END_CANCELLED:
  case CALL_END_DECLINED:
  case CALL_END_HUNG_UP:
  case CALL_END_REMOTE_HUNG_UP:
  case CALL_END_NONE:
    break;
  }
  return g_strdup_printf(_("The call with %s has ended."), name);
}

gboolean
vk_call_end_is_problem(CallEndReason r)
{
  return r == CALL_END_NO_MICROPHONE || r == CALL_END_MISSED_NO_MICROPHONE ||
         r == CALL_END_REMOTE_NO_WEBRTC || r == CALL_END_NOT_CONNECTED;
}

char *
vk_call_ended_sentence(VkApp *app)
{
  return sentence(app->call.end_reason, vk_person_name(app, app->call.peer_id));
}

/* After a call: one plain sentence, then home by itself after a few seconds. No microphone:
 * what happened and that a helper can fix it, with Home only (calling again would not work). */
VkWidget *
vk_screen_call_ended(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "call-ended");
  VkPerson *p = vk_model_find_person(app->model, app->call.peer_id);
  const char *name = vk_person_name(app, app->call.peer_id);
  gboolean problem = vk_call_end_is_problem(app->call.end_reason);
  int side = MIN(problem ? g.h / 3 : g.h / 2, g.w / 3); /* a longer sentence needs the room */
  VkWidget *img = vk_widget_add(root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name,
                                                   vk_rect((g.w - side) / 2, g.m, side, side)));
  img->radius = vk_ui_mm(ui, 3);
  g_autofree char *s = sentence(app->call.end_reason, name);
  int ly = g.m + side + g.g;
  VkWidget *l = vk_widget_add(
      root, vk_label_new(ui, "sentence", s, VK_TEXT_TITLE,
                         vk_rect(g.m, ly, g.w - 2 * g.m, g.h - g.m - g.t - g.g - ly), t->text));
  l->wrap = TRUE;
  l->align = VK_ALIGN_CENTER;
  vk_fit_or_body(app, l); /* a small screen: the whole sentence in body size, never cut */
  gboolean again =
      p && (app->call.end_reason == CALL_END_BUSY || app->call.end_reason == CALL_END_NO_ANSWER ||
            app->call.end_reason == CALL_END_MISSED || app->call.end_reason == CALL_END_LOST);
  const char *home = _("Home");
  g_autofree char *call_again = g_strdup_printf(_("Call %s"), name);
  int bw = vk_button_width(app, home, g.w / 4);
  int cw = again ? vk_button_width(app, call_again, g.w / 4) : 0;
  int total = bw + (again ? cw + g.g : 0);
  int x = (g.w - total) / 2, y = g.h - g.m - g.t;
  vk_widget_add(root, vk_button_new(ui, "home", home, vk_rect(x, y, bw, g.t), t->button,
                                    t->button_text, "home", NULL));
  if (again)
    vk_widget_add(root,
                  vk_button_new(ui, "call-again", call_again, vk_rect(x + bw + g.g, y, cw, g.t),
                                t->call, t->call_text, "call", p->id));
  return root;
}
