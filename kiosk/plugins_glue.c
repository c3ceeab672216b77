#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/plugins_glue.h"

#include "kiosk/cache.h"
#include "kiosk/frame_book.h"
#include "kiosk/i18n.h"
#include "kiosk/plugin_cards.h"
#include "kiosk/ring.h"
#include "kiosk/speech.h"
#include "kiosk/today.h"

#include <time.h>

#ifdef VINDU_KIOSK_HAVE_PLUGINS
#include "install_paths.h"
#include "plugin_host.h"
#if __has_include("kiosk/plugin_reports.h")
#include "kiosk/plugin_reports.h"
#define HAVE_PLUGIN_REPORTS 1
#endif

/* What the glue keeps beside the host (one per kiosk). */
static guint changed_idle;
static guint said, chimed, answers;
static char *last_context;   /* the context last sent, so an unchanged one is not sent again */
static guint model_listener; /* on the app's model (vk_model_listen) */

/* Are the resident's quiet hours on now (on the kiosk's clock, in local time)? */
static gboolean
quiet_now(VkApp *app)
{
  VkModel *m = app->model;
  int sh, sm, eh, em;
  if (!m->quiet_start || !m->quiet_end || sscanf(m->quiet_start, "%d:%d", &sh, &sm) != 2 ||
      sscanf(m->quiet_end, "%d:%d", &eh, &em) != 2)
    return FALSE;
  time_t now = (time_t)(vk_model_clock_ms(app->model) / 1000);
  struct tm local;
  localtime_r(&now, &local);
  int t = local.tm_hour * 60 + local.tm_min, start = sh * 60 + sm, end = eh * 60 + em;
  return start <= end ? t >= start && t < end : t >= start || t < end; /* over midnight */
}

static gboolean
call_runs(VkApp *app)
{
  return app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED;
}

static JsonArray *
people_json(VkApp *app)
{
  JsonArray *people = json_array_new();
  for (guint i = 0; i < app->model->people->len; i++) {
    VkPerson *p = app->model->people->pdata[i];
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "id", p->id);
    json_object_set_string_member(o, "name", p->name ? p->name : "");
    if (p->relationship)
      json_object_set_string_member(o, "relationship", p->relationship);
    json_array_add_object_element(people, o);
  }
  return people;
}

static void
report_inventory(VkApp *app)
{
#ifdef HAVE_PLUGIN_REPORTS
  VinduPluginHost *host = app->plugins;
  guint n = vindu_plugin_host_count(host);
  g_autofree VkPluginStatus *plugins = g_new0(VkPluginStatus, MAX(n, 1));
  guint named = 0;
  for (guint i = 0; i < n; i++) {
    VinduHostPluginInfo info;
    vindu_plugin_host_info(host, i, &info);
    if (!info.name)
      continue; /* never said its name: nothing the family could recognise */
    plugins[named++] = (VkPluginStatus){info.name, info.version, info.state, info.kinds};
  }
  GPtrArray *held = vindu_quarantine_list(vindu_plugin_host_quarantine(host));
  g_autofree VkQuarantined *q = g_new0(VkQuarantined, MAX(held->len, 1));
  for (guint i = 0; i < held->len; i++) {
    VinduQuarantined *h = held->pdata[i];
    q[i] = (VkQuarantined){h->plugin, h->kind, h->doc, h->rev, h->faults};
  }
  vk_plugin_inventory_set(app, plugins, named, q, held->len);
#else
  (void)app; /* this build has no report to the hub (kiosk/plugin_reports.c) */
#endif
}

/* The page's spoken caption in the cache, or NULL (fetched when it is not here yet: the page
 * shows without it meanwhile). transfer full */
static char *
voice_here(VkApp *app, const char *hash)
{
  if (!hash)
    return NULL;
  g_autofree char *path = vk_cache_file_path(app->cache, hash);
  if (g_file_test(path, G_FILE_TEST_EXISTS))
    return g_steal_pointer(&path);
  if (app->hooks.fetch_file)
    app->hooks.fetch_file(app->hooks.data, hash);
  return NULL;
}

/* The memory book's pages whose photo is here, with what is known of them, into the frame's
 * book (a page deleted leaves at once); a photo not here yet is fetched. */
static void
apply_photos(VkApp *app)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func((GDestroyNotify)vk_frame_photo_free);
  GPtrArray *photos = vindu_plugin_host_photos(app->plugins);
  for (guint i = 0; i < photos->len && app->cache; i++) {
    VinduHostPhoto *p = photos->pdata[i];
    g_autofree char *path = vk_cache_file_path(app->cache, p->file);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
      if (app->hooks.fetch_file)
        app->hooks.fetch_file(app->hooks.data, p->file);
      continue;
    }
    VkFramePhoto *page = vk_frame_photo_new(path, p->file);
    page->caption = g_strdup(p->caption);
    page->chapter = g_strdup(p->chapter);
    page->people = g_strdup(p->people);
    page->added_by = g_strdup(p->added_by);
    page->taken_at = p->taken_at;
    page->voice_path = voice_here(app, p->voice_file);
    g_ptr_array_add(pages, page);
  }
  vk_frame_book_set_pages(app, pages);
}

/* The plugins' items and photos into the model. */
static void
apply_items(VkApp *app)
{
  VkModel *m = app->model;
  for (guint i = m->today->len; i > 0; i--)
    if (((VkTodayItem *)m->today->pdata[i - 1])->kind == VK_TODAY_PLUGIN)
      g_ptr_array_remove_index(m->today, i - 1);
  GPtrArray *items = vindu_plugin_host_today(app->plugins);
  for (guint i = 0; i < items->len; i++) {
    VinduHostTodayItem *it = items->pdata[i];
    VkTodayItem *t = g_new0(VkTodayItem, 1);
    t->kind = VK_TODAY_PLUGIN;
    t->title = g_strdup(it->title);
    t->at = it->starts_at;
    t->plugin = g_strdup(it->plugin);
    t->item_id = g_strdup(it->id);
    for (int a = 0; a < 2; a++) { /* the strip draws them (screens/home_strip.c) */
      t->action_id[a] = g_strdup(it->action_id[a]);
      t->action_label[a] = g_strdup(it->action_label[a]);
    }
    vk_today_insert_sorted(m->today, t); /* soonest first among everything on the strip */
  }
  apply_photos(app);
  if (app->screen == VK_SCREEN_MEMORY_VIEW &&
      !g_ptr_array_find_with_equal_func(m->photos, app->memory.path, g_str_equal, NULL))
    vk_app_show(app, VK_SCREEN_PHOTO_FRAME); /* the page shown was deleted */
  else if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_PHOTO_FRAME ||
           app->screen == VK_SCREEN_MEMORY_VIEW)
    vk_app_invalidate(app);
}

static gboolean
changed_cb(gpointer data)
{
  VkApp *app = data;
  changed_idle = 0;
  apply_items(app);
  report_inventory(app);
  return G_SOURCE_REMOVE;
}

/* Many answers come in a burst (one per plugin): the model follows once. */
static void
on_changed(gpointer data)
{
  if (!changed_idle)
    changed_idle = g_idle_add(changed_cb, data);
}

static gint64
on_now_ms(gpointer data)
{
  VkApp *app = data;
  return vk_model_clock_ms(app->model);
}

static void
answer(VkApp *app, const char *plugin, JsonObject *msg)
{
  const char *kind = json_object_get_string_member_with_default(msg, "kind", NULL);
  const char *doc = json_object_get_string_member_with_default(msg, "doc", NULL);
  const char *body = json_object_get_string_member_with_default(msg, "body", NULL);
  gint64 rev = json_object_get_int_member_with_default(msg, "rev", 0);
  if (!kind || !doc || !body)
    return;
#ifdef HAVE_PLUGIN_REPORTS
  g_autoptr(GError) error = NULL;
  if (!vk_plugin_answer_queue(app, kind, doc, rev, body, &error)) {
    g_message("plugin %s: answer to %s/%s not kept: %s", plugin, kind, doc, error->message);
    return;
  }
  answers++;
#else
  g_warning("plugin %s: answer to %s/%s revision %" G_GINT64_FORMAT " dropped: this build has "
            "no answer outbox (kiosk/plugin_reports.c)",
            plugin, kind, doc, rev);
#endif
}

static void
on_service(gpointer data, const char *plugin, JsonObject *msg)
{
  VkApp *app = data;
  const char *svc = json_object_get_string_member_with_default(msg, "svc", "");
  gboolean silent = quiet_now(app) || call_runs(app);
  if (g_str_equal(svc, "card") && json_object_has_member(msg, "card") &&
      JSON_NODE_HOLDS_OBJECT(json_object_get_member(msg, "card"))) {
    vk_plugin_cards_push(app, plugin, json_object_get_object_member(msg, "card"));
  } else if (g_str_equal(svc, "card_close")) {
    vk_plugin_cards_close(app, plugin, json_object_get_string_member_with_default(msg, "id", ""));
  } else if (g_str_equal(svc, "say") && !silent) {
    said++;
    vk_speech_say(json_object_get_string_member_with_default(msg, "text", ""));
  } else if (g_str_equal(svc, "chime") && !silent) {
    chimed++;
    vk_ring_beep();
  } else if (g_str_equal(svc, "answer")) {
    answer(app, plugin, msg);
  } else if (g_str_equal(svc, "call")) {
    const char *person = json_object_get_string_member_with_default(msg, "person", "");
    if (vindu_plugin_host_may_call(app->plugins, plugin) &&
        vk_model_find_person(app->model, person) && !call_runs(app))
      vk_app_call_event(app, CALL_EVENT_USER_CALL, person, FALSE);
    else
      g_message("plugin %s: a call it asked for was not started (no touch just before)", plugin);
  }
}

static void
put_cached(const char *kind, const char *doc, gint64 rev, const char *body, gpointer data)
{
  if (!g_str_equal(kind, "checkin")) /* the kiosk's own kind */
    vindu_plugin_host_put_document(data, kind, doc, rev, body);
}

/* The model changed (kiosk/model.h): a document goes to the runners, and a file that arrived
 * may be a memory-book photo waiting for it, so they are asked again. Registered in
 * vk_plugins_init, after the app's listener (vk_app_new). */
static void
model_changed(VkModel *m, guint changes, gpointer data)
{
  VkApp *app = data;
  const VkModelDocument *d = m->document;
  if ((changes & VK_MODEL_DOCUMENTS) && d && d->kind && !g_str_equal(d->kind, "checkin"))
    vk_plugins_put(app, d->kind, d->doc, d->rev, d->body_json); /* check-ins are the kiosk's */
  if (changes & VK_MODEL_FILE_ARRIVED)
    vk_plugins_refresh(app);
}

static const char *
runner_path(void)
{
  const char *env = g_getenv("VINDU_PLUGIN_RUNNER");
  return env && *env ? env : vindu_path(VINDU_PATH_PLUGIN_RUNNER);
}

void
vk_plugins_init(VkApp *app, const char *dir)
{
  g_autofree char *state =
      app->opts->data_dir ? g_build_filename(app->opts->data_dir, "plugins", NULL) : NULL;
  VinduPluginHostOptions options = {
      .runner_path = runner_path(),
      .state_dir = state,
      .memory_mb = 64,
  };
  VinduPluginHostHooks hooks = {
      .now_ms = on_now_ms, .changed = on_changed, .service = on_service, .data = app};
  app->plugins = vindu_plugin_host_new(&options, &hooks);
  if (app->cache)
    vk_cache_each_doc(app->cache, put_cached, app->plugins);
  vk_plugins_refresh(app);
  model_listener = vk_model_listen(app->model, model_changed, app);
  guint n = vindu_plugin_host_load_dir(app->plugins, dir ? dir : vindu_path(VINDU_PATH_PLUGINS));
  g_message("%u plugins found; each starts in its own runner", n);
}

void
vk_plugins_free(VkApp *app)
{
  if (model_listener)
    vk_model_unlisten(app->model, model_listener);
  model_listener = 0;
  g_clear_handle_id(&changed_idle, g_source_remove);
  g_clear_pointer(&app->plugins, vindu_plugin_host_free);
  g_clear_pointer(&last_context, g_free);
  vk_plugin_cards_free(app);
  vk_frame_book_clear();
}

void
vk_plugins_put(VkApp *app, const char *kind, const char *doc, gint64 rev, const char *body_json)
{
  if (app->plugins && kind && doc)
    vindu_plugin_host_put_document(app->plugins, kind, doc, rev, body_json);
}

void
vk_plugins_refresh(VkApp *app)
{
  if (!app->plugins)
    return;
  g_autoptr(JsonArray) people = people_json(app);
  gboolean quiet = quiet_now(app);
  g_autoptr(JsonNode) node = json_node_init_array(json_node_alloc(), people);
  g_autofree char *text = json_to_string(node, FALSE);
  g_autofree char *context = g_strdup_printf("%s|%d|%s", vk_i18n_language(), quiet, text);
  if (g_strcmp0(context, last_context) != 0) {
    vindu_plugin_host_set_context(app->plugins, vk_i18n_language(), quiet, people);
    g_free(last_context);
    last_context = g_steal_pointer(&context);
  }
  gint64 now = vk_model_clock_ms(app->model) / 1000;
  vindu_plugin_host_refresh(app->plugins, now - 3600, vk_today_next_midnight(now));
}

void
vk_plugins_clock(VkApp *app)
{
  if (app->plugins)
    vindu_plugin_host_clock_changed(app->plugins);
}

void
vk_plugins_action(VkApp *app, const char *plugin, const char *item, const char *action)
{
  if (app->plugins)
    vindu_plugin_host_action(app->plugins, plugin, item, action);
}

char *
vk_plugins_status(VkApp *app)
{
  guint running = 0, n = app->plugins ? vindu_plugin_host_count(app->plugins) : 0;
  for (guint i = 0; i < n; i++) {
    VinduHostPluginInfo info;
    vindu_plugin_host_info(app->plugins, i, &info);
    running += g_str_equal(info.state, "running");
  }
  VkCard *card = vk_plugin_cards_current(app);
  return g_strdup_printf(
      " plugins=%u/%u quarantined=%u card=%s card_shown_at_ms=%" G_GINT64_FORMAT
      " said=%u chimed=%u answers_queued=%u",
      running, n,
      app->plugins ? vindu_quarantine_list(vindu_plugin_host_quarantine(app->plugins))->len : 0,
      card && app->screen == VK_SCREEN_CARD ? card->id : "-", vk_plugin_cards_shown_at_ms(app),
      said, chimed, answers);
}

#else

void
vk_plugins_init(VkApp *app, const char *dir)
{
}
void
vk_plugins_free(VkApp *app)
{
  vk_plugin_cards_free(app);
}
void
vk_plugins_put(VkApp *app, const char *kind, const char *doc, gint64 rev, const char *body_json)
{
}
void
vk_plugins_refresh(VkApp *app)
{
}
void
vk_plugins_clock(VkApp *app)
{
}
void
vk_plugins_action(VkApp *app, const char *plugin, const char *item, const char *action)
{
}
char *
vk_plugins_status(VkApp *app)
{
  return g_strdup(" plugins=0/0");
}

#endif
