#include "reminder_doc.h"

#include "common/document_body.h"
#include <string.h>

void
reminder_free(Reminder *r)
{
  if (!r)
    return;
  g_free(r->doc);
  g_free(r->title);
  g_free(r->photo);
  vindu_recurrence_free(r->when);
  if (r->span)
    g_array_unref(r->span);
  g_free(r);
}

static gboolean
is_file_hash(const char *s)
{
  return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

Reminder *
reminder_from_body(const char *doc, gint64 rev, const char *body_json)
{
  g_autoptr(JsonObject) body = document_body_parse(body_json);
  if (!body)
    return NULL;
  const char *title = document_body_string(body, "title");
  const char *rrule = document_body_string(body, "rrule");
  const char *zone = document_body_string(body, "time_zone");
  const char *photo = document_body_string(body, "photo");
  gint64 first, wait_min = REMINDER_WAIT_DEFAULT_S / 60;
  if (!title || !*title || !document_body_int(body, "starts_at", &first))
    return NULL;
  if ((json_object_has_member(body, "rrule") && !rrule) ||
      (json_object_has_member(body, "time_zone") && !zone) ||
      (json_object_has_member(body, "photo") && !is_file_hash(photo)) ||
      (json_object_has_member(body, "wait_minutes") &&
       (!document_body_int(body, "wait_minutes", &wait_min) || wait_min < 1 || wait_min > 1440)))
    return NULL;
  /* without a zone (documents older than the member): the kiosk's own */
  VinduRecurrence *when = vindu_recurrence_new(first, rrule, zone, NULL);
  if (!when)
    return NULL;
  Reminder *r = g_new0(Reminder, 1);
  r->doc = g_strdup(doc);
  r->rev = rev;
  r->title = g_strdup(title);
  r->photo = g_strdup(photo);
  r->wait_s = (int)wait_min * 60;
  r->when = when;
  return r;
}

static gboolean
keep_all(gint64 t, gpointer data)
{
  g_array_append_val((GArray *)data, t);
  return TRUE;
}

GArray *
reminder_occurrences(Reminder *r, gint64 from, gint64 to)
{
  if (!r->span || from < r->span_from || to > r->span_to) {
    if (r->span)
      g_array_unref(r->span);
    r->span = g_array_new(FALSE, FALSE, sizeof(gint64));
    /* a little on both sides: the strip's window moves a minute at a time */
    r->span_from = from - 3600;
    r->span_to = MAX(to, from + 86400) + 3600;
    vindu_recurrence_each(r->when, r->span_from, r->span_to, keep_all, r->span);
  }
  return r->span;
}
