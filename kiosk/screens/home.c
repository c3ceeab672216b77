#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"

static char *
today_text(VkApp *app, int max_items)
{
  VkModel *m = app->model;
  gint64 now = vk_model_now(m);
  g_autoptr(GString) s = g_string_new(NULL);
  int shown = 0;
  for (guint i = 0; i < m->today->len && shown < max_items; i++) {
    VkTodayItem *it = m->today->pdata[i];
    if (it->at && it->at < now - 3600)
      continue; /* already past */
    g_autofree char *clock = vk_clock_text(it->at);
    g_autofree char *line = NULL;
    const char *who = it->who ? vk_person_name(app, it->who) : NULL;
    if (it->kind == VK_TODAY_VISIT && who)
      line = g_strdup_printf(_("%1$s visits at %2$s"), who, clock);
    else if (it->kind == VK_TODAY_CALL && who)
      line = g_strdup_printf(_("%1$s will call at %2$s"), who, clock);
    else if (it->title)
      line = it->at ? g_strdup_printf(_("%1$s at %2$s"), it->title, clock) : g_strdup(it->title);
    if (!line)
      continue;
    if (s->len)
      g_string_append(s, "\n");
    g_string_append(s, line);
    shown++;
  }
  if (!s->len)
    g_string_append(s, _("Nothing planned for today"));
  return g_string_free(g_steal_pointer(&s), FALSE);
}

VkWidget *
vk_screen_home(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "home");
  gint64 now = vk_model_now(app->model);

  /* Orientation: day, date and part of day in words, and the clock. */
  g_autofree char *orient = vk_orientation_text(now);
  g_autofree char *clock = vk_clock_text(now);
  int hdr_h = g.clock * 3 / 2;
  int clock_w = 0, th = 0;
  vk_text_measure(ui, clock, g.clock, TRUE, 0, &clock_w, &th);
  clock_w += g.g;
  VkWidget *o = vk_widget_add(
      root, vk_label_new(ui, "orientation", orient, VK_TEXT_TITLE,
                         vk_rect(g.m, g.m, g.w - 2 * g.m - clock_w - g.g, hdr_h), t->text));
  o->wrap = TRUE;
  vk_fit_or_body(app, o); /* a small screen: the words whole in body size, never cut */
  VkWidget *c =
      vk_widget_add(root, vk_label_new(ui, "clock", clock, VK_TEXT_CLOCK,
                                       vk_rect(g.w - g.m - clock_w, g.m, clock_w, hdr_h), t->text));
  c->align = VK_ALIGN_RIGHT;

  /* Bottom strip: today's plans and the way to messages. */
  int strip_y = g.h - g.m - g.t;
  guint unseen = vk_model_unseen_count(app->model);
  g_autofree char *msg_text =
      unseen
          ? g_strdup_printf(
                dngettext(VK_GETTEXT_DOMAIN, "%u new message", "%u new messages", unseen), unseen)
          : g_strdup(_("Messages"));
  int msg_w = vk_button_width(app, msg_text, g.t * 2);
  vk_widget_add(root, vk_button_new(ui, "messages", msg_text,
                                    vk_rect(g.w - g.m - msg_w, strip_y, msg_w, g.t),
                                    unseen ? t->call : t->button,
                                    unseen ? t->call_text : t->button_text, "messages", NULL));
  SDL_Rect today_r = vk_rect(g.m, strip_y, g.w - 2 * g.m - msg_w - g.g, g.t);
  VkWidget *strip = vk_widget_add(root, vk_panel_new("today", today_r, t->tile, vk_ui_mm(ui, 3)));
  g_autofree char *today = today_text(app, 2);
  VkWidget *tl = vk_widget_add(
      strip, vk_label_new(ui, "today-text", today, VK_TEXT_BODY,
                          vk_rect(today_r.x + g.g, today_r.y, today_r.w - 2 * g.g, today_r.h),
                          t->tile_text));
  tl->wrap = TRUE;
  if (!vk_text_fits(ui, tl)) {
    /* long words or big type: the soonest item alone, rather than a cut-off line */
    g_autofree char *first = today_text(app, 1);
    vk_widget_set_text(tl, first);
  }

  /* The people: at most six tiles, the same faces in the same places every day. */
  int top = g.m + hdr_h + g.g, bottom = strip_y - g.g;
  guint n = MIN(app->model->people->len, VK_MAX_PEOPLE);
  if (n == 0) {
    VkWidget *e = vk_widget_add(
        root, vk_label_new(ui, "no-people", _("The people you talk to will appear here."),
                           VK_TEXT_BODY, vk_rect(g.m, top, g.w - 2 * g.m, bottom - top), t->text));
    e->align = VK_ALIGN_CENTER;
    e->wrap = TRUE;
    return root;
  }
  int cols = n <= 3 ? (int)n : n == 4 ? 2 : 3;
  int rows = ((int)n + cols - 1) / cols;
  int area_w = g.w - 2 * g.m, area_h = bottom - top;
  int tw = (area_w - (cols - 1) * g.g) / cols;
  int tht = (area_h - (rows - 1) * g.g) / rows;
  tw = MIN(tw, tht * 3 / 2); /* not too wide when there are few */
  int grid_w = cols * tw + (cols - 1) * g.g;
  int x0 = g.m + (area_w - grid_w) / 2;
  for (guint i = 0; i < n; i++) {
    VkPerson *p = app->model->people->pdata[i];
    int col = (int)i % cols, row = (int)i / cols;
    SDL_Rect r = vk_rect(x0 + col * (tw + g.g), top + row * (tht + g.g), tw, tht);
    vk_widget_add(root,
                  vk_tile_new(ui, p->id, p->name, p->relationship, p->photo_path, p->reachable, r));
  }
  return root;
}
