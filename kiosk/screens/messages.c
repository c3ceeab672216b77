#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"
#include "kiosk/voice_reply.h"

char *
vk_message_spoken(VkApp *app, VkMessage *m)
{
  const char *from = vk_person_name(app, m->from_id);
  g_autofree char *when = vk_when_text(m->sent_at, vk_model_now(app->model));
  switch (m->kind) {
  case VK_MSG_TEXT:
    return g_strdup_printf(_("%1$s wrote: %2$s"), from, m->text ? m->text : "");
  case VK_MSG_PHOTO:
    return m->text && *m->text ? g_strdup_printf(_("A photo from %1$s: %2$s"), from, m->text)
                               : g_strdup_printf(_("A photo from %s"), from);
  case VK_MSG_VOICE:
    return g_strdup_printf(_("A voice message from %s"), from);
  case VK_MSG_MISSED_CALL:
    return g_strdup_printf(_("%1$s called %2$s."), from, when);
  }
  return g_strdup("");
}

/* Messages: one large card at a time, newest first; Newer / Older to move; a voice note plays
 * with one touch; a missed call offers "Call back"; quick replies and a recorded voice reply
 * answer the sender, and a plain line says what became of the last reply. */
VkWidget *
vk_screen_messages(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "messages");
  GPtrArray *msgs = app->model->messages;

  const char *home = _("Home");
  int hw = vk_button_width(app, home, g.t * 3 / 2);
  vk_widget_add(root, vk_button_new(ui, "home", home, vk_rect(g.m, g.m, hw, g.t), t->button,
                                    t->button_text, "home", NULL));
  int tx = g.m + hw + 2 * g.g;
  if (msgs->len == 0) {
    VkWidget *l = vk_widget_add(
        root, vk_label_new(ui, "empty", _("No messages yet."), VK_TEXT_TITLE,
                           vk_rect(g.m, g.m + g.t, g.w - 2 * g.m, g.h - 2 * g.m - g.t), t->text));
    l->align = VK_ALIGN_CENTER;
    return root;
  }
  int idx = CLAMP(app->message_index, 0, (int)msgs->len - 1);
  VkMessage *m = msgs->pdata[idx];
  const char *from = vk_person_name(app, m->from_id);
  g_autofree char *when = vk_when_text(m->sent_at, vk_model_now(app->model));
  g_autofree char *head = m->kind == VK_MSG_MISSED_CALL
                              ? g_strdup(_("Missed call"))
                              : g_strdup_printf(_("From %1$s, %2$s"), from, when);
  VkWidget *hl = vk_widget_add(root, vk_label_new(ui, "heading", head, VK_TEXT_TITLE,
                                                  vk_rect(tx, g.m, g.w - tx - g.m, g.t), t->text));
  hl->wrap = TRUE;
  vk_fit_or_body(app, hl);

  /* quick replies along the bottom */
  int by = g.h - g.m - g.t;
  /* Each says what it does: a message is sent (never "Call me" beside "Call back"). A missed
   * call has nothing to thank for: only "Call Per back" on its card. */
  const char *replies[][3] = {{"thanks", N_("Send thanks"), "reply"},
                              {"call-me", N_("Ask for a call"), "reply"},
                              {"record-reply", N_("Record a reply"), "record-reply"}};
  guint n_replies = m->kind == VK_MSG_MISSED_CALL              ? 0
                    : vk_voice_reply_possible(app, m->from_id) ? 3
                                                               : 2;
  /* one line each where the row allows, else each on two lines ("Record / a reply") */
  int total = 0, x = g.m;
  for (guint i = 0; i < n_replies; i++)
    total += vk_button_width(app, _(replies[i][1]), g.t * 2) + g.g;
  gboolean wrap = total > g.w - 2 * g.m;
  for (guint i = 0; i < n_replies; i++) {
    const char *txt = _(replies[i][1]);
    int w = vk_button_width(app, txt, g.t * 2), ww = 0, wh = 0;
    if (wrap) {
      int one = w - vk_ui_mm(ui, 8); /* two lines: about half of one, never below a word */
      vk_text_measure(ui, txt, g.body, TRUE, 1, &ww, &wh);
      w = MAX(g.t * 2, MAX(ww, one * 3 / 5) + vk_ui_mm(ui, 8));
    }
    gboolean quick = g_str_equal(replies[i][2], "reply");
    g_autofree char *name =
        quick ? g_strconcat("reply-", replies[i][0], NULL) : g_strdup(replies[i][0]);
    VkWidget *b = vk_widget_add(root, vk_button_new(ui, name, txt, vk_rect(x, by, w, g.t),
                                                    t->button, t->button_text, replies[i][2],
                                                    quick ? replies[i][0] : NULL));
    b->wrap = wrap;
    x += w + g.g;
  }
  g_autofree char *pos = g_strdup_printf(_("%1$d of %2$u"), idx + 1, msgs->len);
  int pos_w = 0, pos_h = 0;
  vk_text_measure(ui, pos, g.body, FALSE, 0, &pos_w, &pos_h);
  if (pos_w <= g.w - g.m - x) { /* "1 of 4" is a help, not a need: left out on a small screen */
    VkWidget *pl =
        vk_widget_add(root, vk_label_new(ui, "position", pos, VK_TEXT_BODY,
                                         vk_rect(x, by, g.w - g.m - x, g.t), t->secondary));
    pl->align = VK_ALIGN_RIGHT;
  }

  /* Newer / Older on the sides of the card */
  int cy = g.m + g.t + g.g, ch = by - g.g - cy;
  const char *newer = _("Newer message"), *older = _("Older message");
  /* tall side buttons: their words on two lines ("Older / message") leave the card its width */
  int ww = 0, wh = 0, nw = g.t;
  for (int k = 0; k < 2; k++) {
    vk_text_measure(ui, k ? older : newer, g.body, TRUE, 1, &ww, &wh);
    nw = MAX(nw, ww + vk_ui_mm(ui, 8));
  }
  if (idx > 0)
    vk_widget_add(root, vk_button_new(ui, "newer", newer, vk_rect(g.m, cy, nw, ch), t->button,
                                      t->button_text, "newer", NULL))
        ->wrap = TRUE;
  if (idx + 1 < (int)msgs->len)
    vk_widget_add(root, vk_button_new(ui, "older", older, vk_rect(g.w - g.m - nw, cy, nw, ch),
                                      t->button, t->button_text, "older", NULL))
        ->wrap = TRUE;
  SDL_Rect card = vk_rect(g.m + nw + g.g, cy, g.w - 2 * (g.m + nw + g.g), ch);
  VkWidget *cw = vk_widget_add(root, vk_panel_new("card", card, t->tile, vk_ui_mm(ui, 3)));
  cw->role = VK_ROLE_PANEL;
  int pad = vk_ui_mm(ui, 3);
  SDL_Rect in = vk_rect(card.x + pad, card.y + pad, card.w - 2 * pad, card.h - 2 * pad);

  switch (m->kind) {
  case VK_MSG_PHOTO: {
    int cap_h = m->text && *m->text ? g.body * 5 / 2 : 0;
    VkWidget *ph = vk_widget_add(cw, vk_image_new(ui, "photo", m->media_path, from,
                                                  vk_rect(in.x, in.y, in.w, in.h - cap_h)));
    ph->whole = TRUE; /* never cropped: a portrait shows its whole height */
    ph->bg = t->background;
    if (m->media_path) /* one touch: the photo full screen */
      vk_widget_set_action(ph, "photo-view", m->id);
    if (cap_h) {
      VkWidget *c = vk_widget_add(cw, vk_label_new(ui, "caption", m->text, VK_TEXT_BODY,
                                                   vk_rect(in.x, in.y + in.h - cap_h, in.w, cap_h),
                                                   t->tile_text));
      c->bg = t->tile;
      c->wrap = TRUE;
      c->align = VK_ALIGN_CENTER;
    }
    break;
  }
  case VK_MSG_VOICE: {
    g_autofree char *s = g_strdup_printf(_("A voice message from %s"), from);
    VkWidget *l =
        vk_widget_add(cw, vk_label_new(ui, "voice-text", s, VK_TEXT_NAME,
                                       vk_rect(in.x, in.y, in.w, in.h / 2), t->tile_text));
    l->wrap = TRUE;
    l->align = VK_ALIGN_CENTER;
    vk_fit_or_body(app, l);
    const char *play = _("Play");
    int w = vk_button_width(app, play, in.w / 2);
    vk_widget_add(cw, vk_button_new(ui, "play", play,
                                    vk_rect(in.x + (in.w - w) / 2, in.y + in.h / 2 + g.g, w,
                                            MIN(g.t * 3 / 2, in.h / 2 - g.g)),
                                    t->call, t->call_text, "play", m->id));
    break;
  }
  case VK_MSG_MISSED_CALL: {
    g_autofree char *clock = vk_when_text(m->sent_at, vk_model_now(app->model));
    g_autofree char *s = g_strdup_printf(_("%1$s called %2$s."), from, clock);
    VkWidget *l =
        vk_widget_add(cw, vk_label_new(ui, "missed-text", s, VK_TEXT_NAME,
                                       vk_rect(in.x, in.y, in.w, in.h / 2), t->tile_text));
    l->wrap = TRUE;
    l->align = VK_ALIGN_CENTER;
    vk_fit_or_body(app, l);
    g_autofree char *back = g_strdup_printf(_("Call %s back"), from);
    int w = vk_button_width(app, back, in.w / 2);
    if (vk_model_find_person(app->model, m->from_id))
      vk_widget_add(cw, vk_button_new(ui, "call-back", back,
                                      vk_rect(in.x + (in.w - w) / 2, in.y + in.h / 2 + g.g, w,
                                              MIN(g.t * 3 / 2, in.h / 2 - g.g)),
                                      t->call, t->call_text, "call", m->from_id));
    break;
  }
  case VK_MSG_TEXT: {
    VkWidget *l = vk_widget_add(
        cw, vk_label_new(ui, "text", m->text ? m->text : "", VK_TEXT_NAME, in, t->tile_text));
    l->bold = FALSE;
    l->wrap = TRUE;
    l->align = VK_ALIGN_CENTER;
    vk_fit_or_body(app, l);
    break;
  }
  }
  for (guint i = 0; i < cw->children->len; i++) {
    VkWidget *c = cw->children->pdata[i];
    if (c->role == VK_ROLE_LABEL)
      c->bg = t->tile;
  }
  if (app->notice) {
    /* over the top of the card, where the eye is; never over a target */
    int nh = MIN(MAX(g.body * 3, vk_body_height(app, app->notice, card.w - 2 * g.g) + g.g),
                 card.h); /* a small screen: as many lines as the words need */
    VkWidget *n =
        vk_widget_add(root, vk_label_new(ui, "notice", app->notice, VK_TEXT_BODY,
                                         vk_rect(card.x, card.y, card.w, nh), t->banner_text));
    n->role = VK_ROLE_BANNER; /* flat, not bold: never like a button */
    n->bg = t->banner;
    n->fill = TRUE;
    n->wrap = TRUE;
    n->align = VK_ALIGN_CENTER;
  }
  return root;
}
