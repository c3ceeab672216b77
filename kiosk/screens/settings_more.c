#define G_LOG_DOMAIN "vindu-kiosk"
/* The helpers' settings that need a screen of their own: the volume (one setting for the ring
 * and calls, shared with the in-call Quieter / Louder), quiet hours and, per person who holds
 * the auto_answer right, the resident's consent to auto-answer. Quiet hours and consent live on
 * the hub (the household's record); they change only while the kiosk is connected, so the
 * screen never shows a choice the hub has not got. */
#include "kiosk/cache.h"
#include "kiosk/ring.h"
#include "kiosk/screens/common.h"

#define QUIET_STEP_MIN 30

static gboolean
online(VkApp *app)
{
  return app->hooks.hub_connected && app->hooks.hub_connected(app->hooks.data);
}

void
vk_settings_volume_changed(VkApp *app)
{
  vk_ring_set_volume(app->volume);
  if (app->cache) {
    g_autofree char *v = g_strdup_printf("%d", app->volume);
    vk_cache_set(app->cache, "volume", v, NULL);
  }
}

/* Where the rows start under the title. */
static int
content_top(VkApp *app)
{
  VkGeom g = vk_geom(app);
  return g.m + vk_title_height(app) + g.g;
}

/* The common frame: a title, and Back (to settings) and Done (home) at the bottom right. */
static VkWidget *
frame(VkApp *app, const char *name, const char *title, int *bottom_x)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, name);
  vk_widget_add(root,
                vk_label_new(ui, "title", title, VK_TEXT_TITLE,
                             vk_rect(g.m, g.m, g.w - 2 * g.m, vk_title_height(app)), t->text));
  const char *done = _("Done"), *back = _("Back");
  int dw = vk_button_width(app, done, g.t * 2), bw = vk_button_width(app, back, g.t * 2);
  int y = g.h - g.m - g.t;
  vk_widget_add(root, vk_button_new(ui, "done", done, vk_rect(g.w - g.m - dw, y, dw, g.t), t->call,
                                    t->call_text, "home", NULL));
  vk_widget_add(root,
                vk_button_new(ui, "back", back, vk_rect(g.w - g.m - dw - g.g - bw, y, bw, g.t),
                              t->button, t->button_text, "settings-back", NULL));
  *bottom_x = g.w - g.m - dw - g.g - bw - g.g;
  return root;
}

/* A row: what it is, a smaller-or-earlier button, the value, a larger-or-later button. The
 * value's box is as wide as the widest it can show (`widest`), so the row does not move while
 * stepping; on a small screen the buttons are no wider than their words need. */
static void
stepper(VkApp *app, VkWidget *root, int y, const char *name, const char *label, const char *value,
        const char *widest, const char *minus, const char *plus, const char *action)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  int row = g.w - 2 * g.m;
  int bw = MAX(vk_button_width(app, minus, g.t * 2), vk_button_width(app, plus, g.t * 2));
  int bw_small = MAX(vk_button_width(app, minus, g.t), vk_button_width(app, plus, g.t));
  /* the value in the title size, the buttons wide; on a small screen narrower buttons, then
   * the value in the body size, until the label's words fit beside them */
  int value_px = g.title, lw = 0, vw = 0;
  for (int k = 0; k < 3; k++) {
    value_px = k < 2 ? g.title : g.body;
    bw = k == 0 ? bw : bw_small;
    int w1 = 0, w2 = 0, h = 0;
    vk_text_measure(ui, widest, value_px, TRUE, 0, &w1, &h);
    vk_text_measure(ui, value, value_px, TRUE, 0, &w2, &h);
    vw = MAX(w1, w2) + g.g;
    lw = MIN(row / 3, row - 2 * bw - vw - 3 * g.g);
    int tw = 0, th = 0;
    vk_text_measure(ui, label, g.body, FALSE, lw, &tw, &th);
    if (tw <= lw && th <= g.t && lw >= row / 4)
      break;
  }
  vw = row - lw - 2 * bw - 3 * g.g;
  int x = g.m;
  g_autofree char *n_label = g_strconcat(name, "-label", NULL);
  g_autofree char *n_value = g_strconcat(name, "-value", NULL);
  g_autofree char *n_minus = g_strconcat(name, "-down", NULL);
  g_autofree char *n_plus = g_strconcat(name, "-up", NULL);
  VkWidget *l = vk_widget_add(
      root, vk_label_new(ui, n_label, label, VK_TEXT_BODY, vk_rect(x, y, lw, g.t), t->text));
  l->wrap = TRUE;
  x += lw + g.g;
  vk_widget_add(root, vk_button_new(ui, n_minus, minus, vk_rect(x, y, bw, g.t), t->button,
                                    t->button_text, action, "-"));
  x += bw + g.g;
  VkWidget *v = vk_widget_add(
      root, vk_label_new(ui, n_value, value, VK_TEXT_TITLE, vk_rect(x, y, vw, g.t), t->text));
  v->font_px = value_px;
  v->align = VK_ALIGN_CENTER;
  x += vw + g.g;
  vk_widget_add(root, vk_button_new(ui, n_plus, plus, vk_rect(x, y, bw, g.t), t->button,
                                    t->button_text, action, "+"));
}

VkWidget *
vk_screen_settings_volume(VkApp *app)
{
  VkGeom g = vk_geom(app);
  int bx = 0;
  VkWidget *root = frame(app, "settings-volume", _("Volume"), &bx);
  g_autofree char *value = g_strdup_printf(_("%d of 10"), app->volume);
  g_autofree char *widest = g_strdup_printf(_("%d of 10"), 10);
  stepper(app, root, content_top(app), "volume", _("Ringing and calls"), value, widest,
          _("Quieter"), _("Louder"), "settings-volume-step");
  VkWidget *n = vk_widget_add(
      root, vk_label_new(
                app->ui, "note", _("The ringing is never silent: even at 0 it rings, more softly."),
                VK_TEXT_BODY, vk_rect(g.m, content_top(app) + g.t + g.g, g.w - 2 * g.m, g.t * 2),
                app->ui->theme->secondary));
  n->wrap = TRUE;
  return root;
}

VkWidget *
vk_screen_settings_quiet_hours(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  int bx = 0;
  VkWidget *root = frame(app, "settings-quiet-hours", _("Quiet hours"), &bx);
  VkModel *m = app->model;
  gboolean on = m->quiet_start != NULL;
  int y = content_top(app);
  stepper(app, root, y, "quiet-start", _("Quiet from"), on ? m->quiet_start : _("None"),
          on ? "00:00" : _("None"), _("Earlier"), _("Later"), "settings-quiet-start");
  stepper(app, root, y + g.t + g.g, "quiet-end", _("Quiet until"), on ? m->quiet_end : _("None"),
          on ? "00:00" : _("None"), _("Earlier"), _("Later"), "settings-quiet-end");
  const char *note = !online(app) ? _("Not connected: quiet hours can be changed when Vindu is "
                                      "connected again.")
                     : on         ? _("In quiet hours only people allowed to call then can call.")
                                  : _("No quiet hours: people can call at any time.");
  VkWidget *n =
      vk_widget_add(root, vk_label_new(ui, "note", note, VK_TEXT_BODY,
                                       vk_rect(g.m, y + 2 * (g.t + g.g), g.w - 2 * g.m,
                                               g.h - g.m - g.t - g.g - y - 2 * (g.t + g.g)),
                                       t->secondary));
  n->wrap = TRUE;
  const char *toggle = on ? _("No quiet hours") : _("Use quiet hours");
  int tw = MIN(vk_button_width(app, toggle, g.t * 2), bx - g.m);
  vk_widget_add(root,
                vk_button_new(ui, "quiet-toggle", toggle, vk_rect(g.m, g.h - g.m - g.t, tw, g.t),
                              t->button, t->button_text, "settings-quiet-toggle", NULL));
  return root;
}

static GPtrArray *
auto_answer_people(VkApp *app)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < app->model->people->len; i++) {
    VkPerson *p = app->model->people->pdata[i];
    if (p->may_auto_answer)
      g_ptr_array_add(out, p);
  }
  return out;
}

static const char *
resident(VkApp *app)
{
  return app->model->resident && *app->model->resident ? app->model->resident
                                                       : _("the person who lives here");
}

VkWidget *
vk_screen_settings_auto_answer(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  int bx = 0;
  VkWidget *root = frame(app, "settings-auto-answer", _("Auto-answer"), &bx);
  g_autoptr(GPtrArray) people = auto_answer_people(app);
  /* say plainly whose agreement a tap records: the consent is the resident's, not the helper's */
  g_autofree char *agreed =
      g_strdup_printf(_("On: the kiosk answers this person's calls by itself after 10 seconds. "
                        "Turning it on records that %s agreed."),
                      resident(app));
  g_autofree char *text =
      !people->len ? g_strdup(_("No one may be answered by itself yet. Someone with the admin "
                                "right can allow it in the Vindu app."))
      : !online(app)
          ? g_strconcat(agreed, " ",
                        _("Not connected: this can be changed when Vindu is connected again."),
                        NULL)
          : g_strdup(agreed);
  int y = content_top(app);
  /* the words whole: as many lines as they take (five at the least, so the rows stay put) */
  int th = MAX(g.body * 5, vk_body_height(app, text, g.w - 2 * g.m));
  VkWidget *l = vk_widget_add(root, vk_label_new(ui, "consent-note", text, VK_TEXT_BODY,
                                                 vk_rect(g.m, y, g.w - 2 * g.m, th), t->text));
  l->wrap = TRUE;
  y += th + g.g;
  /* as many people as fit above the bottom row (fewer with the larger high-contrast sizes) */
  int per_page = MAX(1, (g.h - g.m - g.t - y) / (g.t + g.g));
  int pages = MAX(1, ((int)people->len + per_page - 1) / per_page);
  int page = app->settings.auto_answer_page % pages;
  int lw = (g.w - 2 * g.m) / 2;
  for (int i = page * per_page; i < (int)people->len && i < (page + 1) * per_page; i++) {
    VkPerson *p = people->pdata[i];
    g_autofree char *label =
        p->relationship ? g_strdup_printf("%s (%s)", p->name, p->relationship) : g_strdup(p->name);
    g_autofree char *n_label = g_strconcat("person-", p->id, NULL);
    g_autofree char *n_button = g_strconcat("consent-", p->id, NULL);
    VkWidget *pl = vk_widget_add(root, vk_label_new(ui, n_label, label, VK_TEXT_BODY,
                                                    vk_rect(g.m, y, lw - g.g, g.t), t->text));
    pl->wrap = TRUE;
    vk_widget_add(root, vk_button_new(ui, n_button, p->auto_answer ? _("On") : _("Off"),
                                      vk_rect(g.m + lw, y, g.w - 2 * g.m - lw, g.t),
                                      p->auto_answer ? t->call : t->button,
                                      p->auto_answer ? t->call_text : t->button_text,
                                      "settings-consent", p->id));
    y += g.t + g.g;
  }
  if (pages > 1) {
    const char *more = _("More people");
    int mw = MIN(vk_button_width(app, more, g.t * 2), bx - g.m);
    vk_widget_add(root,
                  vk_button_new(ui, "more-people", more, vk_rect(g.m, g.h - g.m - g.t, mw, g.t),
                                t->button, t->button_text, "settings-auto-more", NULL));
  }
  return root;
}

/* "HH:MM" moved by a step, around the clock */
static char *
step_time(const char *hhmm, int minutes)
{
  int h = 0, m = 0;
  if (!hhmm || sscanf(hhmm, "%d:%d", &h, &m) != 2)
    return NULL;
  int t = ((h * 60 + m + minutes) % (24 * 60) + 24 * 60) % (24 * 60);
  return g_strdup_printf("%02d:%02d", t / 60, t % 60);
}

static void
send_quiet_hours(VkApp *app)
{
  if (app->hooks.set_quiet_hours)
    app->hooks.set_quiet_hours(app->hooks.data, app->model->quiet_start, app->model->quiet_end);
}

gboolean
vk_settings_more_activate(VkApp *app, const char *action, const char *arg)
{
  VkModel *m = app->model;
  if (g_str_equal(action, "settings-volume") || g_str_equal(action, "settings-quiet") ||
      g_str_equal(action, "settings-auto") || g_str_equal(action, "settings-back")) {
    app->settings.auto_answer_page = 0;
    vk_app_show(app, g_str_equal(action, "settings-volume")  ? VK_SCREEN_SETTINGS_VOLUME
                     : g_str_equal(action, "settings-quiet") ? VK_SCREEN_SETTINGS_QUIET_HOURS
                     : g_str_equal(action, "settings-auto")  ? VK_SCREEN_SETTINGS_AUTO_ANSWER
                                                             : VK_SCREEN_SETTINGS);
    return TRUE;
  }
  if (g_str_equal(action, "settings-volume-step")) {
    /* the same action as the in-call buttons, so the two can never disagree */
    vk_app_activate(app, g_strcmp0(arg, "+") == 0 ? "volume-up" : "volume-down", NULL);
    return TRUE;
  }
  if (g_str_equal(action, "settings-quiet-toggle")) {
    if (!online(app))
      return TRUE;
    if (m->quiet_start) {
      g_clear_pointer(&m->quiet_start, g_free);
      g_clear_pointer(&m->quiet_end, g_free);
    } else {
      m->quiet_start = g_strdup("22:00");
      m->quiet_end = g_strdup("08:00");
    }
    send_quiet_hours(app);
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-quiet-start") || g_str_equal(action, "settings-quiet-end")) {
    if (!online(app))
      return TRUE;
    if (!m->quiet_start) { /* a step on "None" starts from the usual night */
      m->quiet_start = g_strdup("22:00");
      m->quiet_end = g_strdup("08:00");
    } else {
      char **which = g_str_equal(action, "settings-quiet-start") ? &m->quiet_start : &m->quiet_end;
      char *next = step_time(*which, g_strcmp0(arg, "+") == 0 ? QUIET_STEP_MIN : -QUIET_STEP_MIN);
      if (next) {
        g_free(*which);
        *which = next;
      }
    }
    send_quiet_hours(app);
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-consent")) {
    VkPerson *p = vk_model_find_person(m, arg);
    /* consent is recorded in the resident's name: without it known, record nothing */
    if (!p || !p->may_auto_answer || !online(app) || !app->hooks.set_consent || !m->resident)
      return TRUE;
    p->auto_answer = !p->auto_answer;
    app->hooks.set_consent(app->hooks.data, p->id, p->auto_answer,
                           p->auto_answer ? m->resident : NULL);
    vk_app_invalidate(app);
    return TRUE;
  }
  if (g_str_equal(action, "settings-auto-more")) {
    app->settings.auto_answer_page++;
    vk_app_invalidate(app);
    return TRUE;
  }
  return FALSE;
}
