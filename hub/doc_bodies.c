#define G_LOG_DOMAIN "vindu-hub"
#include "doc_bodies.h"

#include <stdlib.h>
#include <string.h>

/* Times a document can mean: as for check-ins, wide enough for any plan, and arithmetic on them
 * cannot overflow. */
#define DATETIME_MIN G_GINT64_CONSTANT(946684800)  /* 2000-01-01 */
#define DATETIME_MAX G_GINT64_CONSTANT(4102444800) /* 2100-01-01 */
#define RRULE_MAX 200

void
hub_body_error_clear(HubBodyError *e)
{
  g_clear_pointer(&e->field, g_free);
  g_clear_pointer(&e->sentence, g_free);
}

static gboolean refuse(HubBodyError *e, VpErrorCode code, const char *field, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static gboolean
refuse(HubBodyError *e, VpErrorCode code, const char *field, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  e->code = code;
  e->field = g_strdup(field);
  e->sentence = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  return FALSE;
}

static gboolean
holds(JsonNode *n, GType type)
{
  return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == type;
}

/* ---- RRULE: the subset a person can say in words and a kiosk can walk cheaply -------------- */

static gboolean
int_list_in(const char *value, int lo, int hi, gboolean no_zero)
{
  g_auto(GStrv) items = g_strsplit(value, ",", -1);
  if (!items[0])
    return FALSE;
  for (char **p = items; *p; p++) {
    char *end = NULL;
    if (!**p || strlen(*p) > 4)
      return FALSE;
    long v = strtol(*p, &end, 10);
    if (*end || v < lo || v > hi || (no_zero && v == 0))
      return FALSE;
  }
  return TRUE;
}

static gboolean
weekday_list(const char *value)
{
  static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  g_auto(GStrv) items = g_strsplit(value, ",", -1);
  if (!items[0])
    return FALSE;
  for (char **p = items; *p; p++) {
    gsize n = strlen(*p);
    if (n < 2 || n > 4)
      return FALSE;
    const char *day = *p + n - 2;
    gboolean known = FALSE;
    for (gsize d = 0; d < G_N_ELEMENTS(days); d++)
      known = known || strcmp(day, days[d]) == 0;
    g_autofree char *ordinal = g_strndup(*p, n - 2); /* "-1" in -1FR: the last Friday */
    if (!known || (*ordinal && !int_list_in(ordinal, -5, 5, TRUE)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
until_valid(const char *v)
{
  gsize n = strlen(v);
  for (gsize i = 0; i < n; i++) {
    gboolean digit_place = i < 8 || (i > 8 && i < 15);
    if (digit_place ? !g_ascii_isdigit(v[i]) : (i == 8 ? v[i] != 'T' : v[i] != 'Z'))
      return FALSE;
  }
  return n == 8 || n == 16;
}

static gboolean
rrule_part_valid(const char *key, const char *value)
{
  if (!strcmp(key, "FREQ"))
    return !strcmp(value, "DAILY") || !strcmp(value, "WEEKLY") || !strcmp(value, "MONTHLY") ||
           !strcmp(value, "YEARLY");
  if (!strcmp(key, "INTERVAL"))
    return !strchr(value, ',') && int_list_in(value, 1, 366, FALSE);
  if (!strcmp(key, "COUNT"))
    return !strchr(value, ',') && int_list_in(value, 1, 1000, FALSE);
  if (!strcmp(key, "UNTIL"))
    return until_valid(value);
  if (!strcmp(key, "BYDAY"))
    return weekday_list(value);
  if (!strcmp(key, "BYHOUR"))
    return int_list_in(value, 0, 23, FALSE);
  if (!strcmp(key, "BYMINUTE"))
    return int_list_in(value, 0, 59, FALSE);
  if (!strcmp(key, "BYMONTHDAY"))
    return int_list_in(value, -31, 31, TRUE);
  if (!strcmp(key, "BYMONTH"))
    return int_list_in(value, 1, 12, FALSE);
  return FALSE;
}

gboolean
hub_rrule_valid(const char *rrule)
{
  if (!rrule || !*rrule || strlen(rrule) > RRULE_MAX)
    return FALSE;
  g_auto(GStrv) parts = g_strsplit(rrule, ";", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (char **p = parts; *p; p++) {
    char *eq = strchr(*p, '=');
    if (!eq)
      return FALSE;
    *eq = '\0';
    if (g_hash_table_contains(seen, *p) || !rrule_part_valid(*p, eq + 1))
      return FALSE;
    g_hash_table_add(seen, *p);
  }
  /* COUNT and UNTIL together are forbidden by RFC 5545 */
  return g_hash_table_contains(seen, "FREQ") &&
         !(g_hash_table_contains(seen, "COUNT") && g_hash_table_contains(seen, "UNTIL"));
}

/* ---- one field -------------------------------------------------------------------------- */

static gboolean
check_text(const HubField *f, const char *s, HubBodyError *e)
{
  for (const char *p = s; *p; p++) {
    gboolean line_break = *p == '\n' || *p == '\t' || *p == '\r';
    if ((guchar)*p < 0x20 && !(line_break && f->type == HUB_FIELD_LONG_TEXT))
      return refuse(e, VP_ERROR_BAD_FORMAT, f->name,
                    "\"%s\" holds a line break or a control character.", f->name);
  }
  glong chars = g_utf8_strlen(s, -1);
  gint64 min = MAX(f->min, f->required ? 1 : 0);
  if (chars < min || chars > f->max)
    return refuse(e, VP_ERROR_OUT_OF_RANGE, f->name,
                  "\"%s\" must have %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " characters.",
                  f->name, min, f->max);
  return TRUE;
}

static gboolean
check_date(const char *s)
{
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  for (int i = 0; i < 10; i++) {
    if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
      return FALSE;
  }
  return y >= 2000 && y < 2100 && g_date_valid_dmy(d, m, y);
}

/* A zone by its IANA name ("Europe/Oslo"), never a path: GLib would read any file named. */
static gboolean
hub_time_zone_valid(const char *s)
{
  if (!*s || strlen(s) > 64 || s[0] == '/' || strstr(s, "..") ||
      strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(s))
    return FALSE;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier(s);
  return zone != NULL;
}

static gboolean
check_string_field(Hub *hub, const char *household, const HubField *f, const char *s,
                   HubBodyError *e)
{
  switch (f->type) {
  case HUB_FIELD_TEXT:
  case HUB_FIELD_LONG_TEXT:
  case HUB_FIELD_PLACE:
    return check_text(f, s, e);
  case HUB_FIELD_DATE:
    return check_date(s) ||
           refuse(e, VP_ERROR_BAD_FORMAT, f->name, "\"%s\" is a date written YYYY-MM-DD.", f->name);
  case HUB_FIELD_TIME:
    return vp_is_clock_time(s) ||
           refuse(e, VP_ERROR_BAD_FORMAT, f->name, "\"%s\" is a time written HH:MM.", f->name);
  case HUB_FIELD_REPETITION:
    return hub_rrule_valid(s) || refuse(e, VP_ERROR_BAD_FORMAT, f->name,
                                        "\"%s\" is not a repetition the kiosk knows.", f->name);
  case HUB_FIELD_PHOTO:
    if (!vp_is_file_hash(s))
      return refuse(e, VP_ERROR_BAD_FORMAT, f->name, "\"%s\" is a photo's hash.", f->name);
    return files_in_household(hub, s, household, "photo") ||
           refuse(e, VP_ERROR_NOT_FOUND, f->name, "There is no such photo in this household.");
  case HUB_FIELD_VOICE:
    if (!vp_is_file_hash(s))
      return refuse(e, VP_ERROR_BAD_FORMAT, f->name, "\"%s\" is a recording's hash.", f->name);
    return files_in_household(hub, s, household, "voice") ||
           refuse(e, VP_ERROR_NOT_FOUND, f->name, "There is no such recording in this household.");
  case HUB_FIELD_PERSON:
  case HUB_FIELD_AUTHOR: {
    if (!vp_is_identifier(s))
      return refuse(e, VP_ERROR_BAD_FORMAT, f->name, "\"%s\" is a person's id.", f->name);
    HubMembership *m = hub_membership_get(hub->db, household, s);
    gboolean member = m != NULL;
    hub_membership_free(m);
    return member ||
           refuse(e, VP_ERROR_NOT_FOUND, f->name, "There is no such person in this household.");
  }
  case HUB_FIELD_TIME_ZONE:
    return hub_time_zone_valid(s) ||
           refuse(e, VP_ERROR_BAD_FORMAT, f->name,
                  "\"%s\" is a time zone by its name, such as Europe/Oslo.", f->name);
  case HUB_FIELD_CHOICE:
    return g_strv_contains((const char *const *)f->choices, s) ||
           refuse(e, VP_ERROR_OUT_OF_RANGE, f->name, "\"%s\" is not one of its choices.", f->name);
  default:
    return FALSE;
  }
}

static gboolean
check_int_field(const HubField *f, gint64 v, HubBodyError *e)
{
  gboolean bounded = f->type == HUB_FIELD_MINUTES || f->type == HUB_FIELD_COUNT;
  gint64 lo = bounded ? f->min : DATETIME_MIN;
  gint64 hi = bounded ? f->max : DATETIME_MAX;
  if (v < lo || v > hi)
    return refuse(e, VP_ERROR_OUT_OF_RANGE, f->name,
                  "\"%s\" must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".", f->name, lo,
                  hi);
  return TRUE;
}

static gboolean
check_field(Hub *hub, const char *household, const HubField *f, JsonNode *n, HubBodyError *e)
{
  switch (f->type) {
  case HUB_FIELD_DATETIME:
  case HUB_FIELD_MINUTES:
  case HUB_FIELD_COUNT:
    if (!holds(n, G_TYPE_INT64))
      return refuse(e, VP_ERROR_WRONG_TYPE, f->name, "\"%s\" is a whole number.", f->name);
    return check_int_field(f, json_node_get_int(n), e);
  case HUB_FIELD_YES_NO:
    return holds(n, G_TYPE_BOOLEAN) ||
           refuse(e, VP_ERROR_WRONG_TYPE, f->name, "\"%s\" is true or false.", f->name);
  default:
    if (!holds(n, G_TYPE_STRING))
      return refuse(e, VP_ERROR_WRONG_TYPE, f->name, "\"%s\" is a string.", f->name);
    return check_string_field(hub, household, f, json_node_get_string(n), e);
  }
}

static const HubField *
field_named(const GPtrArray *fields, const char *name)
{
  for (guint i = 0; i < fields->len; i++) {
    const HubField *f = fields->pdata[i];
    if (g_str_equal(f->name, name))
      return f;
  }
  return NULL;
}

gboolean
hub_body_check(Hub *hub, const char *household, const GPtrArray *fields, JsonNode *body,
               HubBodyError *e)
{
  if (!body || !JSON_NODE_HOLDS_OBJECT(body))
    return refuse(e, VP_ERROR_WRONG_TYPE, NULL, "The body is an object.");
  JsonObject *o = json_node_get_object(body);
  for (guint i = 0; i < fields->len; i++) {
    const HubField *f = fields->pdata[i];
    JsonNode *n = json_object_get_member(o, f->name);
    if (!n && f->required)
      return refuse(e, VP_ERROR_MISSING_FIELD, f->name, "\"%s\" is required.", f->name);
    if (n && !check_field(hub, household, f, n, e))
      return FALSE;
  }
  g_autoptr(GList) members = json_object_get_members(o);
  for (GList *l = members; l; l = l->next) {
    const char *name = l->data;
    if (field_named(fields, name))
      continue;
    if (!vp_is_document_kind(name)) /* not even a name a manifest could give: not echoed */
      return refuse(e, VP_ERROR_OUT_OF_RANGE, NULL,
                    "The body has a field this kind does not have.");
    return refuse(e, VP_ERROR_OUT_OF_RANGE, name, "\"%s\" is not one of this kind's fields.", name);
  }
  return TRUE;
}

void
hub_body_stamp_author(const GPtrArray *fields, JsonNode *body, const char *writer, JsonNode *before)
{
  if (!body || !JSON_NODE_HOLDS_OBJECT(body))
    return;
  JsonObject *o = json_node_get_object(body);
  JsonObject *old = before && JSON_NODE_HOLDS_OBJECT(before) ? json_node_get_object(before) : NULL;
  for (guint i = 0; i < fields->len; i++) {
    const HubField *f = fields->pdata[i];
    if (f->type != HUB_FIELD_AUTHOR)
      continue;
    const char *kept = old ? json_object_get_string_member_with_default(old, f->name, NULL) : NULL;
    if (kept)
      json_object_set_string_member(o, f->name, kept);
    else if (writer && g_str_has_prefix(writer, "p_"))
      json_object_set_string_member(o, f->name, writer);
    else
      json_object_remove_member(o, f->name); /* a kiosk is nobody's "added by" */
  }
}
