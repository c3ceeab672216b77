#include "activity.h"

#include "common/document_body.h"

#include <stdio.h>

#define DEFAULT_LENGTH_S (2 * 3600)

static char *
dup_nonempty(JsonObject *body, const char *name)
{
  const char *s = document_body_string(body, name);
  return s && *s ? g_strdup(s) : NULL;
}

static gint64
int_or_zero(JsonObject *body, const char *name)
{
  gint64 v = 0;
  return document_body_int(body, name, &v) ? v : 0;
}

static gboolean
bool_member(JsonObject *body, const char *name)
{
  JsonNode *n = json_object_get_member(body, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN &&
         json_node_get_boolean(n);
}

Activity *
activity_parse(const char *doc, gint64 rev, const char *body_json)
{
  g_autoptr(JsonObject) body = document_body_parse(body_json);
  gint64 starts_at;
  if (!body || !document_body_string(body, "title") || !*document_body_string(body, "title") ||
      !document_body_int(body, "starts_at", &starts_at))
    return NULL;
  Activity *a = g_new0(Activity, 1);
  a->doc = g_strdup(doc);
  a->rev = rev;
  a->title = dup_nonempty(body, "title");
  a->photo = dup_nonempty(body, "photo");
  a->place = dup_nonempty(body, "place");
  a->address = dup_nonempty(body, "address");
  a->invited_by = dup_nonempty(body, "invited_by");
  a->invited_by_name = dup_nonempty(body, "invited_by_name");
  a->ride_by = dup_nonempty(body, "ride_by");
  a->starts_at = starts_at;
  a->ends_at = int_or_zero(body, "ends_at");
  a->answer_by = int_or_zero(body, "answer_by");
  a->pickup_at = int_or_zero(body, "pickup_at");
  a->ride_offered = bool_member(body, "ride_offered");
  a->cancelled = bool_member(body, "cancelled");
  a->ride = -1;
  return a;
}

void
activity_free(Activity *a)
{
  if (!a)
    return;
  g_free(a->doc);
  g_free(a->title);
  g_free(a->photo);
  g_free(a->place);
  g_free(a->address);
  g_free(a->invited_by);
  g_free(a->invited_by_name);
  g_free(a->ride_by);
  g_free(a);
}

gint64
activity_ends(const Activity *a)
{
  return a->ends_at > a->starts_at ? a->ends_at : a->starts_at + DEFAULT_LENGTH_S;
}

char *
activity_label(const Activity *a)
{
  return a->place ? g_strdup_printf("%s — %s", a->title, a->place) : g_strdup(a->title);
}

static const char *const reply_names[] = {"", "yes", "no", "call"};

char *
activity_memory_line(const Activity *a)
{
  return g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %d %d", a->seen_rev,
                         a->told_at, a->told_cancel, (int)a->reply, a->ride);
}

gboolean
activity_memory_read(Activity *a, const char *line)
{
  long long seen, told;
  int cancel, reply, ride;
  if (!line || sscanf(line, "%lld %lld %d %d %d", &seen, &told, &cancel, &reply, &ride) != 5 ||
      reply < REPLY_NONE || reply > REPLY_CALL || ride < -1 || ride > 1)
    return FALSE;
  a->seen_rev = seen;
  a->told_at = told;
  a->told_cancel = cancel != 0;
  a->reply = (ActivityReply)reply;
  a->ride = ride;
  return TRUE;
}

char *
activity_answer_json(const Activity *a, gint64 now)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "reply");
  json_builder_add_string_value(b, reply_names[a->reply]);
  if (a->reply == REPLY_YES && a->ride >= 0) {
    json_builder_set_member_name(b, "ride");
    json_builder_add_boolean_value(b, a->ride == 1);
  }
  json_builder_set_member_name(b, "at");
  json_builder_add_int_value(b, now);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}
