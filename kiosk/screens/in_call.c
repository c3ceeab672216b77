#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

/* The picture area when the other person's picture has stopped: their photo on the left below
 * the live indicator (and the banner, if there is one), the sentence on the right above the
 * self-view, in the title size where it fits and the body size on a small screen. */
static void
add_picture_stopped(VkApp *app, VkWidget *root, VkPerson *p, const char *name, SDL_Rect video,
                    SDL_Rect self, gboolean banner, const char *sentence)
{
  VkUi *ui = app->ui;
  VkGeom g = vk_geom(app);
  int pill_h = g.body * 3 / 2;
  int top = g.m + (banner ? 2 : 1) * (pill_h + g.g);
  int side = MIN(video.h - g.m - top, g.w / 3);
  VkWidget *img = vk_widget_add(
      root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name,
                         vk_rect(g.m, top + (video.h - g.m - top - side) / 2, side, side)));
  img->radius = vk_ui_mm(ui, 3);
  int x = g.m + side + 2 * g.g;
  g_autofree char *text = g_strdup_printf(sentence, name);
  /* Above the self-view across the width, or beside it down to the controls (a small screen,
   * where the controls take two rows): the first of these boxes and sizes where it fits. */
  SDL_Rect above = vk_rect(x, top, g.w - g.m - x, self.y - g.g - top);
  SDL_Rect beside = vk_rect(x, top, self.x - g.g - x, video.h - g.m - top);
  const SDL_Rect boxes[] = {above, beside, above, beside};
  VkWidget *l = vk_widget_add(
      root, vk_label_new(ui, "picture-stopped", text, VK_TEXT_TITLE, above, ui->theme->text));
  l->wrap = TRUE;
  for (guint k = 0; k < G_N_ELEMENTS(boxes); k++) {
    l->rect = boxes[k];
    l->font_px = k < 2 ? g.title : g.body;
    if (vk_text_fits(ui, l))
      break;
  }
}

/* The sizes of the controls' row(s) at the bottom. */
typedef struct {
  int vw;   /* Quieter, Louder */
  int volw; /* the volume between them */
  int cw;   /* the camera button, as wide as its longer sentence */
  gboolean one_row;
  int bar_h;
} Controls;

static void
measure_controls(VkApp *app, Controls *c)
{
  VkGeom g = vk_geom(app);
  c->vw = MAX(vk_button_width(app, _("Quieter"), g.t), vk_button_width(app, _("Louder"), g.t));
  g_autofree char *vol = g_strdup_printf(_("Volume %d"), app->volume);
  c->volw = vk_button_width(app, vol, 0) - vk_ui_mm(app->ui, 4); /* a label: buttons pad it */
  c->cw = MAX(vk_button_width(app, _("Turn camera off"), g.t),
              vk_button_width(app, _("Turn camera on"), g.t));
  /* Hang up takes the rest of its row, so it needs only its word and a little room to fit;
   * the 20 mm of UX.md (g.t) at the least. */
  int hw = MAX(g.t, vk_button_width(app, _("Hang up"), 0) - vk_ui_mm(app->ui, 4));
  /* One row when everything fits at its full size; otherwise (a small screen at the body text's
   * floor) volume gets a row of its own above camera and Hang up, so that no button is ever
   * squeezed below the 20 mm of UX.md or cuts its word. */
  c->one_row = g.m + 2 * c->vw + c->volw + c->cw + hw + 4 * g.g + g.m <= g.w;
  c->bar_h = (c->one_row ? 1 : 2) * g.t + (c->one_row ? 0 : g.g) + 2 * g.m;
}

/* Self-view in the bottom right corner of the picture, just above the controls: clear of the
 * live indicator (top left, wide in Norwegian), the banners (top middle) and Hang up. 45 mm wide
 * like a small photo, at most a quarter of the screen, 4:3 like the camera. Nothing until our
 * first frame: no empty box while the camera starts. Sets *self to its place either way. */
static VkWidget *
self_view_new(VkApp *app, SDL_Rect video, SDL_Rect *self)
{
  VkUi *ui = app->ui;
  VkGeom g = vk_geom(app);
  int sw = MIN(vk_ui_mm(ui, 45), g.w / 4), sh = sw * 3 / 4;
  *self = vk_rect(g.w - g.m - sw, video.h - g.m - sh, sw, sh);
  if (!app->camera_on) {
    /* "Your camera is off" in words, never cut: on a small screen at the text's floor size the
     * box grows (4:3 kept, up to a third of the width) until the words fit. */
    VkWidget *self_view = vk_self_view_new(ui, *self, _("Your camera is off"));
    while (!vk_text_fits(ui, self_view) && sw < g.w / 3 && sh < video.h / 2) {
      sw += vk_ui_mm(ui, 3);
      sh = sw * 3 / 4;
      *self = vk_rect(g.w - g.m - sw, video.h - g.m - sh, sw, sh);
      self_view->rect = *self;
    }
    return self_view;
  }
  return ui->video_tex[1] ? vk_self_view_new(ui, *self, NULL) : NULL;
}

/* The banner's words while connecting, reconnecting or on a weak link, or NULL. */
static const char *
banner_text(VkApp *app)
{
  if (app->call.state == CALL_STATE_RECONNECTING)
    return _("Reconnecting…");
  if (app->call.state == CALL_STATE_CONNECTING)
    return _("Connecting…");
  if (app->weak_connection && !app->picture.paused) /* a paused picture says it itself */
    return _("The connection is weak");
  return NULL;
}

/* The other person's picture, or their photo while it has not come or has stopped. */
static void
add_picture(VkApp *app, VkWidget *root, SDL_Rect video, SDL_Rect self, gboolean banner)
{
  VkUi *ui = app->ui;
  VkPerson *p = vk_model_find_person(app->model, app->call.peer_id);
  const char *name = vk_person_name(app, app->call.peer_id);
  if (app->picture.stopped || app->picture.paused) {
    /* Their picture stopped: a frozen face would look like a live person who does not answer.
     * Their photo, as when they rang, and in words why and that the call goes on: their camera
     * is off, or (while the link is weak) the connection has paused it — never "camera off"
     * for what may be the network. */
    add_picture_stopped(app, root, p, name, video, self, banner,
                        app->picture.stopped
                            ? _("%s's camera is off. You can still talk.")
                            : _("%s's picture has paused. The connection is weak."));
  } else if (!ui->video_tex[0]) {
    /* Until the first picture arrives: their photo, never a black hole. */
    vk_widget_add(root, vk_image_new(ui, "face", p ? p->photo_path : NULL, name, video));
  } else {
    vk_widget_add(root, vk_video_view_new(ui, "remote-video", 0, video));
  }
}

/* Top left: what is live, and whom the resident is talking to; the banner in the middle. */
static void
add_indicators(VkApp *app, VkWidget *root, const char *banner)
{
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  /* Camera honesty: always say what is live. */
  const char *live =
      app->camera_on ? _("● Camera and microphone on") : _("● Microphone on, camera off");
  vk_widget_add(root,
                vk_pill(app, "live", live, g.m, g.m, t->hangup, t->hangup_text, VK_ROLE_INDICATOR));
  /* whom the resident is talking to, under what is live */
  g_autofree char *with =
      g_strdup_printf(_("Talking with %s"), vk_person_name(app, app->call.peer_id));
  VkWidget *who =
      vk_pill(app, "caller", with, g.m, 0, t->photo_band, t->photo_band_text, VK_ROLE_LABEL);
  who->rect.y = g.m + who->rect.h + g.g;
  who->bold = FALSE;
  vk_widget_add(root, who);
  if (banner) { /* flat and not bold: a banner never looks like a button */
    VkWidget *b = vk_pill(app, "banner", banner, 0, 0, t->banner, t->banner_text, VK_ROLE_BANNER);
    b->rect.x = (g.w - b->rect.w) / 2;
    b->rect.y = who->rect.y + b->rect.h + g.g;
    b->radius = 0;
    b->bold = FALSE;
    vk_widget_add(root, b);
  }
}

/* Quieter, the volume, Louder; the camera; Hang up taking the rest of its row. */
static void
add_controls(VkApp *app, VkWidget *root, SDL_Rect video, const Controls *c)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  g_autofree char *vol = g_strdup_printf(_("Volume %d"), app->volume);
  /* what a touch does, never a state (the red pill says what is live) */
  const char *cam = app->camera_on ? _("Turn camera off") : _("Turn camera on");
  VkWidget *bar = vk_widget_add(
      root, vk_panel_new("controls", vk_rect(0, video.h, g.w, g.h - video.h), t->background, 0));
  int y = g.h - g.m - g.t;
  int x = g.m, vy = c->one_row ? y : y - g.t - g.g;
  vk_widget_add(bar, vk_button_new(ui, "volume-down", _("Quieter"), vk_rect(x, vy, c->vw, g.t),
                                   t->button, t->button_text, "volume-down", NULL));
  x += c->vw + g.g;
  VkWidget *vl = vk_widget_add(
      bar, vk_label_new(ui, "volume", vol, VK_TEXT_BODY, vk_rect(x, vy, c->volw, g.t), t->text));
  vl->align = VK_ALIGN_CENTER;
  x += c->volw + g.g;
  vk_widget_add(bar, vk_button_new(ui, "volume-up", _("Louder"), vk_rect(x, vy, c->vw, g.t),
                                   t->button, t->button_text, "volume-up", NULL));
  x = c->one_row ? x + c->vw + g.g : g.m;
  vk_widget_add(bar, vk_button_new(ui, "camera", cam, vk_rect(x, y, c->cw, g.t), t->button,
                                   t->button_text, "camera", NULL));
  x += c->cw + g.g;
  /* Hang up takes what is left of its row: the largest target, the one that matters most. */
  vk_widget_add(bar, vk_button_new(ui, "hangup", _("Hang up"), vk_rect(x, y, g.w - g.m - x, g.t),
                                   t->hangup, t->hangup_text, "hangup", NULL));
}

/* In a call: the other person large, self-view small, a large Hang up, volume, a visible
 * camera/microphone indicator, and plain banners when the connection is weak or lost. */
VkWidget *
vk_screen_in_call(VkApp *app)
{
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "in-call");
  Controls controls;
  measure_controls(app, &controls);
  SDL_Rect video = vk_rect(0, 0, g.w, g.h - controls.bar_h);
  SDL_Rect self;
  VkWidget *self_view = self_view_new(app, video, &self);
  const char *banner = banner_text(app);
  add_picture(app, root, video, self, banner != NULL);
  if (self_view)
    vk_widget_add(root, self_view);
  add_indicators(app, root, banner);
  add_controls(app, root, video, &controls);
  return root;
}
