/* Vindu wire protocol, version 1 (docs/protocol.md): build, parse and validate messages.
 *
 * A VpMessage is a validated JSON object with a known type. Parsing checks everything the
 * schema says (types, required fields, lengths, ranges, formats, frame size, UTF-8) and reports
 * the first problem as a GError in VP_ERROR with a protocol error code, so a caller can answer
 * the peer with that code without knowing the details. Nothing here allocates per-field state:
 * getters read straight from the underlying JsonObject. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VP_PROTOCOL_VERSION 1
#define VP_MAX_FRAME_BYTES 65536

/* Every error a client can receive; names are the wire `code` strings. */
typedef enum {
  VP_ERROR_BAD_JSON,
  VP_ERROR_BAD_UTF8,
  VP_ERROR_TOO_LARGE,
  VP_ERROR_UNKNOWN_TYPE,
  VP_ERROR_MISSING_FIELD,
  VP_ERROR_WRONG_TYPE,
  VP_ERROR_OUT_OF_RANGE,
  VP_ERROR_BAD_FORMAT,
  VP_ERROR_VERSION_UNSUPPORTED,
  VP_ERROR_NOT_AUTHENTICATED,
  VP_ERROR_BAD_CREDENTIALS,
  VP_ERROR_FORBIDDEN,
  VP_ERROR_NOT_FOUND,
  VP_ERROR_CONFLICT,
  VP_ERROR_BUSY,
  VP_ERROR_QUIET_HOURS,
  VP_ERROR_OFFLINE,
  VP_ERROR_RATE_LIMITED,
  VP_ERROR_REVOKED,
  VP_ERROR_INTERNAL,
  VP_ERROR_UNKNOWN_KIND,
  VP_ERROR_QUOTA_MESSAGES,
  VP_ERROR_QUOTA_STORAGE,
  VP_ERROR_QUOTA_DOCUMENTS,
  VP_ERROR_STORAGE_FULL,
  VP_ERROR__COUNT
} VpErrorCode;

#define VP_ERROR (vp_error_quark())
GQuark vp_error_quark(void);
/* The wire name of a code, e.g. "missing_field". */
const char *vp_error_code_name(VpErrorCode code);
gboolean vp_error_code_from_name(const char *name, VpErrorCode *out);

/* Message types; vp_type_name() gives the wire `type`. */
typedef enum {
  VP_HELLO,
  VP_WELCOME,
  VP_PAIRED,
  VP_OK,
  VP_ERROR_MSG,
  VP_HOUSEHOLD_GET,
  VP_HOUSEHOLD_STATE,
  VP_PRESENCE,
  VP_CALL_INVITE, /* both directions: caller -> hub (with id, to), hub -> callee (with call, from)
                   */
  VP_CALL_PLACED,
  VP_CALL_TURN,
  VP_CALL_RINGING,
  VP_CALL_ACCEPT,
  VP_CALL_DECLINE,
  VP_CALL_CANCEL,
  VP_CALL_BUSY,
  VP_CALL_MISSED,
  VP_CALL_SDP,
  VP_CALL_ICE,
  VP_CALL_HANGUP,
  VP_MSG_POST,
  VP_MSG_ACCEPTED,
  VP_MSG_DELIVER,
  VP_MSG_ACK,
  VP_MSG_SEEN,
  VP_MSG_STATUS,
  VP_DOC_PUT,
  VP_DOC_ACCEPTED,
  VP_DOC_DELIVER,
  VP_DOC_ACK,
  VP_DOC_LIST,
  VP_DOC_ITEMS,
  VP_HOUSEHOLD_INVITE,
  VP_HOUSEHOLD_INVITED,
  VP_HOUSEHOLD_SET_RIGHTS,
  VP_HOUSEHOLD_REVOKE,
  VP_HOUSEHOLD_SET_QUIET_HOURS,
  VP_HOUSEHOLD_CONSENT,
  VP_HOUSEHOLD_PAIR,
  VP_STAFF_OVERVIEW,
  VP_STAFF_KIOSKS,
  VP_KIOSK_PLUGINS,
  VP_PLUGIN_ANSWER,
  VP_PLUGIN_ANSWER_ACCEPTED,
  VP_DOC_ANSWER,
  VP_PUSH_GET_KEY,
  VP_PUSH_KEY,
  VP_PUSH_SUBSCRIBE,
  VP_PUSH_UNSUBSCRIBE,
  VP_REMINDER_ESCALATED,
  VP_CALL_RESUME,              /* a side back after its hub socket dropped or the hub restarted */
  VP_HOUSEHOLD_SET_SHORT_NAME, /* the short name on a person's kiosk tile */
  VP_DOC_PUT_MANY,             /* one document into several households, all or nothing */
  VP_DOC_ACCEPTED_MANY,
  VP_HOUSEHOLD_SET_SHARE_LOOKS, /* whether the family sees which memory-book photos she looked at */
  VP_MEMORY_LOOK,               /* the kiosk: the resident looked at this memory-book photo */
  VP_DEVICE_LINK,               /* a person's devices (hub/devices.c) */
  VP_DEVICE_LINKED,
  VP_DEVICE_LIST,
  VP_DEVICE_ITEMS,
  VP_DEVICE_REVOKE,
  VP_HOUSEHOLD_SET_PHOTO, /* the photo on a person's kiosk tile (hub/faces.c) */
  VP_TYPE__COUNT
} VpType;

const char *vp_type_name(VpType type);
gboolean vp_type_from_name(const char *name, VpType *out);

/* Who sent a frame: the hub uses this to refuse what a role may never send. */
typedef enum {
  VP_SENDER_HUB,
  VP_SENDER_KIOSK,
  VP_SENDER_UNPAIRED,
  VP_SENDER_PERSON,
  VP_SENDER_UNAUTHENTICATED,
} VpSender;

/* TRUE if the table in docs/protocol.md lets this sender send this type at all (rights
 * within a household are the hub's business, not the protocol's). */
gboolean vp_sender_may_send(VpSender sender, VpType type);

typedef struct _VpMessage VpMessage;

/* Parse and validate one frame. (transfer full) on success; NULL with a VP_ERROR otherwise.
 * `len` is the frame's length in bytes (the data need not be NUL-terminated). */
VpMessage *vp_message_parse(const char *data, gsize len, GError **error);

/* Start building a message of `type`; fill it with the setters, then vp_message_to_json(). */
VpMessage *vp_message_new(VpType type);
VpMessage *vp_message_ref(VpMessage *msg);
void vp_message_unref(VpMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VpMessage, vp_message_unref)

VpType vp_message_type(const VpMessage *msg);
/* The underlying object, (transfer none): for nested objects and arrays. */
JsonObject *vp_message_object(const VpMessage *msg);

/* Getters return NULL / `fallback` when the field is absent. Strings are (transfer none). */
const char *vp_message_get_string(const VpMessage *msg, const char *field);
gint64 vp_message_get_int(const VpMessage *msg, const char *field, gint64 fallback);
gboolean vp_message_get_bool(const VpMessage *msg, const char *field, gboolean fallback);
JsonObject *vp_message_get_object(const VpMessage *msg, const char *field); /* transfer none */
JsonArray *vp_message_get_array(const VpMessage *msg, const char *field);   /* transfer none */
gboolean vp_message_has(const VpMessage *msg, const char *field);
/* Convenience: the request `id` and the answer's `re` (NULL when absent). */
const char *vp_message_id(const VpMessage *msg);
const char *vp_message_re(const VpMessage *msg);

/* Setters; each returns `msg` so calls can be chained. `value` is copied. */
VpMessage *vp_message_set_string(VpMessage *msg, const char *field, const char *value);
VpMessage *vp_message_set_int(VpMessage *msg, const char *field, gint64 value);
VpMessage *vp_message_set_bool(VpMessage *msg, const char *field, gboolean value);
VpMessage *vp_message_set_null(VpMessage *msg, const char *field);
/* (transfer full) of `value`. */
VpMessage *vp_message_take_object(VpMessage *msg, const char *field, JsonObject *value);
VpMessage *vp_message_take_array(VpMessage *msg, const char *field, JsonArray *value);

/* Check a built message against the schema (the same checks as parsing). */
gboolean vp_message_validate(const VpMessage *msg, GError **error);

/* Serialize after validating. (transfer full) NUL-terminated JSON, length in `len_out` if set;
 * NULL with a VP_ERROR when the message does not satisfy its schema (a bug in the caller). */
char *vp_message_to_json(const VpMessage *msg, gsize *len_out, GError **error);

/* `node` as JSON text that strict parsers (JSON.parse) accept: json_to_string() with every
 * control character escaped. Use it for any JSON that leaves the process. */
char *vp_json_text(JsonNode *node, gboolean pretty, gsize *len_out);

/* Shortcuts for the messages every peer sends. (transfer full) */
VpMessage *vp_message_new_error(const char *re, VpErrorCode code, const char *sentence);
VpMessage *vp_message_new_ok(const char *re);
/* An error message from a VP_ERROR GError; other domains become `internal`. */
VpMessage *vp_message_new_error_from_gerror(const char *re, const GError *error);

/* Formats shared with the hub's own checks. */
gboolean vp_is_identifier(const char *s);    /* 3-64 of [A-Za-z0-9_-] */
gboolean vp_is_document_name(const char *s); /* 1-64 of [A-Za-z0-9_-] */
gboolean vp_is_file_hash(const char *s);     /* 64 lowercase hex digits */
gboolean vp_is_clock_time(const char *s);    /* HH:MM, 00:00-23:59 */
gboolean vp_is_document_kind(const char *s); /* [a-z][a-z0-9_]{0,31}: "reminder", "memory" */

G_END_DECLS
