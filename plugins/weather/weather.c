/* The day's weather in words: a helper writes a "weather" document for a day,
 *   {"date": "2026-12-04", "words": "Sunny and cold, minus five. A warm coat today."}
 * and the kiosk shows the words on that day's "today" strip and reads them aloud once in the
 * morning (at 08:00, or as soon as the note arrives if that is later in the morning). Written
 * from docs/plugins.md alone, against <vindu/plugin.h>: the example for others. */
#include <vindu/plugin.h>

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MORNING_HOUR 8 /* said from here ... */
#define NOON_HOUR 12   /* ... until here, once; a note that comes later is only shown */
#define SHOWN_HOUR 7   /* where it sits on the strip: before the day's plans */
#define SPEECH_TIMER 1

typedef struct {
  char *date; /* "YYYY-MM-DD" */
  char *words;
} Note;

typedef struct {
  const VinduHost *host;
  GHashTable *notes; /* doc id -> Note* */
} Weather;

static void
note_free(Note *note)
{
  g_free(note->date);
  g_free(note->words);
  g_free(note);
}

/* That day's hour in local time, or -1 if the date is not a real one. */
static long long
local_hour(const char *date, int hour)
{
  int y, m, d;
  char end;
  if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31)
    return -1;
  struct tm t = {
      .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hour, .tm_isdst = -1};
  time_t at = mktime(&t);
  return t.tm_mday == d ? (long long)at : -1; /* 31 February came back as March */
}

static char *
said_key(const Note *note)
{
  return g_strdup_printf("said:%s", note->date);
}

static gboolean
already_said(Weather *self, const Note *note)
{
  g_autofree char *key = said_key(note);
  char *value = self->host->storage_get(self->host, key);
  free(value);
  return value != NULL;
}

/* The next morning to speak at: the earliest note not yet said whose morning has not passed. */
static void
arm(Weather *self)
{
  long long now = self->host->now(self->host), next = -1;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->notes);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    Note *note = value;
    long long morning = local_hour(note->date, MORNING_HOUR);
    long long noon = local_hour(note->date, NOON_HOUR);
    if (noon <= now || already_said(self, note))
      continue;
    long long at = morning > now ? morning : now;
    if (next < 0 || at < next)
      next = at;
  }
  self->host->timer_at(self->host, SPEECH_TIMER, next); /* -1: nothing to say */
}

static int
weather_open(const VinduHost *host, void **out)
{
  Weather *self = g_new0(Weather, 1);
  self->host = host;
  self->notes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)note_free);
  *out = self;
  return 0;
}

static void
weather_close(void *data)
{
  Weather *self = data;
  g_hash_table_unref(self->notes);
  g_free(self);
}

static const char *
string_member(JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member(o, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

static int
weather_put(void *data, const char *kind, const char *doc, long long rev, const char *body_json)
{
  Weather *self = data;
  if (!body_json) {
    g_hash_table_remove(self->notes, doc);
  } else {
    g_autoptr(JsonParser) parser = json_parser_new();
    if (!json_parser_load_from_data(parser, body_json, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
      return 1;
    JsonObject *body = json_node_get_object(json_parser_get_root(parser));
    const char *date = string_member(body, "date"), *words = string_member(body, "words");
    if (local_hour(date, 0) < 0 || !words || !*words)
      return 1;
    Note *note = g_new0(Note, 1);
    note->date = g_strdup(date);
    note->words = g_strdup(words);
    g_hash_table_replace(self->notes, g_strdup(doc), note);
  }
  arm(self);
  self->host->today_changed(self->host);
  return 0;
}

static void
weather_today(void *data, long long from, long long to, VinduTodayEmit emit, void *ctx)
{
  Weather *self = data;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, self->notes);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    const Note *note = value;
    long long at = local_hour(note->date, SHOWN_HOUR);
    if (at >= from && at < to) {
      VinduTodayItem item = {.id = key, .starts_at = at, .title = note->words, .kind = "weather"};
      emit(ctx, &item);
    }
  }
}

/* The morning came: each note of this morning not said yet is said, and remembered as said in
 * storage, so a restart of the runner or the kiosk does not say it twice. */
static void
weather_timer(void *data, unsigned timer_id)
{
  Weather *self = data;
  long long now = self->host->now(self->host);
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->notes);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Note *note = value;
    if (now < local_hour(note->date, MORNING_HOUR) || now >= local_hour(note->date, NOON_HOUR) ||
        already_said(self, note))
      continue;
    self->host->say(self->host, note->words);
    g_autofree char *key = said_key(note);
    self->host->storage_set(self->host, key, "1");
  }
  arm(self);
}

static const char *const kinds[] = {"weather", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "weather",
    .version = "1.0.0",
    .description = "The day's weather in words, on the strip and said once in the morning",
    .kinds = kinds,
    .open = weather_open,
    .close = weather_close,
    .put_document = weather_put,
    .today = weather_today,
    .timer = weather_timer,
};

VINDU_PLUGIN_EXPORT const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
