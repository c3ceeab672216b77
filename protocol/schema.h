/* The schema of every message type: an internal header shared by the validator and the tests
 * (which walk it to generate one malformed frame per rule). Not part of the public API. */
#pragma once

#include "protocol.h"

typedef enum {
  VP_F_STRING,
  VP_F_INT,
  VP_F_BOOL,
  VP_F_OBJECT,     /* an object with its own field list */
  VP_F_ARRAY,      /* elements described by `element` */
  VP_F_ANY_OBJECT, /* an opaque object (plugin document bodies), `max` bytes as JSON */
} VpFieldKind;

typedef enum {
  VP_FMT_FREE,  /* any text */
  VP_FMT_IDENT, /* 3-64 of [A-Za-z0-9_-] */
  VP_FMT_NAME,  /* 1-64 of [A-Za-z0-9_-]: document ids */
  VP_FMT_HASH,  /* 64 lowercase hex */
  VP_FMT_CLOCK, /* HH:MM */
  VP_FMT_ENUM,  /* one of `choices` */
  VP_FMT_KIND,  /* a document kind: [a-z][a-z0-9_]{0,31} */
} VpFormat;

typedef struct _VpFieldSpec VpFieldSpec;
struct _VpFieldSpec {
  const char *name;
  VpFieldKind kind;
  gboolean required;
  gboolean nullable;
  VpFormat format;
  gint64 min, max; /* string: characters; int: value; array: elements; any-object: bytes */
  const char *const *choices; /* VP_FMT_ENUM, NULL-terminated */
  const VpFieldSpec *fields;  /* VP_F_OBJECT: terminated by a spec with name NULL */
  const VpFieldSpec *element; /* VP_F_ARRAY: the spec of each element (name unused) */
};

/* Rules that span fields (e.g. a text message needs `text`). */
typedef gboolean (*VpCrossCheck)(JsonObject *obj, GError **error);

typedef struct {
  VpType type;
  const char *name;
  guint senders; /* bit (1 << VpSender) per sender allowed */
  const VpFieldSpec *fields;
  VpCrossCheck check;
} VpTypeSpec;

const VpTypeSpec *vp_schema_for(VpType type);

/* Wire names of VpErrorCode, NULL-terminated. */
extern const char *const vp_error_code_names[VP_ERROR__COUNT + 1];

/* Validate `obj` against `fields`; `path` names the object in error sentences. */
gboolean vp_validate_fields(JsonObject *obj, const VpFieldSpec *fields, const char *path,
                            GError **error);
