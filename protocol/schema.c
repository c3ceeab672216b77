/* The schema of protocol version 1: one table row per message type, as docs/protocol.md says.
 * The validator (validate.c) and the tests both read this table, so a rule is written once. */
#include "schema.h"

/* The rows are laid out by hand, one field rule per macro. */
/* clang-format off */
#define END {.name = NULL}
#define STR(n, req, lo, hi) {.name = n, .kind = VP_F_STRING, .required = req, .min = lo, .max = hi}
#define IDENT(n, req) {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_IDENT}
#define DOCNAME(n, req) {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_NAME}
#define KIND(n, req) {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_KIND}
#define HASH(n, req) {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_HASH}
#define CLOCK(n, req) {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_CLOCK}
#define ENUM(n, req, list)                                                                         \
  {.name = n, .kind = VP_F_STRING, .required = req, .format = VP_FMT_ENUM, .choices = list}
#define INT(n, req, lo, hi) {.name = n, .kind = VP_F_INT, .required = req, .min = lo, .max = hi}
#define BOOL(n, req) {.name = n, .kind = VP_F_BOOL, .required = req}
#define OBJ(n, req, sub) {.name = n, .kind = VP_F_OBJECT, .required = req, .fields = sub}
#define NULLABLE_OBJ(n, req, sub)                                                                  \
  {.name = n, .kind = VP_F_OBJECT, .required = req, .nullable = TRUE, .fields = sub}
#define ARRAY(n, req, lo, hi, elem)                                                                \
  {.name = n, .kind = VP_F_ARRAY, .required = req, .min = lo, .max = hi, .element = elem}
#define ANY_OBJ(n, req, bytes) {.name = n, .kind = VP_F_ANY_OBJECT, .required = req, .max = bytes}

#define TIME_MAX G_GINT64_CONSTANT(253402300799) /* 9999-12-31 */
#define SEQ_MAX G_MAXINT64
#define REQUEST_ID STR("id", FALSE, 1, 64)
#define ANSWER_RE STR("re", TRUE, 1, 64)
#define OPTIONAL_RE STR("re", FALSE, 1, 64)
#define CALL IDENT("call", TRUE)
#define HOUSEHOLD IDENT("household", TRUE)

/* Senders, as bits. */
#define HUB (1u << VP_SENDER_HUB)
#define KIOSK (1u << VP_SENDER_KIOSK)
#define UNPAIRED (1u << VP_SENDER_UNPAIRED)
#define PERSON (1u << VP_SENDER_PERSON)
#define ANON (1u << VP_SENDER_UNAUTHENTICATED)

static const char *const auth_kinds[] = {"device", "session", "invite", "link", "pair", NULL};
static const char *const roles[] = {"kiosk", "unpaired", "person", NULL};
static const char *const self_kinds[] = {"kiosk", "person", NULL};
static const char *const person_roles[] = {"family", "volunteer", "staff", "coordinator", NULL};
static const char *const rights[] = {"call",        "auto_answer", "message",
                                     "reminders",   "memory_book", "activities",
                                     "status",      "quiet_hours_exempt", "admin", NULL};
static const char *const presence_states[] = {"online", "offline", "in_call", NULL};
static const char *const languages[] = {"nb", "nn", "sv", "en", "se", NULL};
static const char *const decline_reasons[] = {"not_now", "quiet_hours", "no_microphone", "no_webrtc",
                                              NULL};
static const char *const hangup_reasons[] = {"hangup", "peer_lost", "failed", NULL};
static const char *const sdp_types[] = {"offer", "answer", NULL};
static const char *const message_kinds[] = {"text", "photo", "voice", NULL};
static const char *const message_states[] = {"accepted", "delivered", "seen", NULL};
static const char *const plugin_states[] = {"running", "restarting", "refused", NULL};
static const VpFieldSpec right_element = ENUM(NULL, TRUE, rights);
static const VpFieldSpec url_element = STR(NULL, TRUE, 1, 512);

/* hello */
static const VpFieldSpec auth_fields[] = {
  ENUM("kind", TRUE, auth_kinds), IDENT("kiosk", FALSE), STR("secret", FALSE, 16, 256),
  STR("token", FALSE, 16, 256),   STR("code", FALSE, 4, 32), STR("device", FALSE, 1, 64), END};
static const VpFieldSpec hello_fields[] = {
  STR("id", TRUE, 1, 64), INT("version", TRUE, 1, 65535), STR("client", TRUE, 1, 64),
  OBJ("auth", TRUE, auth_fields), END};

static gboolean
require(JsonObject *obj, const char *field, const char *path, GError **error)
{
  if (json_object_has_member(obj, field))
    return TRUE;
  g_set_error(error, VP_ERROR, VP_ERROR_MISSING_FIELD, "The field \"%s%s\" is required here.",
              path, field);
  return FALSE;
}

static gboolean
check_hello(JsonObject *obj, GError **error)
{
  JsonObject *auth = json_object_get_object_member(obj, "auth");
  const char *kind = json_object_get_string_member(auth, "kind");
  if (g_str_equal(kind, "device"))
    return require(auth, "kiosk", "auth.", error) && require(auth, "secret", "auth.", error);
  if (g_str_equal(kind, "session") || g_str_equal(kind, "invite") || g_str_equal(kind, "link"))
    return require(auth, "token", "auth.", error);
  return TRUE; /* pair: code optional */
}

/* welcome, paired, ok, error */
static const VpFieldSpec self_fields[] = {IDENT("id", TRUE), STR("name", TRUE, 1, 100),
                                          ENUM("kind", TRUE, self_kinds), END};
static const VpFieldSpec membership_fields[] = {
  IDENT("id", TRUE), STR("resident", TRUE, 1, 100), ARRAY("rights", FALSE, 0, 16, &right_element),
  END};
static const VpFieldSpec membership_element = OBJ(NULL, TRUE, membership_fields);
static const VpFieldSpec welcome_fields[] = {
  ANSWER_RE,
  INT("version", TRUE, 1, 65535),
  ENUM("role", TRUE, roles),
  OBJ("self", FALSE, self_fields),
  ARRAY("households", FALSE, 0, 256, &membership_element),
  STR("session_token", FALSE, 16, 256),
  STR("pairing_code", FALSE, 4, 32),
  END};
static const VpFieldSpec paired_fields[] = {IDENT("kiosk", TRUE), STR("secret", TRUE, 16, 256),
                                            HOUSEHOLD, END};
static const VpFieldSpec ok_fields[] = {ANSWER_RE, END};
static const VpFieldSpec error_fields[] = {OPTIONAL_RE, ENUM("code", TRUE, vp_error_code_names),
                                           STR("message", TRUE, 1, 500),
                                           INT("retry_after_s", FALSE, 1, 86400), STR("field", FALSE, 1, 200),
                                           END};

/* households and presence */
static const VpFieldSpec household_get_fields[] = {REQUEST_ID, HOUSEHOLD, END};
static const VpFieldSpec quiet_hours_fields[] = {CLOCK("start", TRUE), CLOCK("end", TRUE), END};
static const VpFieldSpec consent_fields[] = {STR("agreed_by", TRUE, 1, 100),
                                             IDENT("recorded_by", FALSE),
                                             INT("at", TRUE, 0, TIME_MAX), END};
static const VpFieldSpec person_fields[] = {
  IDENT("id", TRUE),
  STR("name", TRUE, 1, 100),
  STR("relationship", FALSE, 0, 40),
  STR("short_name", FALSE, 1, 20),
  ENUM("role", TRUE, person_roles),
  HASH("photo", FALSE),
  ARRAY("rights", FALSE, 0, 16, &right_element),
  ENUM("presence", FALSE, presence_states),
  NULLABLE_OBJ("auto_answer_consent", FALSE, consent_fields),
  END};
static const VpFieldSpec person_element = OBJ(NULL, TRUE, person_fields);
static const VpFieldSpec kiosk_fields[] = {IDENT("id", TRUE), ENUM("presence", FALSE, presence_states),
                                           INT("last_seen_at", FALSE, 0, TIME_MAX), END};
static const VpFieldSpec kiosk_element = OBJ(NULL, TRUE, kiosk_fields);
/* what the household's kiosks run (a manifest's kind entry, docs/plugin-manifest.md) and set aside */
static const VpFieldSpec plugin_kind_element = ANY_OBJ(NULL, TRUE, 16384);
static const VpFieldSpec set_aside_fields[] = {
  STR("plugin", TRUE, 1, 64), KIND("kind", TRUE), DOCNAME("doc", TRUE), INT("rev", TRUE, 0, SEQ_MAX),
  INT("faults", TRUE, 1, 1000000), IDENT("kiosk", FALSE), STR("title", FALSE, 0, 200), END};
static const VpFieldSpec set_aside_element = OBJ(NULL, TRUE, set_aside_fields);
static const VpFieldSpec household_fields[] = {
  IDENT("id", TRUE),
  STR("resident", TRUE, 1, 100),
  ENUM("language", FALSE, languages),
  STR("address", FALSE, 1, 120),
  NULLABLE_OBJ("quiet_hours", FALSE, quiet_hours_fields),
  BOOL("share_looks", FALSE),
  ARRAY("people", TRUE, 0, 100, &person_element),
  ARRAY("kiosks", FALSE, 0, 16, &kiosk_element),
  ARRAY("plugin_kinds", FALSE, 0, 64, &plugin_kind_element),
  ARRAY("quarantined", FALSE, 0, 256, &set_aside_element),
  END};
static const VpFieldSpec household_state_fields[] = {OPTIONAL_RE, OBJ("household", TRUE, household_fields),
                                                     END};
static const VpFieldSpec presence_fields[] = {HOUSEHOLD, IDENT("subject", TRUE),
                                              ENUM("state", TRUE, presence_states),
                                              INT("last_seen_at", FALSE, 0, TIME_MAX), END};

/* calls */
static const VpFieldSpec caller_fields[] = {IDENT("id", TRUE), STR("name", TRUE, 1, 100),
                                            STR("relationship", FALSE, 0, 40), HASH("photo", FALSE),
                                            END};
static const VpFieldSpec call_invite_fields[] = {
  REQUEST_ID,          HOUSEHOLD, IDENT("to", FALSE), IDENT("call", FALSE),
  OBJ("from", FALSE, caller_fields), INT("auto_answer_after_s", FALSE, 1, 60),
  HASH("about_photo", FALSE), END};

/* The caller's form names `to`; the hub's form, sent to the callee, names `call` and `from`. */
static gboolean
check_call_invite(JsonObject *obj, GError **error)
{
  gboolean to = json_object_has_member(obj, "to");
  gboolean call = json_object_has_member(obj, "call");
  if (to && !call)
    return TRUE;
  if (call && !to)
    return require(obj, "from", "", error);
  g_set_error(error, VP_ERROR, to ? VP_ERROR_OUT_OF_RANGE : VP_ERROR_MISSING_FIELD,
              to ? "A call invitation names either \"to\" or \"call\", not both."
                 : "The field \"to\" is required here.");
  return FALSE;
}

static const VpFieldSpec call_placed_fields[] = {ANSWER_RE, CALL, END};
static const VpFieldSpec ice_server_fields[] = {ARRAY("urls", TRUE, 1, 8, &url_element),
                                                STR("username", FALSE, 0, 256),
                                                STR("credential", FALSE, 0, 256), END};
static const VpFieldSpec ice_server_element = OBJ(NULL, TRUE, ice_server_fields);
static const char *const ice_transport_policies[] = {"all", "relay", NULL};
static const VpFieldSpec call_turn_fields[] = {CALL, INT("ttl_s", TRUE, 1, 86400),
                                               ARRAY("ice_servers", TRUE, 0, 8, &ice_server_element),
                                               ENUM("ice_transport_policy", FALSE,
                                                    ice_transport_policies),
                                               END};
static const VpFieldSpec call_only_fields[] = {REQUEST_ID, CALL, END};
/* to a callee's other devices when one of them answered: they stop ringing, and say why */
static const VpFieldSpec call_cancel_fields[] = {REQUEST_ID, CALL, BOOL("answered_elsewhere", FALSE),
                                                 END};
static const VpFieldSpec call_missed_fields[] = {REQUEST_ID, CALL, BOOL("told", FALSE), END};
static const VpFieldSpec call_decline_fields[] = {REQUEST_ID, CALL,
                                                  ENUM("reason", FALSE, decline_reasons), END};
static const VpFieldSpec call_hangup_fields[] = {REQUEST_ID, CALL, ENUM("reason", FALSE, hangup_reasons),
                                                 END};
static const VpFieldSpec call_sdp_fields[] = {REQUEST_ID, CALL, ENUM("sdp_type", TRUE, sdp_types),
                                              STR("sdp", TRUE, 1, 60000), END};
static const VpFieldSpec call_ice_fields[] = {REQUEST_ID, CALL, STR("candidate", TRUE, 0, 1024),
                                              INT("sdp_mline_index", TRUE, 0, 63),
                                              STR("sdp_mid", FALSE, 0, 64), END};

/* messages */
/* What a message says, the same whether it is posted or delivered. */
#define MESSAGE_CONTENT                                                                            \
  IDENT("to", FALSE), ENUM("kind", TRUE, message_kinds), STR("text", FALSE, 1, 4000),              \
    HASH("file", FALSE), STR("caption", FALSE, 0, 500), INT("duration_ms", FALSE, 1, 300000)

static const VpFieldSpec msg_post_fields[] = {
  REQUEST_ID,
  HOUSEHOLD,
  STR("client_msg_id", TRUE, 1, 64),
  MESSAGE_CONTENT,
  END};

/* What each kind of message must carry; shared by msg.post and msg.deliver. */
static gboolean
check_message_content(JsonObject *obj, const char *path, GError **error)
{
  const char *kind = json_object_get_string_member(obj, "kind");
  if (g_str_equal(kind, "text"))
    return require(obj, "text", path, error);
  if (!require(obj, "file", path, error))
    return FALSE;
  return !g_str_equal(kind, "voice") || require(obj, "duration_ms", path, error);
}

static gboolean
check_msg_post(JsonObject *obj, GError **error)
{
  return check_message_content(obj, "", error);
}

static const VpFieldSpec msg_accepted_fields[] = {ANSWER_RE, IDENT("msg", TRUE),
                                                  STR("client_msg_id", TRUE, 1, 64), END};
static const VpFieldSpec sender_fields[] = {IDENT("id", TRUE), STR("name", TRUE, 1, 100), END};
static const VpFieldSpec delivered_message_fields[] = {
  IDENT("id", TRUE),
  HOUSEHOLD,
  OBJ("from", TRUE, sender_fields),
  MESSAGE_CONTENT,
  INT("sent_at", TRUE, 0, TIME_MAX),
  END};
static const VpFieldSpec msg_deliver_fields[] = {INT("seq", TRUE, 1, SEQ_MAX),
                                                 OBJ("msg", TRUE, delivered_message_fields), END};

static gboolean
check_msg_deliver(JsonObject *obj, GError **error)
{
  return check_message_content(json_object_get_object_member(obj, "msg"), "msg.", error);
}

static const VpFieldSpec ack_fields[] = {REQUEST_ID, INT("up_to", TRUE, 0, SEQ_MAX), END};
static const VpFieldSpec msg_seen_fields[] = {REQUEST_ID, IDENT("msg", TRUE), END};
static const VpFieldSpec msg_status_fields[] = {IDENT("msg", TRUE), ENUM("state", TRUE, message_states),
                                                INT("at", FALSE, 0, TIME_MAX), END};

/* plugin documents */
#define DOC_BODY_MAX 32768
static const VpFieldSpec doc_put_fields[] = {
  REQUEST_ID,          HOUSEHOLD, KIND("kind", TRUE), DOCNAME("doc", TRUE),
  INT("base_rev", TRUE, 0, SEQ_MAX), ANY_OBJ("body", TRUE, DOC_BODY_MAX), BOOL("deleted", FALSE),
  END};
static const VpFieldSpec doc_accepted_fields[] = {ANSWER_RE, KIND("kind", TRUE),
                                                  DOCNAME("doc", TRUE), INT("rev", TRUE, 1, SEQ_MAX),
                                                  END};
#define TARGETS_MAX 50 /* households in one doc.put_many: a coordinator's round, not a mailing */
static const VpFieldSpec put_target_fields[] = {HOUSEHOLD, INT("base_rev", TRUE, 0, SEQ_MAX), END};
static const VpFieldSpec put_target_element = OBJ(NULL, TRUE, put_target_fields);
static const VpFieldSpec doc_put_many_fields[] = {
  REQUEST_ID, KIND("kind", TRUE), DOCNAME("doc", TRUE),
  ARRAY("targets", TRUE, 1, TARGETS_MAX, &put_target_element),
  ANY_OBJ("body", TRUE, DOC_BODY_MAX), BOOL("deleted", FALSE), END};
static const VpFieldSpec target_rev_fields[] = {HOUSEHOLD, INT("rev", TRUE, 1, SEQ_MAX), END};
static const VpFieldSpec target_rev_element = OBJ(NULL, TRUE, target_rev_fields);
static const VpFieldSpec doc_accepted_many_fields[] = {
  ANSWER_RE, KIND("kind", TRUE), DOCNAME("doc", TRUE),
  ARRAY("revs", TRUE, 1, TARGETS_MAX, &target_rev_element), END};
static const VpFieldSpec doc_deliver_fields[] = {
  INT("seq", TRUE, 1, SEQ_MAX),        HOUSEHOLD, KIND("kind", TRUE),
  DOCNAME("doc", TRUE),                INT("rev", TRUE, 1, SEQ_MAX),
  ANY_OBJ("body", TRUE, DOC_BODY_MAX), BOOL("deleted", TRUE), END};
static const VpFieldSpec doc_list_fields[] = {REQUEST_ID, HOUSEHOLD,
                                              KIND("kind", FALSE), DOCNAME("after", FALSE), END};
#define ANSWER_BODY_MAX 4096
static const VpFieldSpec item_answer_fields[] = {IDENT("answer", TRUE), INT("rev", FALSE, 0, SEQ_MAX),
                                                 ANY_OBJ("body", TRUE, ANSWER_BODY_MAX),
                                                 INT("at", TRUE, 0, TIME_MAX), END};
static const VpFieldSpec item_answer_element = OBJ(NULL, TRUE, item_answer_fields);
static const VpFieldSpec doc_item_fields[] = {DOCNAME("doc", TRUE), KIND("kind", FALSE),
                                              INT("rev", TRUE, 1, SEQ_MAX),
                                              ANY_OBJ("body", TRUE, DOC_BODY_MAX),
                                              BOOL("deleted", FALSE),
                                              ARRAY("answers", FALSE, 0, 20, &item_answer_element),
                                              END};
static const VpFieldSpec doc_item_element = OBJ(NULL, TRUE, doc_item_fields);
static const VpFieldSpec doc_items_fields[] = {ANSWER_RE, KIND("kind", FALSE),
                                               ARRAY("items", TRUE, 0, 10000, &doc_item_element),
                                               BOOL("more", FALSE), DOCNAME("next", FALSE), END};

/* plugins: what a kiosk runs, and what its plugins answer */
static const VpFieldSpec kind_element = KIND(NULL, TRUE);
static const VpFieldSpec plugin_status_fields[] = {
  STR("name", TRUE, 1, 64), STR("version", TRUE, 1, 32), ARRAY("kinds", TRUE, 0, 16, &kind_element),
  ENUM("state", TRUE, plugin_states), END};
static const VpFieldSpec plugin_status_element = OBJ(NULL, TRUE, plugin_status_fields);
static const VpFieldSpec quarantined_fields[] = {
  STR("plugin", TRUE, 1, 64), KIND("kind", TRUE), DOCNAME("doc", TRUE),
  INT("rev", TRUE, 0, SEQ_MAX), INT("faults", TRUE, 1, 1000000), END};
static const VpFieldSpec quarantined_element = OBJ(NULL, TRUE, quarantined_fields);
static const VpFieldSpec kiosk_plugins_fields[] = {
  REQUEST_ID, ARRAY("plugins", TRUE, 0, 64, &plugin_status_element),
  ARRAY("quarantined", TRUE, 0, 256, &quarantined_element), END};
static const VpFieldSpec plugin_answer_fields[] = {
  REQUEST_ID, HOUSEHOLD, IDENT("answer", TRUE), KIND("kind", TRUE), DOCNAME("doc", TRUE),
  INT("rev", TRUE, 0, SEQ_MAX), ANY_OBJ("body", TRUE, ANSWER_BODY_MAX), END};
static const VpFieldSpec memory_look_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("look", TRUE),
                                                HASH("file", TRUE), END};
static const VpFieldSpec plugin_answer_accepted_fields[] = {ANSWER_RE, IDENT("answer", TRUE), END};
static const VpFieldSpec doc_answer_fields[] = {
  HOUSEHOLD, KIND("kind", TRUE), DOCNAME("doc", TRUE), IDENT("answer", TRUE),
  INT("rev", FALSE, 0, SEQ_MAX), ANY_OBJ("body", TRUE, ANSWER_BODY_MAX),
  INT("at", TRUE, 0, TIME_MAX), END};
/* a reminder not confirmed, told to the one person its writer chose (hub/reminder_escalation.c) */
static const VpFieldSpec reminder_escalated_fields[] = {
  HOUSEHOLD, DOCNAME("doc", TRUE), INT("due", TRUE, 0, TIME_MAX), STR("title", TRUE, 1, 200),
  STR("resident", TRUE, 1, 100), INT("kiosk_offline_since", FALSE, 0, TIME_MAX),
  INT("at", TRUE, 0, TIME_MAX), END};

/* household administration */
static const VpFieldSpec invite_fields[] = {
  REQUEST_ID, HOUSEHOLD, STR("name", TRUE, 1, 100), STR("relationship", TRUE, 0, 40),
  ENUM("role", TRUE, person_roles), ARRAY("rights", TRUE, 0, 16, &right_element),
  STR("short_name", FALSE, 0, 20), END};
static const VpFieldSpec invited_fields[] = {ANSWER_RE, IDENT("person", TRUE), STR("link", TRUE, 1, 2048),
                                             INT("expires_at", TRUE, 0, TIME_MAX), END};
static const VpFieldSpec set_rights_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("person", TRUE),
                                                ARRAY("rights", TRUE, 0, 16, &right_element), END};
/* short_name: at most 20 characters; "" = none */
/* a file hash, or "" to remove the photo */
static const VpFieldSpec set_photo_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("person", TRUE),
                                               STR("photo", TRUE, 0, 64), END};
static const VpFieldSpec set_short_name_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("person", TRUE),
                                                    STR("short_name", TRUE, 0, 20), END};
static const VpFieldSpec set_share_looks_fields[] = {REQUEST_ID, HOUSEHOLD,
                                                    BOOL("share_looks", TRUE), END};
static const VpFieldSpec revoke_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("person", TRUE), END};
static const VpFieldSpec set_quiet_hours_fields[] = {
  REQUEST_ID, HOUSEHOLD, NULLABLE_OBJ("quiet_hours", TRUE, quiet_hours_fields), END};
static const VpFieldSpec consent_request_fields[] = {REQUEST_ID, HOUSEHOLD, IDENT("person", TRUE),
                                                     BOOL("auto_answer", TRUE),
                                                     STR("agreed_by", FALSE, 1, 100), END};

/* Consent is a person's word: granting it must say whose. */
static gboolean
check_consent(JsonObject *obj, GError **error)
{
  if (!json_object_get_boolean_member(obj, "auto_answer"))
    return TRUE;
  return require(obj, "agreed_by", "", error);
}

static const VpFieldSpec pair_fields[] = {REQUEST_ID, HOUSEHOLD, STR("code", TRUE, 4, 32), END};

/* staff */
static const VpFieldSpec staff_overview_fields[] = {REQUEST_ID, IDENT("after", FALSE), END};
static const VpFieldSpec staff_kiosk_fields[] = {
  HOUSEHOLD,
  STR("resident", TRUE, 1, 100),
  IDENT("kiosk", FALSE),
  ENUM("presence", FALSE, presence_states),
  INT("last_seen_at", FALSE, 0, TIME_MAX),
  INT("last_call_at", FALSE, 0, TIME_MAX),
  INT("missed_checkins", FALSE, 0, 100000),
  END};
static const VpFieldSpec staff_kiosk_element = OBJ(NULL, TRUE, staff_kiosk_fields);
static const VpFieldSpec staff_kiosks_fields[] = {ANSWER_RE,
                                                  ARRAY("items", TRUE, 0, 10000, &staff_kiosk_element),
                                                  BOOL("more", FALSE), IDENT("next", FALSE),
                                                  END};

/* Web Push: the hub's VAPID key, and a browser's subscription (keys base64url) */
static const VpFieldSpec push_get_key_fields[] = {REQUEST_ID, END};
static const VpFieldSpec push_key_fields[] = {ANSWER_RE, STR("public_key", TRUE, 87, 88), END};
static const VpFieldSpec push_subscribe_fields[] = {
  REQUEST_ID, STR("endpoint", TRUE, 9, 1024), STR("p256dh", TRUE, 86, 88), STR("auth", TRUE, 22, 24),
  BOOL("show_text", FALSE), END};
static const VpFieldSpec push_unsubscribe_fields[] = {REQUEST_ID, STR("endpoint", TRUE, 9, 1024), END};

/* a person's devices: a one-time link for another, the list, signing one out */
static const VpFieldSpec device_link_fields[] = {REQUEST_ID, END};
static const VpFieldSpec device_linked_fields[] = {ANSWER_RE, STR("token", TRUE, 16, 256),
                                                   INT("expires_at", TRUE, 0, TIME_MAX), END};
static const VpFieldSpec device_list_fields[] = {REQUEST_ID, IDENT("household", FALSE),
                                                 IDENT("person", FALSE), END};
static const VpFieldSpec device_fields[] = {
  IDENT("id", TRUE), STR("name", TRUE, 0, 64), INT("created_at", TRUE, 0, TIME_MAX),
  INT("last_seen_at", FALSE, 0, TIME_MAX), BOOL("current", FALSE), BOOL("online", FALSE), END};
static const VpFieldSpec device_element = OBJ(NULL, TRUE, device_fields);
static const VpFieldSpec device_items_fields[] = {ANSWER_RE, IDENT("person", TRUE),
                                                  ARRAY("items", TRUE, 0, 1000, &device_element),
                                                  END};
static const VpFieldSpec device_revoke_fields[] = {REQUEST_ID, IDENT("device", TRUE),
                                                   IDENT("household", FALSE), IDENT("person", FALSE),
                                                   END};

static gboolean
check_set_photo(JsonObject *obj, GError **error)
{
  const char *photo = json_object_get_string_member(obj, "photo");
  if (!*photo || vp_is_file_hash(photo))
    return TRUE;
  g_set_error(error, VP_ERROR, VP_ERROR_BAD_FORMAT,
              "The field \"photo\" is a file's SHA-256 (64 hex digits), or \"\" to remove it.");
  return FALSE;
}

static gboolean
check_other_person(JsonObject *obj, GError **error)
{
  /* another person's devices are asked for as an admin of a household they are in */
  if (json_object_has_member(obj, "person"))
    return require(obj, "household", "", error);
  return TRUE;
}

#define CLIENTS (KIOSK | PERSON)
#define RELAYED (HUB | KIOSK | PERSON)

static const VpTypeSpec types[VP_TYPE__COUNT] = {
  [VP_HELLO] = {VP_HELLO, "hello", ANON, hello_fields, check_hello},
  [VP_WELCOME] = {VP_WELCOME, "welcome", HUB, welcome_fields, NULL},
  [VP_PAIRED] = {VP_PAIRED, "paired", HUB, paired_fields, NULL},
  [VP_OK] = {VP_OK, "ok", HUB, ok_fields, NULL},
  [VP_ERROR_MSG] = {VP_ERROR_MSG, "error", HUB, error_fields, NULL},
  [VP_HOUSEHOLD_GET] = {VP_HOUSEHOLD_GET, "household.get", CLIENTS, household_get_fields, NULL},
  [VP_HOUSEHOLD_STATE] = {VP_HOUSEHOLD_STATE, "household.state", HUB, household_state_fields, NULL},
  [VP_PRESENCE] = {VP_PRESENCE, "presence", HUB, presence_fields, NULL},
  [VP_CALL_INVITE] = {VP_CALL_INVITE, "call.invite", RELAYED, call_invite_fields, check_call_invite},
  [VP_CALL_PLACED] = {VP_CALL_PLACED, "call.placed", HUB, call_placed_fields, NULL},
  [VP_CALL_TURN] = {VP_CALL_TURN, "call.turn", HUB, call_turn_fields, NULL},
  [VP_CALL_RINGING] = {VP_CALL_RINGING, "call.ringing", RELAYED, call_only_fields, NULL},
  [VP_CALL_ACCEPT] = {VP_CALL_ACCEPT, "call.accept", RELAYED, call_only_fields, NULL},
  [VP_CALL_DECLINE] = {VP_CALL_DECLINE, "call.decline", RELAYED, call_decline_fields, NULL},
  [VP_CALL_CANCEL] = {VP_CALL_CANCEL, "call.cancel", RELAYED, call_cancel_fields, NULL},
  [VP_CALL_BUSY] = {VP_CALL_BUSY, "call.busy", HUB, call_only_fields, NULL},
  [VP_CALL_MISSED] = {VP_CALL_MISSED, "call.missed", HUB, call_missed_fields, NULL},
  [VP_CALL_SDP] = {VP_CALL_SDP, "call.sdp", RELAYED, call_sdp_fields, NULL},
  [VP_CALL_ICE] = {VP_CALL_ICE, "call.ice", RELAYED, call_ice_fields, NULL},
  [VP_CALL_HANGUP] = {VP_CALL_HANGUP, "call.hangup", RELAYED, call_hangup_fields, NULL},
  [VP_MSG_POST] = {VP_MSG_POST, "msg.post", CLIENTS, msg_post_fields, check_msg_post},
  [VP_MSG_ACCEPTED] = {VP_MSG_ACCEPTED, "msg.accepted", HUB, msg_accepted_fields, NULL},
  [VP_MSG_DELIVER] = {VP_MSG_DELIVER, "msg.deliver", HUB, msg_deliver_fields, check_msg_deliver},
  [VP_MSG_ACK] = {VP_MSG_ACK, "msg.ack", CLIENTS, ack_fields, NULL},
  [VP_MSG_SEEN] = {VP_MSG_SEEN, "msg.seen", CLIENTS, msg_seen_fields, NULL},
  [VP_MSG_STATUS] = {VP_MSG_STATUS, "msg.status", HUB, msg_status_fields, NULL},
  [VP_DOC_PUT] = {VP_DOC_PUT, "doc.put", CLIENTS, doc_put_fields, NULL},
  [VP_DOC_ACCEPTED] = {VP_DOC_ACCEPTED, "doc.accepted", HUB, doc_accepted_fields, NULL},
  [VP_DOC_PUT_MANY] = {VP_DOC_PUT_MANY, "doc.put_many", PERSON, doc_put_many_fields, NULL},
  [VP_DOC_ACCEPTED_MANY] = {VP_DOC_ACCEPTED_MANY, "doc.accepted_many", HUB,
                            doc_accepted_many_fields, NULL},
  [VP_DOC_DELIVER] = {VP_DOC_DELIVER, "doc.deliver", HUB, doc_deliver_fields, NULL},
  [VP_DOC_ACK] = {VP_DOC_ACK, "doc.ack", KIOSK, ack_fields, NULL},
  [VP_DOC_LIST] = {VP_DOC_LIST, "doc.list", CLIENTS, doc_list_fields, NULL},
  [VP_DOC_ITEMS] = {VP_DOC_ITEMS, "doc.items", HUB, doc_items_fields, NULL},
  [VP_HOUSEHOLD_INVITE] = {VP_HOUSEHOLD_INVITE, "household.invite", PERSON, invite_fields, NULL},
  [VP_HOUSEHOLD_INVITED] = {VP_HOUSEHOLD_INVITED, "household.invited", HUB, invited_fields, NULL},
  [VP_HOUSEHOLD_SET_RIGHTS] = {VP_HOUSEHOLD_SET_RIGHTS, "household.set_rights", PERSON,
                               set_rights_fields, NULL},
  [VP_HOUSEHOLD_REVOKE] = {VP_HOUSEHOLD_REVOKE, "household.revoke", PERSON, revoke_fields, NULL},
  [VP_HOUSEHOLD_SET_QUIET_HOURS] = {VP_HOUSEHOLD_SET_QUIET_HOURS, "household.set_quiet_hours",
                                    CLIENTS, set_quiet_hours_fields, NULL},
  [VP_HOUSEHOLD_CONSENT] = {VP_HOUSEHOLD_CONSENT, "household.consent", CLIENTS,
                            consent_request_fields, check_consent},
  [VP_HOUSEHOLD_PAIR] = {VP_HOUSEHOLD_PAIR, "household.pair", PERSON, pair_fields, NULL},
  [VP_STAFF_OVERVIEW] = {VP_STAFF_OVERVIEW, "staff.overview", PERSON, staff_overview_fields, NULL},
  [VP_STAFF_KIOSKS] = {VP_STAFF_KIOSKS, "staff.kiosks", HUB, staff_kiosks_fields, NULL},
  [VP_KIOSK_PLUGINS] = {VP_KIOSK_PLUGINS, "kiosk.plugins", KIOSK, kiosk_plugins_fields, NULL},
  [VP_PLUGIN_ANSWER] = {VP_PLUGIN_ANSWER, "plugin.answer", KIOSK, plugin_answer_fields, NULL},
  [VP_PLUGIN_ANSWER_ACCEPTED] = {VP_PLUGIN_ANSWER_ACCEPTED, "plugin.answer.accepted", HUB,
                                 plugin_answer_accepted_fields, NULL},
  [VP_DOC_ANSWER] = {VP_DOC_ANSWER, "doc.answer", HUB, doc_answer_fields, NULL},
  [VP_PUSH_GET_KEY] = {VP_PUSH_GET_KEY, "push.get_key", PERSON, push_get_key_fields, NULL},
  [VP_PUSH_KEY] = {VP_PUSH_KEY, "push.key", HUB, push_key_fields, NULL},
  [VP_PUSH_SUBSCRIBE] = {VP_PUSH_SUBSCRIBE, "push.subscribe", PERSON, push_subscribe_fields, NULL},
  [VP_PUSH_UNSUBSCRIBE] = {VP_PUSH_UNSUBSCRIBE, "push.unsubscribe", PERSON, push_unsubscribe_fields,
                           NULL},
  [VP_REMINDER_ESCALATED] = {VP_REMINDER_ESCALATED, "reminder.escalated", HUB,
                             reminder_escalated_fields, NULL},
  [VP_CALL_RESUME] = {VP_CALL_RESUME, "call.resume", CLIENTS, call_only_fields, NULL},
  [VP_HOUSEHOLD_SET_SHORT_NAME] = {VP_HOUSEHOLD_SET_SHORT_NAME, "household.set_short_name",
                                   PERSON, set_short_name_fields, NULL},
  [VP_HOUSEHOLD_SET_SHARE_LOOKS] = {VP_HOUSEHOLD_SET_SHARE_LOOKS, "household.set_share_looks",
                                    PERSON, set_share_looks_fields, NULL},
  [VP_MEMORY_LOOK] = {VP_MEMORY_LOOK, "memory.look", KIOSK, memory_look_fields, NULL},
  [VP_HOUSEHOLD_SET_PHOTO] = {VP_HOUSEHOLD_SET_PHOTO, "household.set_photo", PERSON,
                              set_photo_fields, check_set_photo},
  [VP_DEVICE_LINK] = {VP_DEVICE_LINK, "device.link", PERSON, device_link_fields, NULL},
  [VP_DEVICE_LINKED] = {VP_DEVICE_LINKED, "device.linked", HUB, device_linked_fields, NULL},
  [VP_DEVICE_LIST] = {VP_DEVICE_LIST, "device.list", PERSON, device_list_fields,
                      check_other_person},
  [VP_DEVICE_ITEMS] = {VP_DEVICE_ITEMS, "device.items", HUB, device_items_fields, NULL},
  [VP_DEVICE_REVOKE] = {VP_DEVICE_REVOKE, "device.revoke", PERSON, device_revoke_fields,
                        check_other_person},
};

const VpTypeSpec *
vp_schema_for(VpType type)
{
  if ((unsigned)type >= VP_TYPE__COUNT)
    return NULL;
  return &types[type];
}

const char *
vp_type_name(VpType type)
{
  const VpTypeSpec *spec = vp_schema_for(type);
  return spec ? spec->name : NULL;
}

gboolean
vp_type_from_name(const char *name, VpType *out)
{
  for (int i = 0; name && i < VP_TYPE__COUNT; i++) {
    if (g_str_equal(types[i].name, name)) {
      if (out)
        *out = (VpType)i;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
vp_sender_may_send(VpSender sender, VpType type)
{
  const VpTypeSpec *spec = vp_schema_for(type);
  return spec && (spec->senders & (1u << sender)) != 0;
}
/* clang-format on */
