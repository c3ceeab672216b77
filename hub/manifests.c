#define G_LOG_DOMAIN "vindu-hub"
#include "manifests.h"

#include "directory.h"

#include <gio/gio.h>
#include <protocol.h>
#include <string.h>

struct _HubManifests {
  GHashTable *kinds; /* kind -> HubKind* */
};

static const char *const type_names[HUB_FIELD__COUNT] = {
    [HUB_FIELD_TEXT] = "text",           [HUB_FIELD_LONG_TEXT] = "long_text",
    [HUB_FIELD_DATE] = "date",           [HUB_FIELD_TIME] = "time",
    [HUB_FIELD_DATETIME] = "datetime",   [HUB_FIELD_REPETITION] = "repetition",
    [HUB_FIELD_PHOTO] = "photo",         [HUB_FIELD_PERSON] = "person",
    [HUB_FIELD_PLACE] = "place",         [HUB_FIELD_MINUTES] = "minutes",
    [HUB_FIELD_YES_NO] = "yes_no",       [HUB_FIELD_CHOICE] = "choice",
    [HUB_FIELD_TIME_ZONE] = "time_zone", [HUB_FIELD_COUNT] = "count",
    [HUB_FIELD_AUTHOR] = "author",       [HUB_FIELD_VOICE] = "voice",
};

/* Bounds a manifest may narrow but never widen: a body stays far below the 32 KiB limit. */
#define TEXT_MAX 200
#define LONG_TEXT_MAX 4000
#define MINUTES_MAX (7 * 24 * 60)
#define FIELDS_MAX 32
#define CHOICES_MAX 32
static const char *const languages[] = {"nb", "nn", "sv", "en", NULL};

const char *
hub_field_type_name(HubFieldType type)
{
  return (unsigned)type < HUB_FIELD__COUNT ? type_names[type] : "?";
}

static void
field_free(HubField *f)
{
  g_free(f->name);
  g_strfreev(f->choices);
  g_free(f);
}

static void
kind_free(HubKind *k)
{
  g_free(k->kind);
  g_free(k->plugin);
  g_free(k->right);
  g_free(k->title_field);
  if (k->fields)
    g_ptr_array_unref(k->fields);
  if (k->answers)
    g_ptr_array_unref(k->answers);
  if (k->json)
    json_object_unref(k->json);
  g_free(k);
}

HubManifests *
hub_manifests_new(void)
{
  HubManifests *m = g_new0(HubManifests, 1);
  m->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)kind_free);
  return m;
}

void
hub_manifests_free(HubManifests *m)
{
  if (!m)
    return;
  g_hash_table_unref(m->kinds);
  g_free(m);
}

static gboolean
bad(GError **error, const char *where, const char *what)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", where, what);
  return FALSE;
}

static const char *
string_member(JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member(o, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

/* Every label names itself in the four languages the web app speaks. */
static gboolean
label_valid(JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member(o, member);
  if (!n || !JSON_NODE_HOLDS_OBJECT(n))
    return FALSE;
  JsonObject *label = json_node_get_object(n);
  for (int i = 0; languages[i]; i++) {
    const char *s = string_member(label, languages[i]);
    if (!s || !*s || g_utf8_strlen(s, -1) > 200)
      return FALSE;
  }
  return TRUE;
}

static gboolean
int_member(JsonObject *o, const char *name, gint64 fallback, gint64 lo, gint64 hi, gint64 *out)
{
  JsonNode *n = json_object_get_member(o, name);
  if (!n) {
    *out = fallback;
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int(n);
  return *out >= lo && *out <= hi;
}

/* "choices": ["done", ...] or [{"value": "done", "label": {...}}, ...] */
static gboolean
parse_choices(JsonObject *o, HubField *f)
{
  JsonNode *n = json_object_get_member(o, "choices");
  if (!n || !JSON_NODE_HOLDS_ARRAY(n))
    return FALSE;
  JsonArray *a = json_node_get_array(n);
  guint len = json_array_get_length(a);
  if (len < 1 || len > CHOICES_MAX)
    return FALSE;
  f->choices = g_new0(char *, len + 1);
  for (guint i = 0; i < len; i++) {
    JsonNode *e = json_array_get_element(a, i);
    const char *value = NULL;
    if (JSON_NODE_HOLDS_OBJECT(e)) {
      value = string_member(json_node_get_object(e), "value");
      if (!label_valid(json_node_get_object(e), "label"))
        return FALSE;
    } else if (JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING) {
      value = json_node_get_string(e);
    }
    if (!vp_is_document_kind(value)) /* the same shape as a kind: a lowercase word */
      return FALSE;
    f->choices[i] = g_strdup(value);
  }
  return TRUE;
}

static gboolean
type_from_name(const char *name, HubFieldType *out)
{
  for (int i = 0; name && i < HUB_FIELD__COUNT; i++) {
    if (g_str_equal(name, type_names[i])) {
      *out = (HubFieldType)i;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
limits_for(JsonObject *o, HubField *f)
{
  switch (f->type) {
  case HUB_FIELD_TEXT:
  case HUB_FIELD_PLACE:
    return int_member(o, "min", 0, 0, TEXT_MAX, &f->min) &&
           int_member(o, "max", TEXT_MAX, MAX(f->min, 1), TEXT_MAX, &f->max);
  case HUB_FIELD_LONG_TEXT:
    return int_member(o, "min", 0, 0, LONG_TEXT_MAX, &f->min) &&
           int_member(o, "max", LONG_TEXT_MAX, MAX(f->min, 1), LONG_TEXT_MAX, &f->max);
  case HUB_FIELD_MINUTES:
  case HUB_FIELD_COUNT: /* the same bounds: a week of minutes is more places than any room has */
    return int_member(o, "min", 0, 0, MINUTES_MAX, &f->min) &&
           int_member(o, "max", MINUTES_MAX, f->min, MINUTES_MAX, &f->max);
  case HUB_FIELD_CHOICE:
    return parse_choices(o, f);
  default:
    return TRUE;
  }
}

static HubField *
parse_field(JsonNode *node, const char *where, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    bad(error, where, "a field is not an object");
    return NULL;
  }
  JsonObject *o = json_node_get_object(node);
  const char *name = string_member(o, "name");
  g_autoptr(GString) at = g_string_new(where);
  g_string_append_printf(at, ", field \"%s\"", name ? name : "?");
  HubField *f = g_new0(HubField, 1);
  f->name = g_strdup(name);
  JsonNode *req = json_object_get_member(o, "required");
  if (!vp_is_document_kind(name))
    bad(error, at->str, "its name is not a lowercase identifier");
  else if (!type_from_name(string_member(o, "type"), &f->type))
    bad(error, at->str, "its type is not one of the field types");
  else if (req && (!JSON_NODE_HOLDS_VALUE(req) || json_node_get_value_type(req) != G_TYPE_BOOLEAN))
    bad(error, at->str, "\"required\" is not true or false");
  else if (!label_valid(o, "label"))
    bad(error, at->str, "its label is not given in nb, nn, sv and en");
  else if (!limits_for(o, f))
    bad(error, at->str, "its min, max or choices are out of range");
  else {
    f->required = req && json_node_get_boolean(req);
    return f;
  }
  field_free(f);
  return NULL;
}

static GPtrArray *
parse_fields(JsonObject *kind, const char *member, gboolean needed, const char *where,
             GError **error)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func((GDestroyNotify)field_free);
  JsonNode *n = json_object_get_member(kind, member);
  if (!n && !needed)
    return fields;
  if (!n || !JSON_NODE_HOLDS_ARRAY(n) || json_array_get_length(json_node_get_array(n)) == 0 ||
      json_array_get_length(json_node_get_array(n)) > FIELDS_MAX) {
    bad(error, where, needed ? "\"fields\" must list 1 to 32 fields" : "\"answers\" is not a list");
    g_ptr_array_unref(fields);
    return NULL;
  }
  JsonArray *a = json_node_get_array(n);
  for (guint i = 0; i < json_array_get_length(a); i++) {
    HubField *f = parse_field(json_array_get_element(a, i), where, error);
    gboolean twice = FALSE;
    for (guint k = 0; f && k < fields->len; k++)
      twice = twice || g_str_equal(((HubField *)fields->pdata[k])->name, f->name);
    if (twice) {
      bad(error, where, "a field name is used twice");
      field_free(f);
      f = NULL;
    }
    if (!f) {
      g_ptr_array_unref(fields);
      return NULL;
    }
    g_ptr_array_add(fields, f);
  }
  return fields;
}

static HubKind *
parse_kind(JsonNode *node, const char *plugin, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT(node)) {
    bad(error, plugin, "a kind is not an object");
    return NULL;
  }
  JsonObject *o = json_node_get_object(node);
  const char *kind = string_member(o, "kind");
  const char *right = string_member(o, "right");
  g_autofree char *where = g_strdup_printf("kind \"%s\"", kind ? kind : "?");
  guint bit = 0;
  if (!vp_is_document_kind(kind) || g_str_equal(kind, "checkin")) {
    bad(error, where, "the kind is not a lowercase identifier, or is the built-in checkin");
    return NULL;
  }
  if (!right || strchr(right, ',') || !hub_rights_parse(right, &bit) || bit == 0) {
    bad(error, where, "\"right\" does not name one of the hub's rights");
    return NULL;
  }
  if (!label_valid(o, "label")) {
    bad(error, where, "its label is not given in nb, nn, sv and en");
    return NULL;
  }
  HubKind *k = g_new0(HubKind, 1);
  k->kind = g_strdup(kind);
  k->plugin = g_strdup(plugin);
  k->right = g_strdup(right);
  k->right_bit = bit;
  k->fields = parse_fields(o, "fields", TRUE, where, error);
  k->answers = k->fields ? parse_fields(o, "answers", FALSE, where, error) : NULL;
  const char *title = string_member(o, "title_field");
  for (guint i = 0; k->fields && title && i < k->fields->len; i++) {
    if (g_str_equal(((HubField *)k->fields->pdata[i])->name, title))
      k->title_field = g_strdup(title);
  }
  if (k->answers && title && !k->title_field)
    bad(error, where, "\"title_field\" names no field");
  if (!k->answers || (title && !k->title_field)) {
    kind_free(k);
    return NULL;
  }
  k->json = json_object_ref(o);
  return k;
}

gboolean
hub_manifests_add(HubManifests *m, const char *text, GError **error)
{
  g_autoptr(JsonNode) root = json_from_string(text, error);
  if (!root)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT(root))
    return bad(error, "manifest", "not a JSON object");
  JsonObject *o = json_node_get_object(root);
  const char *plugin = string_member(o, "plugin");
  const char *version = string_member(o, "version");
  JsonNode *kinds = json_object_get_member(o, "kinds");
  if (!plugin || !*plugin || g_utf8_strlen(plugin, -1) > 64 || !version || !*version)
    return bad(error, "manifest", "\"plugin\" and \"version\" are required");
  if (!kinds || !JSON_NODE_HOLDS_ARRAY(kinds) ||
      json_array_get_length(json_node_get_array(kinds)) == 0)
    return bad(error, plugin, "\"kinds\" must list at least one kind");
  JsonArray *a = json_node_get_array(kinds);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func((GDestroyNotify)kind_free);
  for (guint i = 0; i < json_array_get_length(a); i++) {
    HubKind *k = parse_kind(json_array_get_element(a, i), plugin, error);
    if (!k)
      return FALSE;
    if (g_hash_table_contains(m->kinds, k->kind)) {
      g_ptr_array_add(parsed, k);
      return bad(error, plugin, "a kind is already declared by another manifest");
    }
    g_ptr_array_add(parsed, k);
  }
  /* all or nothing: a manifest half loaded would give the web app half a plugin */
  for (guint i = 0; i < parsed->len; i++) {
    HubKind *k = parsed->pdata[i];
    g_hash_table_insert(m->kinds, k->kind, k);
  }
  g_ptr_array_set_free_func(parsed, NULL);
  return TRUE;
}

static void
load_file(HubManifests *m, const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, NULL, &error) || !hub_manifests_add(m, text, &error))
    g_warning("plugin manifest %s refused: %s", path, error->message);
}

HubManifests *
hub_manifests_load_dir(const char *dir)
{
  HubManifests *m = hub_manifests_new();
  g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
  if (!d) {
    g_message("no plugin manifests in %s", dir ? dir : "(none)");
    return m;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)))
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, (GCompareFunc)g_strcmp0); /* the same order on every start */
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
    g_autofree char *inside = g_build_filename(path, "manifest.json", NULL);
    if (g_str_has_suffix(path, ".json") && g_file_test(path, G_FILE_TEST_IS_REGULAR))
      load_file(m, path);
    else if (g_file_test(inside, G_FILE_TEST_IS_REGULAR))
      load_file(m, inside);
  }
  g_message("%u plugin document kinds from %s", g_hash_table_size(m->kinds), dir);
  return m;
}

const HubKind *
hub_manifests_kind(const HubManifests *m, const char *kind)
{
  return m && kind ? g_hash_table_lookup(m->kinds, kind) : NULL;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
  return g_strcmp0((*(HubKind *const *)a)->kind, (*(HubKind *const *)b)->kind);
}

GPtrArray *
hub_manifests_kinds(const HubManifests *m)
{
  GPtrArray *out = g_ptr_array_new();
  if (!m)
    return out;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, m->kinds);
  while (g_hash_table_iter_next(&it, NULL, &value))
    g_ptr_array_add(out, value);
  g_ptr_array_sort(out, by_name);
  return out;
}
