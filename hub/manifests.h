/* Plugin manifests (docs/plugin-manifest.md): each plugin's document kinds, the right that guards
 * each, and the fields of its body — one list that is both the hub's schema for `doc.put` and the
 * web app's form. Read once at start from a folder (`plugins_dir`): DIR/<name>.json (installed)
 * or DIR/<name>/manifest.json (the source tree). A manifest that does not fit the format is
 * refused with one log line naming its file and the reason; the others load. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  HUB_FIELD_TEXT,       /* one line of text */
  HUB_FIELD_LONG_TEXT,  /* text with line breaks */
  HUB_FIELD_DATE,       /* "YYYY-MM-DD" */
  HUB_FIELD_TIME,       /* "HH:MM" */
  HUB_FIELD_DATETIME,   /* whole seconds since 1970 (UTC) */
  HUB_FIELD_REPETITION, /* an RFC 5545 RRULE of the subset the form can say in words */
  HUB_FIELD_PHOTO,      /* the hash of a photo uploaded to this household */
  HUB_FIELD_PERSON,     /* the id of a person of this household */
  HUB_FIELD_PLACE,      /* a place in words */
  HUB_FIELD_MINUTES,    /* a whole number of minutes */
  HUB_FIELD_YES_NO,     /* true or false */
  HUB_FIELD_CHOICE,     /* one of `choices` */
  HUB_FIELD_TIME_ZONE,  /* an IANA time zone name: "Europe/Oslo" */
  HUB_FIELD_COUNT,      /* a whole number of things (places, people) */
  HUB_FIELD_AUTHOR,     /* the writer's person id, filled in by the hub (never by the form) */
  HUB_FIELD_VOICE,      /* the hash of a voice recording uploaded to this household */
  HUB_FIELD__COUNT
} HubFieldType;

typedef struct {
  char *name;
  HubFieldType type;
  gboolean required;
  gint64 min, max; /* text: characters; minutes, count: value; others unused */
  char **choices;  /* HUB_FIELD_CHOICE: the allowed values, NULL-terminated */
} HubField;

typedef struct {
  char *kind;
  char *plugin;
  char *right;        /* a hub right's wire name: "reminders" */
  guint right_bit;    /* its HUB_RIGHT_* bit */
  char *title_field;  /* the field that names a document in sentences ("Walk"), or NULL */
  GPtrArray *fields;  /* HubField*: the body */
  GPtrArray *answers; /* HubField*: answers' bodies; empty: any object */
  JsonObject *json;   /* the manifest's kind entry as written, for the web app */
} HubKind;

typedef struct _HubManifests HubManifests;

/* Loads every manifest in dir (NULL or missing: none). transfer full */
HubManifests *hub_manifests_load_dir(const char *dir);
/* One manifest's text; on FALSE `error` says why (tests). Adds its kinds when it fits. */
gboolean hub_manifests_add(HubManifests *m, const char *text, GError **error);
HubManifests *hub_manifests_new(void);
void hub_manifests_free(HubManifests *m);
/* The kind, or NULL when no manifest declares it. transfer none */
const HubKind *hub_manifests_kind(const HubManifests *m, const char *kind);
/* Every kind, sorted by name. transfer container */
GPtrArray *hub_manifests_kinds(const HubManifests *m);
const char *hub_field_type_name(HubFieldType type);

G_END_DECLS
