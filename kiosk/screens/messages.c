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

/* "From Anna, today at 10:00" (or "Missed call") beside the Home button, from x on. */
static void
add_heading(VkApp *app, VkWidget *root, VkMessage *m, const char *from, int x)
{
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  g_autofree char *when = vk_when_text(m->sent_at, vk_model_now(app->model));
  g_autofree char *head = m->kind == VK_MSG_MISSED_CALL
                              ? g_strdup(_("Missed call"))
                              : g_strdup_printf(_("From %1$s, %2$s"), from, when);
  VkWidget *hl = vk_widget_add(root, vk_label_new(app->ui, "heading", head, VK_TEXT_TITLE,
                                                  vk_rect(x, g.m, g.w - x - g.m, g.t), t->text));
  hl->wrap = TRUE;
  vk_fit_or_body(app, hl);
}

/* The quick replies along the bottom row (at y); returns where the row's free space begins. */
static int
add_quick_replies(VkApp *app, VkWidget *root, VkMessage *m, int y)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
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
    VkWidget *b = vk_widget_add(root, vk_button_new(ui, name, txt, vk_rect(x, y, w, g.t), t->button,
                                                    t->button_text, replies[i][2],
                                                    quick ? replies[i][0] : NULL));
    b->wrap = wrap;
    x += w + g.g;
  }
  return x;
}

/* "1 of 4" after the replies, at x on the bottom row (at y), if it fits. */
static void
add_position(VkApp *app, VkWidget *root, int idx, int x, int y)
{
  VkGeom g = vk_geom(app);
  g_autofree char *pos = g_strdup_printf(_("%1$d of %2$u"), idx + 1, app->model->messages->len);
  int pos_w = 0, pos_h = 0;
  vk_text_measure(app->ui, pos, g.body, FALSE, 0, &pos_w, &pos_h);
  if (pos_w <= g.w - g.m - x) { /* "1 of 4" is a help, not a need: left out on a small screen */
    VkWidget *pl = vk_widget_add(root, vk_label_new(app->ui, "position", pos, VK_TEXT_BODY,
                                                    vk_rect(x, y, g.w - g.m - x, g.t),
                                                    app->ui->theme->secondary));
    pl->align = VK_ALIGN_RIGHT;
  }
}

/* Newer / Older on the sides of the card, from y down, h tall; returns their width. */
static int
add_side_buttons(VkApp *app, VkWidget *root, int idx, int y, int h)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  const char *newer = _("Newer message"), *older = _("Older message");
  /* tall side buttons: their words on two lines ("Older / message") leave the card its width */
  int ww = 0, wh = 0, nw = g.t;
  for (int k = 0; k < 2; k++) {
    vk_text_measure(ui, k ? older : newer, g.body, TRUE, 1, &ww, &wh);
    nw = MAX(nw, ww + vk_ui_mm(ui, 8));
  }
  if (idx > 0)
    vk_widget_add(root, vk_button_new(ui, "newer", newer, vk_rect(g.m, y, nw, h), t->button,
                                      t->button_text, "newer", NULL))
        ->wrap = TRUE;
  if (idx + 1 < (int)app->model->messages->len)
    vk_widget_add(root, vk_button_new(ui, "older", older, vk_rect(g.w - g.m - nw, y, nw, h),
                                      t->button, t->button_text, "older", NULL))
        ->wrap = TRUE;
  return nw;
}

static void
card_photo(VkApp *app, VkWidget *cw, VkMessage *m, const char *from, SDL_Rect in)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  int cap_h = m->text && *m->text ? g.body * 5 / 2 : 0;
  VkWidget *ph = vk_widget_add(
      cw, vk_image_new(ui, "photo", m->media_path, from, vk_rect(in.x, in.y, in.w, in.h - cap_h)));
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
}

/* A sentence in the card's upper half and, if action is given, a button under it. */
static void
card_sentence_and_button(VkApp *app, VkWidget *cw, SDL_Rect in, const char *label_name,
                         const char *sentence, const char *button_name, const char *button_text,
                         const char *action, const char *arg)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *l = vk_widget_add(cw, vk_label_new(ui, label_name, sentence, VK_TEXT_NAME,
                                               vk_rect(in.x, in.y, in.w, in.h / 2), t->tile_text));
  l->wrap = TRUE;
  l->align = VK_ALIGN_CENTER;
  vk_fit_or_body(app, l);
  int w = vk_button_width(app, button_text, in.w / 2);
  if (action)
    vk_widget_add(cw, vk_button_new(ui, button_name, button_text,
                                    vk_rect(in.x + (in.w - w) / 2, in.y + in.h / 2 + g.g, w,
                                            MIN(g.t * 3 / 2, in.h / 2 - g.g)),
                                    t->call, t->call_text, action, arg));
}

static void
card_voice(VkApp *app, VkWidget *cw, VkMessage *m, const char *from, SDL_Rect in)
{
  g_autofree char *s = g_strdup_printf(_("A voice message from %s"), from);
  card_sentence_and_button(app, cw, in, "voice-text", s, "play", _("Play"), "play", m->id);
}

static void
card_missed_call(VkApp *app, VkWidget *cw, VkMessage *m, const char *from, SDL_Rect in)
{
  g_autofree char *clock = vk_when_text(m->sent_at, vk_model_now(app->model));
  g_autofree char *s = g_strdup_printf(_("%1$s called %2$s."), from, clock);
  g_autofree char *back = g_strdup_printf(_("Call %s back"), from);
  gboolean callable = vk_model_find_person(app->model, m->from_id) != NULL;
  card_sentence_and_button(app, cw, in, "missed-text", s, "call-back", back,
                           callable ? "call" : NULL, m->from_id);
}

static void
card_text(VkApp *app, VkWidget *cw, VkMessage *m, SDL_Rect in)
{
  VkWidget *l = vk_widget_add(cw, vk_label_new(app->ui, "text", m->text ? m->text : "",
                                               VK_TEXT_NAME, in, app->ui->theme->tile_text));
  l->bold = FALSE;
  l->wrap = TRUE;
  l->align = VK_ALIGN_CENTER;
  vk_fit_or_body(app, l);
}

/* The message's card in card: its content by kind, its labels on the card's colour. */
static void
add_card(VkApp *app, VkWidget *root, VkMessage *m, const char *from, SDL_Rect card)
{
  VkTheme *t = app->ui->theme;
  VkWidget *cw = vk_widget_add(root, vk_panel_new("card", card, t->tile, vk_ui_mm(app->ui, 3)));
  cw->role = VK_ROLE_PANEL;
  int pad = vk_ui_mm(app->ui, 3);
  SDL_Rect in = vk_rect(card.x + pad, card.y + pad, card.w - 2 * pad, card.h - 2 * pad);
  switch (m->kind) {
  case VK_MSG_PHOTO:
    card_photo(app, cw, m, from, in);
    break;
  case VK_MSG_VOICE:
    card_voice(app, cw, m, from, in);
    break;
  case VK_MSG_MISSED_CALL:
    card_missed_call(app, cw, m, from, in);
    break;
  case VK_MSG_TEXT:
    card_text(app, cw, m, in);
    break;
  }
  for (guint i = 0; i < cw->children->len; i++) {
    VkWidget *c = cw->children->pdata[i];
    if (c->role == VK_ROLE_LABEL)
      c->bg = t->tile;
  }
}

/* What became of the last reply, over the top of the card, where the eye is; never over a
 * target. */
static void
add_notice(VkApp *app, VkWidget *root, SDL_Rect card)
{
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  int nh = MIN(MAX(g.body * 3, vk_body_height(app, app->messages.notice, card.w - 2 * g.g) + g.g),
               card.h); /* a small screen: as many lines as the words need */
  VkWidget *n =
      vk_widget_add(root, vk_label_new(app->ui, "notice", app->messages.notice, VK_TEXT_BODY,
                                       vk_rect(card.x, card.y, card.w, nh), t->banner_text));
  n->role = VK_ROLE_BANNER; /* flat, not bold: never like a button */
  n->bg = t->banner;
  n->fill = TRUE;
  n->wrap = TRUE;
  n->align = VK_ALIGN_CENTER;
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
  if (msgs->len == 0) {
    VkWidget *l = vk_widget_add(
        root, vk_label_new(ui, "empty", _("No messages yet."), VK_TEXT_TITLE,
                           vk_rect(g.m, g.m + g.t, g.w - 2 * g.m, g.h - 2 * g.m - g.t), t->text));
    l->align = VK_ALIGN_CENTER;
    return root;
  }
  int idx = CLAMP(app->messages.index, 0, (int)msgs->len - 1);
  VkMessage *m = msgs->pdata[idx];
  const char *from = vk_person_name(app, m->from_id);
  add_heading(app, root, m, from, g.m + hw + 2 * g.g);
  int by = g.h - g.m - g.t; /* the bottom row */
  int x = add_quick_replies(app, root, m, by);
  add_position(app, root, idx, x, by);
  int cy = g.m + g.t + g.g, ch = by - g.g - cy;
  int nw = add_side_buttons(app, root, idx, cy, ch);
  SDL_Rect card = vk_rect(g.m + nw + g.g, cy, g.w - 2 * (g.m + nw + g.g), ch);
  add_card(app, root, m, from, card);
  if (app->messages.notice)
    add_notice(app, root, card);
  return root;
}
