#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"
#include "kiosk/screens/home_strip.h"

/* One plan as a sentence, or NULL when it is past or has nothing to say. transfer full */
static char *
plan_text(VkApp *app, VkTodayItem *it, gint64 now)
{
  if (it->at && it->at < now - 3600)
    return NULL; /* already past */
  g_autofree char *clock = vk_clock_text(it->at);
  const char *who = it->who ? vk_person_name(app, it->who) : NULL;
  if (it->kind == VK_TODAY_VISIT && who)
    return g_strdup_printf(_("%1$s visits at %2$s"), who, clock);
  if (it->kind == VK_TODAY_CALL && who)
    return g_strdup_printf(_("%1$s will call at %2$s"), who, clock);
  if (it->title)
    return it->at ? g_strdup_printf(_("%1$s at %2$s"), it->title, clock) : g_strdup(it->title);
  return NULL;
}

/* Today's plans still to come, as sentences; `items` (may be NULL) gets the item of each line.
 * transfer container */
static GPtrArray *
plans_with_items(VkApp *app, GPtrArray *items)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  gint64 now = vk_model_now(app->model);
  for (guint i = 0; i < app->model->today->len; i++) {
    char *line = plan_text(app, app->model->today->pdata[i], now);
    if (line)
      g_ptr_array_add(out, line);
    if (line && items)
      g_ptr_array_add(items, app->model->today->pdata[i]);
  }
  return out;
}

/* `count` plans from `first`, and when some are not shown, a line that says so. */
static char *
strip_text(GPtrArray *lines, int first, int count)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (int i = first; i < first + count; i++)
    g_string_append_printf(s, "%s%s", s->len ? "\n" : "", (char *)lines->pdata[i]);
  int rest = (int)lines->len - first - count;
  if (rest > 0) {
    g_string_append_c(s, '\n');
    g_string_append_printf(
        s, dngettext(VK_GETTEXT_DOMAIN, "Touch for %d more", "Touch for %d more", rest), rest);
  } else if (first > 0)
    g_string_append_printf(s, "\n%s", _("Touch for the first again"));
  return g_string_free(g_steal_pointer(&s), FALSE);
}

/* How many of plan `i`'s buttons leave its words whole beside them in a strip at most two
 * targets high (`width`: the strip's inner width). */
static int
buttons_beside(VkApp *app, GPtrArray *lines, int i, const VkTodayItem *it, int width)
{
  VkGeom g = vk_geom(app);
  g_autofree char *words = strip_text(lines, i, 1);
  int n = 2;
  for (; n > 1; n--)
    if (vk_body_height(app, words, width - vk_strip_actions_width(app, it, width, n)) <= 2 * g.t)
      break;
  return n;
}

/* The "today" strip: every plan, as many at once as fit whole; when there are more it says so
 * and one touch shows the next ones (and from the last, the first again). */
static int
today_strip_height(VkApp *app, int width)
{
  VkGeom g = vk_geom(app);
  int inner = width - 2 * g.g;
  g_autoptr(GPtrArray) items = g_ptr_array_new();
  g_autoptr(GPtrArray) lines = plans_with_items(app, items);
  int h = 0;
  if (lines->len >= 2) { /* at least the first plan and the line that says there is more */
    g_autofree char *s = strip_text(lines, (int)lines->len - 1, 1);
    g_autofree char *t = strip_text(lines, 0, 1);
    h = MAX(vk_body_height(app, s, inner), vk_body_height(app, t, inner));
  }
  for (guint i = 0; i < items->len; i++) { /* a plan with actions: its page beside its buttons */
    VkTodayItem *it = items->pdata[i];
    if (vk_strip_action_count(it) == 0)
      continue;
    int n = buttons_beside(app, lines, (int)i, it, inner);
    g_autofree char *p = strip_text(lines, (int)i, 1);
    h = MAX(h, vk_strip_actions_height(app, it, inner, n)); /* words on two lines need more */
    h = MAX(h, vk_body_height(app, p, inner - vk_strip_actions_width(app, it, inner, n)));
  }
  return MIN(MAX(g.t, h), 2 * g.t);
}

static void
add_today_strip(VkApp *app, VkWidget *root, SDL_Rect r)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  g_autoptr(GPtrArray) items = g_ptr_array_new();
  g_autoptr(GPtrArray) lines = plans_with_items(app, items);
  int n = (int)lines->len;
  int first = app->home.today_page > 0 && app->home.today_page < n ? app->home.today_page : 0;
  VkWidget *strip = vk_widget_add(root, vk_panel_new("today", r, t->tile, vk_ui_mm(ui, 3)));
  SDL_Rect tr = vk_rect(r.x + g.g, r.y, r.w - 2 * g.g, r.h);
  /* a plan with actions has the page to itself, its buttons beside it */
  int count = n - first;
  gboolean actions = n > 0 && vk_strip_action_count(items->pdata[first]) > 0;
  if (actions) {
    count = 1;
    int shown = buttons_beside(app, lines, first, items->pdata[first], tr.w);
    tr.w -= vk_strip_add_actions(app, strip, items->pdata[first], tr, shown);
  } else
    for (int i = first + 1; i < n; i++)
      if (vk_strip_action_count(items->pdata[i]) > 0) {
        count = i - first;
        break;
      }
  VkWidget *tl =
      vk_widget_add(strip, vk_label_new(ui, "today-text", "", VK_TEXT_BODY, tr, t->tile_text));
  tl->wrap = TRUE;
  if (n == 0) {
    vk_widget_set_text(tl, _("Nothing planned for today"));
    return;
  }
  for (; count > 1; count--) { /* as many as fit whole, with the line that says there is more */
    g_autofree char *s = strip_text(lines, first, count);
    vk_widget_set_text(tl, s);
    if (vk_text_fits(ui, tl))
      break;
  }
  g_autofree char *s = strip_text(lines, first, count);
  vk_widget_set_text(tl, s);
  if (first > 0 || count < n) { /* more than fits: the strip is the way to the rest */
    int next = first + count < n ? first + count : 0;
    g_autofree char *arg = g_strdup_printf("%d", next);
    /* beside action buttons the words are the page turn, so no two targets overlap */
    VkWidget *turn = actions ? tl : strip;
    vk_widget_set_action(turn, "today-page", arg);
    if (!actions)
      strip->text = g_strdup(s); /* a target says what it does */
  }
}

static int
add_header(VkApp *app, VkWidget *root)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  gint64 now = vk_model_now(app->model);
  /* Orientation: day, date and part of day in words, and the clock. */
  g_autofree char *orient = vk_orientation_text(now);
  g_autofree char *clock = vk_clock_text(now);
  int hdr_h = g.clock * 5 / 4;
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
  int y = g.m + hdr_h + g.g / 2; /* half gaps around the faces: every millimetre is theirs */
  if (!app->model->connected) {
    /* Said calmly, as a fact with a way out; never as the people's doing. */
    const char *s = _("Not connected. A helper can look at it.");
    int h = vk_body_height(app, s, g.w - 2 * g.m);
    VkWidget *l = vk_widget_add(root, vk_label_new(ui, "offline", s, VK_TEXT_BODY,
                                                   vk_rect(g.m, y, g.w - 2 * g.m, h), t->text));
    l->wrap = TRUE;
    y += h + g.g / 2;
  }
  return y;
}

VkWidget *
vk_screen_home(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "home");
  int top = add_header(app, root);

  /* Bottom strip: today's plans and the way to messages. */
  guint unseen = vk_model_unseen_count(app->model);
  g_autofree char *msg_text =
      unseen
          ? g_strdup_printf(
                dngettext(VK_GETTEXT_DOMAIN, "%u new message", "%u new messages", unseen), unseen)
          : g_strdup(_("Messages"));
  int msg_w = vk_button_width(app, msg_text, g.t * 2);
  /* a narrow screen: "2 new / messages" on two lines leaves the plans a line of their own */
  int word_w = 0, wh = 0;
  vk_text_measure(ui, msg_text, g.body, TRUE, g.w / 4, &word_w, &wh);
  gboolean wrap_msg = msg_w > g.w * 3 / 10 && wh <= g.t;
  if (wrap_msg)
    msg_w = MAX(g.t * 2, word_w + vk_ui_mm(ui, 8));
  int strip_w = g.w - 2 * g.m - msg_w - g.g;
  int strip_h = today_strip_height(app, strip_w);
  int strip_y = g.h - g.m - strip_h;
  VkWidget *mb =
      vk_widget_add(root, vk_button_new(ui, "messages", msg_text,
                                        vk_rect(g.w - g.m - msg_w, strip_y, msg_w, strip_h),
                                        unseen ? t->call : t->button,
                                        unseen ? t->call_text : t->button_text, "messages", NULL));
  mb->wrap = wrap_msg;
  add_today_strip(app, root, vk_rect(g.m, strip_y, strip_w, strip_h));

  /* The people: the same faces in the same places every day. */
  int bottom = strip_y - g.g / 2;
  if (app->model->people->len == 0) {
    VkWidget *e = vk_widget_add(
        root, vk_label_new(ui, "no-people", _("The people you talk to will appear here."),
                           VK_TEXT_BODY, vk_rect(g.m, top, g.w - 2 * g.m, bottom - top), t->text));
    e->align = VK_ALIGN_CENTER;
    e->wrap = TRUE;
    return root;
  }
  vk_home_people(app, root, vk_rect(g.m, top, g.w - 2 * g.m, bottom - top));
  return root;
}
