/* vindu-plugin-runner --fd N [--memory-mb M] PLUGIN.so
 * Started by the kiosk (plugins/host/runner_link.c), one per plugin, with one end of a socket
 * pair as fd N. Gives up what it can (sandbox.c), then serves the kiosk's requests one at a
 * time until the kiosk closes the socket. */
#include "plugin_wire.h"
#include "runner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static JsonBuilder *
reply(gint64 id, gboolean ok)
{
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "re");
  json_builder_add_int_value(b, id);
  json_builder_set_member_name(b, "ok");
  json_builder_add_boolean_value(b, ok);
  return b;
}

static void
send_reply(Runner *r, JsonBuilder *b)
{
  json_builder_end_object(b);
  runner_send(r, b);
  g_object_unref(b);
}

static void
add_string(JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name(b, name);
  if (value)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

/* "open": load, check, open. A refusal is sent as its one log line, and the runner ends. */
static void
do_open(Runner *r, gint64 id, JsonObject *msg, const char *path)
{
  runner_host_apply_context(r, msg);
  JsonNode *storage = json_object_get_member(msg, "storage");
  runner_host_load_storage(
      r, storage && JSON_NODE_HOLDS_OBJECT(storage) ? json_node_get_object(storage) : NULL);
  g_autoptr(GError) error = NULL;
  r->plugin = vindu_plugin_load(path, &error);
  if (r->plugin && !vindu_plugin_open(r->plugin, &r->host, &error))
    g_clear_pointer(&r->plugin, vindu_plugin_unload);
  JsonBuilder *b = reply(id, r->plugin != NULL);
  if (!r->plugin) {
    add_string(b, "refused", error->message);
    send_reply(r, b);
    _exit(0);
  }
  const VinduPluginDescriptor *d = &r->plugin->desc;
  add_string(b, "name", d->name);
  add_string(b, "version", d->version);
  add_string(b, "description", d->description);
  g_autofree char *abi = g_strdup_printf("%u.%u", d->abi_major, d->abi_minor);
  add_string(b, "abi", abi);
  json_builder_set_member_name(b, "kinds");
  json_builder_begin_array(b);
  for (int i = 0; d->kinds[i]; i++)
    json_builder_add_string_value(b, d->kinds[i]);
  json_builder_end_array(b);
  send_reply(r, b);
}

static void
emit_today(void *ctx, const VinduTodayItem *item)
{
  JsonBuilder *b = ctx;
  if (!item || !item->id || !item->title || !g_utf8_validate(item->title, -1, NULL))
    return; /* a plugin's bad item is dropped, not shown as garbage */
  json_builder_begin_object(b);
  add_string(b, "id", item->id);
  json_builder_set_member_name(b, "starts_at");
  json_builder_add_int_value(b, item->starts_at);
  add_string(b, "title", item->title);
  add_string(b, "kind", item->kind);
  json_builder_set_member_name(b, "actions");
  json_builder_begin_array(b);
  for (int i = 0; i < VINDU_TODAY_MAX_ACTIONS; i++) {
    const VinduAction *a = &item->actions[i];
    if (!a->id || !a->label)
      continue;
    json_builder_begin_object(b);
    add_string(b, "id", a->id);
    add_string(b, "label", a->label);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
}

typedef struct {
  JsonBuilder *b;
  unsigned abi_minor; /* the plugin's: VinduPhoto.voice_file exists from 2.2 */
} PhotoEmit;

static void
emit_photo(void *ctx, const VinduPhoto *photo)
{
  const PhotoEmit *e = ctx;
  JsonBuilder *b = e->b;
  if (!photo || !photo->file)
    return;
  json_builder_begin_object(b);
  add_string(b, "file", photo->file);
  add_string(b, "caption", photo->caption);
  add_string(b, "chapter", photo->chapter);
  add_string(b, "people", photo->people);
  add_string(b, "added_by", photo->added_by);
  if (e->abi_minor >= 2)
    add_string(b, "voice_file", photo->voice_file);
  json_builder_set_member_name(b, "taken_at");
  json_builder_add_int_value(b, photo->taken_at);
  json_builder_end_object(b);
}

static void
do_call(Runner *r, gint64 id, const char *call, JsonObject *msg)
{
  const VinduPluginDescriptor *d = &r->plugin->desc;
  JsonBuilder *b = NULL;
  if (g_str_equal(call, "put")) {
    const char *body = vindu_wire_string(msg, "body");
    int rc = d->put_document(r->plugin->self, vindu_wire_string(msg, "kind"),
                             vindu_wire_string(msg, "doc"), vindu_wire_int(msg, "rev", 0), body);
    b = reply(id, rc == 0);
  } else if (g_str_equal(call, "today") || g_str_equal(call, "photos")) {
    gboolean today = g_str_equal(call, "today");
    b = reply(id, TRUE);
    json_builder_set_member_name(b, "items");
    json_builder_begin_array(b);
    if (today && d->today)
      d->today(r->plugin->self, vindu_wire_int(msg, "from", 0), vindu_wire_int(msg, "to", 0),
               emit_today, b);
    else if (!today && d->photos)
      d->photos(r->plugin->self, emit_photo, &(PhotoEmit){b, d->abi_minor});
    json_builder_end_array(b);
  } else if (g_str_equal(call, "timer")) {
    if (d->timer)
      d->timer(r->plugin->self, (unsigned)vindu_wire_int(msg, "timer", 0));
    b = reply(id, TRUE);
  } else if (g_str_equal(call, "action")) {
    r->in_action = TRUE;
    if (d->action)
      d->action(r->plugin->self, vindu_wire_string(msg, "item"), vindu_wire_string(msg, "action"));
    r->in_action = FALSE;
    b = reply(id, TRUE);
  } else {
    b = reply(id, FALSE);
    add_string(b, "error", "unknown call");
  }
  send_reply(r, b);
}

static void
handle_line(Runner *r, const char *line, gsize len, const char *path)
{
  g_autoptr(JsonObject) msg = vindu_wire_parse(line, (gssize)len);
  if (!msg)
    return;
  if (vindu_wire_string(msg, "set")) {
    runner_host_apply_context(r, msg);
    return;
  }
  gint64 id = vindu_wire_int(msg, "id", -1);
  const char *call = vindu_wire_string(msg, "call");
  if (id < 0 || !call)
    return;
  if (g_str_equal(call, "open"))
    do_open(r, id, msg, path);
  else if (r->plugin)
    do_call(r, id, call, msg);
}

static void
serve(Runner *r, const char *path)
{
  g_autoptr(GString) buf = g_string_new(NULL);
  char chunk[8192];
  for (;;) {
    ssize_t n = read(r->fd, chunk, sizeof chunk);
    if (n == 0 || (n < 0 && errno != EINTR))
      return; /* the kiosk closed the socket: time to go */
    if (n < 0)
      continue;
    g_string_append_len(buf, chunk, n);
    char *nl;
    while ((nl = memchr(buf->str, '\n', buf->len))) {
      gsize len = (gsize)(nl - buf->str);
      handle_line(r, buf->str, len, path);
      g_string_erase(buf, 0, (gssize)len + 1);
    }
    if (buf->len > VINDU_WIRE_MAX_LINE)
      return;
  }
}

int
main(int argc, char **argv)
{
  int fd = -1, memory_mb = 64;
  GOptionEntry entries[] = {
      {"fd", 0, 0, G_OPTION_ARG_INT, &fd, "the socket to the kiosk", "N"},
      {"memory-mb", 0, 0, G_OPTION_ARG_INT, &memory_mb, "memory limit (0: none)", "MB"},
      G_OPTION_ENTRY_NULL,
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("PLUGIN.so");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error) || fd < 0 || argc != 2) {
    g_printerr("vindu-plugin-runner: started by the kiosk, not by hand (--fd N PLUGIN.so)\n");
    return 2;
  }
  Runner r = {0};
  r.fd = runner_sandbox(fd, (guint)MAX(memory_mb, 0), &error);
  if (r.fd < 0) {
    g_printerr("vindu-plugin-runner: %s\n", error->message);
    return 1;
  }
  runner_host_init(&r);
  serve(&r, argv[1]);
  /* close() is not called on the way out: the kiosk may have killed us mid-call anyway, and a
   * plugin must keep nothing that needs it (storage goes to the kiosk as it is set) */
  return 0;
}
