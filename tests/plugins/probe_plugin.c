/* A plugin for tests, built in several variants (PROBE_VARIANT) from this one file:
 *   0 "probe"        reads "probe" documents and does what each asks (below)
 *   1 wrong major, 2 newer minor, 3 larger descriptor, 4 descriptor smaller than its minor,
 *   5 no name, 6 open() fails, 7 an older minor (2.0: no action()), 8 a second reader of
 *   "probe", 9 entry returns NULL
 * A "probe" document asks for one thing:
 *   {"crash":true} / {"hang":true} / {"eat_mb":N}   fault while taking it
 *   {"crash_in":"today"}                            crash later, when the strip is asked for
 *   {"crash_in":"timer","at":T}                     crash when its timer comes due
 *   {"title":"..."}                                 a strip item now
 *   {"card":{"title":..,"buttons":[..]}, "at":T}    a card at second T (host timer); the card
 *                                                   may also be that object as a JSON string
 *   {"say":"...","at":T}                            said at second T
 *   {"answer":{...}}                                an answer to this document, now
 *   {"net":true}                                    tries to open a network socket; stores the
 *                                                   outcome under "net" ("refused"/"opened")
 *   {"store_kb":N}                                  stores N KiB under "big" (over the bound fails;
 *                                                   the outcome goes under "store")
 * A card button "call" asks to call the first person; any other button answers {"state":id}. */
#include "vindu/plugin.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PROBE_VARIANT
#define PROBE_VARIANT 0
#endif

typedef struct {
  const VinduHost *host;
  GHashTable *docs;   /* doc id -> body JsonObject* */
  GHashTable *timers; /* timer id -> doc id */
  unsigned next_timer;
} Probe;

static int
probe_open(const VinduHost *host, void **out)
{
  if (PROBE_VARIANT == 6)
    return 7;
  Probe *p = g_new0(Probe, 1);
  p->host = host;
  p->docs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
  p->timers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  *out = p;
  return 0;
}

static void
probe_close(void *data)
{
  Probe *p = data;
  g_hash_table_unref(p->docs);
  g_hash_table_unref(p->timers);
  g_free(p);
}

static void
fault_if_asked(JsonObject *body)
{
  if (json_object_get_boolean_member_with_default(body, "crash", FALSE))
    raise(SIGSEGV);
  if (json_object_get_boolean_member_with_default(body, "hang", FALSE))
    for (;;)
      pause();
  gint64 mb = json_object_get_int_member_with_default(body, "eat_mb", 0);
  for (gint64 i = 0; i < mb; i++)
    memset(g_malloc(1 << 20), 1, 1 << 20); /* past the limit g_malloc aborts */
}

static void
try_network(Probe *p)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  p->host->storage_set(p->host, "net", fd < 0 && errno == EPERM ? "refused" : "opened");
  if (fd >= 0)
    close(fd);
}

static void
store_big(Probe *p, gint64 kb)
{
  char *value = g_malloc((gsize)kb * 1024 + 1);
  memset(value, 'x', (gsize)kb * 1024);
  value[kb * 1024] = '\0';
  int rc = p->host->storage_set(p->host, "big", value);
  p->host->storage_set(p->host, "store", rc == 0 ? "kept" : "refused");
  g_free(value);
}

static int
probe_put(void *data, const char *kind, const char *doc, long long rev, const char *body_json)
{
  Probe *p = data;
  if (!body_json) {
    g_hash_table_remove(p->docs, doc);
    p->host->today_changed(p->host);
    return 0;
  }
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, body_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
    return 1;
  JsonObject *body = json_node_get_object(json_parser_get_root(parser));
  fault_if_asked(body);
  g_hash_table_replace(p->docs, g_strdup(doc), json_object_ref(body));
  if (json_object_get_boolean_member_with_default(body, "net", FALSE))
    try_network(p);
  if (json_object_has_member(body, "store_kb"))
    store_big(p, json_object_get_int_member(body, "store_kb"));
  if (json_object_has_member(body, "answer")) {
    g_autoptr(JsonNode) answer = json_node_copy(json_object_get_member(body, "answer"));
    g_autofree char *text = json_to_string(answer, FALSE);
    p->host->answer(p->host, kind, doc, rev, text);
  }
  if (json_object_has_member(body, "at")) {
    unsigned id = ++p->next_timer;
    g_hash_table_replace(p->timers, GUINT_TO_POINTER(id), g_strdup(doc));
    p->host->timer_at(p->host, id, json_object_get_int_member(body, "at"));
  }
  p->host->today_changed(p->host);
  return 0;
}

static void
probe_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Probe *p = data;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, p->docs);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    if (g_strcmp0(json_object_get_string_member_with_default(value, "crash_in", ""), "today") == 0)
      raise(SIGSEGV);
    const char *title = json_object_get_string_member_with_default(value, "title", NULL);
    if (!title)
      continue;
    VinduTodayItem item = {.id = key,
                           .starts_at = p->host->now(p->host),
                           .title = title,
                           .kind = "probe",
                           .actions = {{"done", "Done"}}};
    emit(ctx, &item);
  }
}

static void
show_card(Probe *p, const char *doc, JsonObject *spec)
{
  VinduCard card = {.id = doc,
                    .title = json_object_get_string_member_with_default(spec, "title", NULL),
                    .body = json_object_get_string_member_with_default(spec, "body", NULL),
                    .countdown_s =
                        (int)json_object_get_int_member_with_default(spec, "countdown_s", 0)};
  JsonArray *buttons = json_object_has_member(spec, "buttons")
                           ? json_object_get_array_member(spec, "buttons")
                           : NULL;
  for (guint i = 0; buttons && i < json_array_get_length(buttons) && i < 3; i++) {
    JsonObject *b = json_array_get_object_element(buttons, i);
    card.buttons[i].id = json_object_get_string_member_with_default(b, "id", NULL);
    card.buttons[i].label = json_object_get_string_member_with_default(b, "label", NULL);
  }
  if (p->host->card_show(p->host, &card) != 0)
    p->host->log(p->host, VINDU_LOG_WARNING, "my card was refused");
}

static void
probe_timer(void *data, unsigned id)
{
  Probe *p = data;
  const char *doc = g_hash_table_lookup(p->timers, GUINT_TO_POINTER(id));
  JsonObject *body = doc ? g_hash_table_lookup(p->docs, doc) : NULL;
  if (!body)
    return;
  if (g_strcmp0(json_object_get_string_member_with_default(body, "crash_in", ""), "timer") == 0)
    raise(SIGSEGV);
  JsonNode *card = json_object_get_member(body, "card");
  if (card && JSON_NODE_HOLDS_OBJECT(card)) {
    show_card(p, doc, json_node_get_object(card));
  } else if (card && JSON_NODE_HOLDS_VALUE(card)) { /* a manifest's long_text holding the JSON */
    g_autoptr(JsonParser) parser = json_parser_new();
    if (json_parser_load_from_data(parser, json_node_get_string(card), -1, NULL) &&
        JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
      show_card(p, doc, json_node_get_object(json_parser_get_root(parser)));
  }
  if (json_object_has_member(body, "say"))
    p->host->say(p->host, json_object_get_string_member(body, "say"));
}

static void
probe_action(void *data, const char *item, const char *action)
{
  Probe *p = data;
  if (g_str_equal(action, "call")) {
    VinduPerson people[1];
    if (p->host->people(p->host, people, 1) > 0)
      p->host->call_person(p->host, people[0].id);
    return;
  }
  g_autofree char *body = g_strdup_printf("{\"state\":\"%s\"}", action);
  p->host->answer(p->host, "probe", item, 1, body);
}

#if PROBE_VARIANT == 8
static const char *const kinds[] = {"probe", NULL};
#define PROBE_NAME "probe-again"
#else
static const char *const kinds[] = {"probe", NULL};
#define PROBE_NAME "probe"
#endif

#if PROBE_VARIANT == 7
/* As a plugin built against ABI 2.0 declares it: the descriptor ends after timer(). What follows
 * it in memory is not zero, so a host that read past descriptor_size would see it. */
typedef struct {
  unsigned abi_major, abi_minor, descriptor_size;
  const char *name, *version, *description;
  const char *const *kinds;
  int (*open)(const VinduHost *, void **);
  void (*close)(void *);
  int (*put_document)(void *, const char *, const char *, long long, const char *);
  void (*today)(void *, long long, long long, VinduTodayEmit, void *);
  void (*photos)(void *, VinduPhotoEmit, void *);
  void (*timer)(void *, unsigned);
} DescriptorV20;
static const struct {
  DescriptorV20 d;
  void (*after)(void *, const char *, const char *);
} older = {{2, 0, sizeof(DescriptorV20), "probe-older", "1.0.0", "built for ABI 2.0", kinds,
            probe_open, probe_close, probe_put, probe_today, NULL, probe_timer},
           probe_action};
const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return (const VinduPluginDescriptor *)&older.d;
}
#else
static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR + (PROBE_VARIANT == 1),
    .abi_minor = VINDU_PLUGIN_ABI_MINOR + (PROBE_VARIANT == 2),
    .descriptor_size = sizeof(VinduPluginDescriptor) + (PROBE_VARIANT == 3 ? 8 : 0) -
                       (PROBE_VARIANT == 4 ? 2 * sizeof(void *) : 0),
    .name = PROBE_VARIANT == 5 ? NULL : PROBE_NAME,
    .version = "1.0.0",
    .description = "a plugin for tests",
    .kinds = kinds,
    .open = probe_open,
    .close = probe_close,
    .put_document = probe_put,
    .today = probe_today,
    .timer = probe_timer,
    .action = probe_action,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return PROBE_VARIANT == 9 ? NULL : &descriptor;
}
#endif
