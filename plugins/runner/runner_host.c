/* The host table as the runner offers it: each service becomes a line to the kiosk, or is
 * answered from what the kiosk told the runner (clock, language, people, quiet hours, storage),
 * so that no service ever waits on the kiosk. */
#include "runner.h"
#include "plugin_wire.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
runner_send(Runner *r, JsonBuilder *builder)
{
  g_autofree char *line = vindu_wire_line(builder);
  gsize len = strlen(line), done = 0;
  while (done < len) {
    ssize_t n = write(r->fd, line + done, len - done);
    if (n <= 0)
      _exit(0); /* the kiosk has gone: nothing left to do */
    done += (gsize)n;
  }
}

static Runner *
runner_of(const VinduHost *host)
{
  return host->host_data;
}

static JsonBuilder *
service(const char *name)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "svc");
  json_builder_add_string_value(b, name);
  return b;
}

static void
finish(Runner *r, JsonBuilder *b)
{
  json_builder_end_object(b);
  runner_send(r, b);
  g_object_unref(b);
}

static void
host_log(const VinduHost *host, VinduLogLevel level, const char *message)
{
  JsonBuilder *b = service("log");
  json_builder_set_member_name(b, "level");
  json_builder_add_int_value(b, level);
  json_builder_set_member_name(b, "message");
  json_builder_add_string_value(b, message && g_utf8_validate(message, -1, NULL) ? message : "?");
  finish(runner_of(host), b);
}

static long long
host_now(const VinduHost *host)
{
  return (g_get_real_time() / 1000 + runner_of(host)->clock_offset_ms) / 1000;
}

static const char *
host_language(const VinduHost *host)
{
  return runner_of(host)->language;
}

static int
host_people(const VinduHost *host, VinduPerson *out, int max)
{
  JsonArray *people = runner_of(host)->people;
  int n = people ? (int)json_array_get_length(people) : 0;
  for (int i = 0; i < n && i < max; i++) {
    JsonObject *p = json_array_get_object_element(people, (guint)i);
    out[i].id = vindu_wire_string(p, "id");
    out[i].name = vindu_wire_string(p, "name");
    out[i].relationship = vindu_wire_string(p, "relationship");
  }
  return n;
}

static int
host_quiet_hours(const VinduHost *host)
{
  return runner_of(host)->quiet;
}

static void
host_timer_at(const VinduHost *host, unsigned timer_id, long long at)
{
  JsonBuilder *b = service("timer");
  json_builder_set_member_name(b, "timer");
  json_builder_add_int_value(b, timer_id);
  json_builder_set_member_name(b, "at");
  json_builder_add_int_value(b, at);
  finish(runner_of(host), b);
}

static void
host_today_changed(const VinduHost *host)
{
  finish(runner_of(host), service("today_changed"));
}

static void
host_photos_changed(const VinduHost *host)
{
  finish(runner_of(host), service("photos_changed"));
}

static void
add_string(JsonBuilder *b, const char *name, const char *value)
{
  if (!value)
    return;
  json_builder_set_member_name(b, name);
  json_builder_add_string_value(b, value);
}

/* The card as it travels (plugin_wire.h). transfer full */
static JsonNode *
card_node(const VinduCard *card)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_string(b, "id", card->id);
  add_string(b, "title", card->title);
  add_string(b, "body", card->body);
  add_string(b, "photo", card->photo);
  json_builder_set_member_name(b, "countdown_s");
  json_builder_add_int_value(b, card->countdown_s);
  json_builder_set_member_name(b, "buttons");
  json_builder_begin_array(b);
  for (int i = 0; i < VINDU_CARD_MAX_BUTTONS; i++) {
    if (!card->buttons[i].id && !card->buttons[i].label)
      continue;
    json_builder_begin_object(b);
    add_string(b, "id", card->buttons[i].id);
    add_string(b, "label", card->buttons[i].label);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

static int
host_card_show(const VinduHost *host, const VinduCard *card)
{
  if (!card)
    return -1;
  g_autoptr(JsonNode) node = card_node(card);
  g_autofree char *why = NULL;
  if (!vindu_wire_card_is_valid(json_node_get_object(node), &why)) {
    g_autofree char *line = g_strdup_printf("card refused: %s", why);
    host_log(host, VINDU_LOG_WARNING, line);
    return -1;
  }
  JsonBuilder *b = service("card");
  json_builder_set_member_name(b, "card");
  json_builder_add_value(b, json_node_copy(node));
  finish(runner_of(host), b);
  return 0;
}

static void
host_card_close(const VinduHost *host, const char *card_id)
{
  JsonBuilder *b = service("card_close");
  add_string(b, "id", card_id ? card_id : "");
  finish(runner_of(host), b);
}

static void
host_say(const VinduHost *host, const char *text)
{
  if (!text || !g_utf8_validate(text, -1, NULL) || !*text)
    return;
  JsonBuilder *b = service("say");
  add_string(b, "text", text);
  finish(runner_of(host), b);
}

static void
host_chime(const VinduHost *host)
{
  finish(runner_of(host), service("chime"));
}

static char *
host_storage_get(const VinduHost *host, const char *key)
{
  const char *value = key ? g_hash_table_lookup(runner_of(host)->storage, key) : NULL;
  return value ? strdup(value) : NULL;
}

static int
host_storage_set(const VinduHost *host, const char *key, const char *value)
{
  Runner *r = runner_of(host);
  if (!key || !*key || !g_utf8_validate(key, -1, NULL) ||
      (value && !g_utf8_validate(value, -1, NULL)))
    return -1;
  const char *old = g_hash_table_lookup(r->storage, key);
  gsize freed = old ? strlen(key) + strlen(old) : 0;
  gsize added = value ? strlen(key) + strlen(value) : 0;
  if (r->storage_bytes - freed + added > VINDU_STORAGE_MAX)
    return -1;
  r->storage_bytes = r->storage_bytes - freed + added;
  if (value)
    g_hash_table_replace(r->storage, g_strdup(key), g_strdup(value));
  else
    g_hash_table_remove(r->storage, key);
  JsonBuilder *b = service("storage");
  add_string(b, "key", key);
  add_string(b, "value", value);
  finish(r, b);
  return 0;
}

#define ANSWER_MAX 4096

static int
host_answer(const VinduHost *host, const char *kind, const char *doc_id, long long rev,
            const char *body_json)
{
  g_autoptr(JsonObject) body =
      body_json && strlen(body_json) <= ANSWER_MAX ? vindu_wire_parse(body_json, -1) : NULL;
  if (!body || !vindu_plugin_name_is_valid(kind) || !doc_id || !*doc_id)
    return -1;
  JsonBuilder *b = service("answer");
  add_string(b, "kind", kind);
  add_string(b, "doc", doc_id);
  json_builder_set_member_name(b, "rev");
  json_builder_add_int_value(b, rev);
  add_string(b, "body", body_json);
  finish(runner_of(host), b);
  return 0;
}

static int
host_call_person(const VinduHost *host, const char *person_id)
{
  Runner *r = runner_of(host);
  if (!r->in_action || !person_id)
    return -1; /* only right after the resident touched one of this plugin's actions */
  JsonBuilder *b = service("call");
  add_string(b, "person", person_id);
  finish(r, b);
  return 0;
}

void
runner_host_init(Runner *r)
{
  r->storage = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  r->language = g_strdup("en");
  r->host = (VinduHost){
      .size = sizeof(VinduHost),
      .host_data = r,
      .log = host_log,
      .now = host_now,
      .language = host_language,
      .people = host_people,
      .quiet_hours = host_quiet_hours,
      .timer_at = host_timer_at,
      .today_changed = host_today_changed,
      .photos_changed = host_photos_changed,
      .card_show = host_card_show,
      .card_close = host_card_close,
      .say = host_say,
      .chime = host_chime,
      .storage_get = host_storage_get,
      .storage_set = host_storage_set,
      .answer = host_answer,
      .call_person = host_call_person,
  };
}

void
runner_host_apply_context(Runner *r, JsonObject *msg)
{
  const char *language = vindu_wire_string(msg, "language");
  if (language) {
    g_free(r->language);
    r->language = g_strdup(language);
  }
  r->clock_offset_ms = vindu_wire_int(msg, "clock_offset_ms", r->clock_offset_ms);
  if (json_object_has_member(msg, "quiet"))
    r->quiet = json_object_get_boolean_member(msg, "quiet");
  JsonNode *people = json_object_get_member(msg, "people");
  if (people && JSON_NODE_HOLDS_ARRAY(people)) {
    g_clear_pointer(&r->people, json_array_unref);
    r->people = json_array_ref(json_node_get_array(people));
  }
}

void
runner_host_load_storage(Runner *r, JsonObject *storage)
{
  if (!storage)
    return;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  json_object_iter_init(&iter, storage);
  while (json_object_iter_next(&iter, &key, &value)) {
    if (!JSON_NODE_HOLDS_VALUE(value) || json_node_get_value_type(value) != G_TYPE_STRING)
      continue;
    r->storage_bytes += strlen(key) + strlen(json_node_get_string(value));
    g_hash_table_replace(r->storage, g_strdup(key), g_strdup(json_node_get_string(value)));
  }
}
