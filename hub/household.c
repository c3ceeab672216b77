/* household.get and the admin messages (invite, rights, short names, photos, revoke, quiet hours,
 * share looks, consent, pairing): checked, stored, answered, and passed on as events
 * (events.c); what members then see is household_state.c's. */
#define G_LOG_DOMAIN "vindu-hub"
#include "look_sharing.h"
#include "hub.h"
#include "events.h"
#include "storage_full.h"
#include "faces.h"
#include "tokens.h"
#include "clock.h"

#include <string.h>

/* Check membership (+ a right for persons); answers the error itself. */
static gboolean
require(Conn *c, const char *re, const char *household, guint right)
{
  guint rights = 0;
  if (!conn_member(c, household, &rights)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return FALSE;
  }
  if (c->role == CONN_PERSON && right && !(rights & right)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN,
                    "You do not have the right to do this in this household.");
    return FALSE;
  }
  return TRUE;
}

static void
answer_db(Conn *c, const char *re, GError *error)
{
  if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_NOT_FOUND) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such person, kiosk or code here.");
  } else if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_BAD_FORMAT) {
    conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "A pairing code is 8 digits.");
  } else {
    g_warning("household change failed: %s", error->message);
    const char *sentence = "The hub failed; nothing was changed.";
    VpErrorCode code = storage_error_code(error, &sentence); /* sets sentence */
    conn_send_error(c, re, code, sentence);
  }
}

/* Too many wrong pairing codes from this person, or in this household, lately? Answers the
 * error itself. */
static gboolean
pair_allowed(Conn *c, const char *re, const char *household)
{
  gint64 now = hub_clock_now_s();
  if (!hub_failures_blocked(c->hub->pair_failures, c->self_id, now) &&
      !hub_failures_blocked(c->hub->pair_household_failures, household, now))
    return TRUE;
  conn_send_error(c, re, VP_ERROR_RATE_LIMITED,
                  "Too many wrong codes; wait ten minutes and try again.");
  return FALSE;
}

/* Is a kiosk showing this code on a connection that stays open? Binding a code whose
 * connection is closing would answer ok, and then the closing connection would delete the bound
 * row without the kiosk ever being paired. */
static gboolean
pair_code_waiting(Hub *hub, const char *code)
{
  g_autofree char *norm = hub_pairing_code_normalise(code);
  if (!norm)
    return FALSE;
  g_autofree char *hash = hub_db_pairing_hash(hub->db, norm);
  Conn *kiosk = g_hash_table_lookup(hub->unpaired, hash);
  return kiosk && !kiosk->closing;
}

/* household.pair; answers only when refused (FALSE). Only wrong codes count against the limits:
 * a code that is not 8 digits can never match, so it is bad_format and not a guess. */
static gboolean
pair(Conn *c, const char *re, const char *household, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = hub_pairing_code_normalise(code);
  if (!norm) {
    conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "A pairing code is 8 digits.");
    return FALSE;
  }
  if (!pair_allowed(c, re, household))
    return FALSE;
  if (pair_code_waiting(c->hub, norm) &&
      hub_pairing_bind(c->hub->db, household, norm, c->self_id, &error))
    return TRUE;
  if (!error || g_error_matches(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND)) {
    hub_failures_add(c->hub->pair_failures, c->self_id, hub_clock_now_s());
    hub_failures_add(c->hub->pair_household_failures, household, hub_clock_now_s());
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "No screen is showing that code.");
  } else {
    answer_db(c, re, error);
  }
  return FALSE;
}

/* What a household.* request came to. */
typedef enum {
  HOUSEHOLD_ANSWERED, /* refused, or answered with its own message */
  HOUSEHOLD_CHANGED,  /* answer ok and let the server pass the change on */
  HOUSEHOLD_FAILED,   /* the database said no (the error is set): answer_db */
} HouseholdOutcome;

/* The fields every household.* request may name. */
typedef struct {
  const char *re, *household, *person;
} HouseholdRequest;

typedef HouseholdOutcome (*HouseholdAction)(Conn *c, VpMessage *m, const HouseholdRequest *r,
                                            GError **error);

static HouseholdOutcome
outcome_of(gboolean ok)
{
  return ok ? HOUSEHOLD_CHANGED : HOUSEHOLD_FAILED;
}

/* The rights of a household.* message; answers the error itself when they are unknown. */
static gboolean
rights_of(Conn *c, VpMessage *m, const char *re, guint *rights)
{
  if (hub_rights_from_json(vp_message_get_array(m, "rights"), rights))
    return TRUE;
  conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE, "One of the rights is unknown.");
  return FALSE;
}

static HouseholdOutcome
household_get(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (require(c, r->re, r->household, 0))
    household_send_state(c->hub, r->household, c, r->re);
  return HOUSEHOLD_ANSWERED;
}

/* household.invite answers with the new person and their link (household.invited). */
static HouseholdOutcome
household_invite(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  Hub *hub = c->hub;
  guint rights = 0;
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN) || !rights_of(c, m, r->re, &rights))
    return HOUSEHOLD_ANSWERED;
  const char *role = vp_message_get_string(m, "role");
  if (!hub_role_valid(role)) {
    conn_send_error(c, r->re, VP_ERROR_OUT_OF_RANGE,
                    "The role must be family, volunteer, staff or coordinator.");
    return HOUSEHOLD_ANSWERED;
  }
  g_autofree char *pid = NULL, *link = NULL;
  gint64 expires = 0;
  if (!hub_invite_create(hub->db, r->household, vp_message_get_string(m, "name"),
                         vp_message_get_string(m, "relationship"), role, rights,
                         hub->config->public_url, &pid, &link, &expires, error))
    return HOUSEHOLD_FAILED;
  const char *short_name = vp_message_get_string(m, "short_name");
  if (short_name && *short_name &&
      !hub_short_name_set(hub->db, r->household, pid, short_name, error))
    return HOUSEHOLD_FAILED;
  g_autoptr(VpMessage) a = vp_message_new(VP_HOUSEHOLD_INVITED);
  vp_message_set_string(a, "re", r->re);
  vp_message_set_string(a, "person", pid);
  vp_message_set_string(a, "link", link);
  vp_message_set_int(a, "expires_at", expires);
  conn_send(c, a);
  hub_events_process(hub);
  return HOUSEHOLD_ANSWERED;
}

static HouseholdOutcome
household_set_rights(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  guint rights = 0;
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN) || !rights_of(c, m, r->re, &rights))
    return HOUSEHOLD_ANSWERED;
  return outcome_of(hub_rights_set(c->hub->db, r->household, r->person, rights, error));
}

/* The right a change about `person` needs: none for the person themself, else admin. */
static guint
right_for_person(Conn *c, const char *person)
{
  gboolean self = c->role == CONN_PERSON && g_strcmp0(person, c->self_id) == 0;
  return self ? 0 : HUB_RIGHT_ADMIN;
}

/* the household's admins, and the person for themself */
static HouseholdOutcome
household_set_short_name(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, right_for_person(c, r->person)))
    return HOUSEHOLD_ANSWERED;
  return outcome_of(hub_short_name_set(c->hub->db, r->household, r->person,
                                       vp_message_get_string(m, "short_name"), error));
}

/* as the short name: the household's admins, and the person for themself (faces.h) */
static HouseholdOutcome
household_set_photo(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  const char *photo = vp_message_get_string(m, "photo");
  VpErrorCode code;
  const char *sentence;
  if (!require(c, r->re, r->household, right_for_person(c, r->person)))
    return HOUSEHOLD_ANSWERED;
  if (*photo && !hub_face_check(c->hub, r->household, photo, &code, &sentence)) {
    conn_send_field_error(c, r->re, code, "photo", sentence);
    return HOUSEHOLD_ANSWERED;
  }
  return outcome_of(hub_face_set(c->hub->db, r->household, r->person, photo, error));
}

static HouseholdOutcome
household_revoke(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN))
    return HOUSEHOLD_ANSWERED;
  return outcome_of(g_str_has_prefix(r->person ? r->person : "", "k_")
                        ? hub_kiosk_revoke(c->hub->db, r->household, r->person, error)
                        : hub_person_revoke(c->hub->db, r->household, r->person, error));
}

static HouseholdOutcome
household_set_quiet_hours(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN))
    return HOUSEHOLD_ANSWERED;
  JsonObject *q = vp_message_get_object(m, "quiet_hours");
  const char *start = q ? json_object_get_string_member_with_default(q, "start", NULL) : NULL;
  const char *end = q ? json_object_get_string_member_with_default(q, "end", NULL) : NULL;
  if (q && (!vp_is_clock_time(start) || !vp_is_clock_time(end))) {
    conn_send_error(c, r->re, VP_ERROR_BAD_FORMAT, "Quiet hours are two times like 22:00.");
    return HOUSEHOLD_ANSWERED;
  }
  return outcome_of(
      hub_quiet_hours_set(c->hub->db, r->household, q ? start : NULL, q ? end : NULL, error));
}

static HouseholdOutcome
household_set_share_looks(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN))
    return HOUSEHOLD_ANSWERED;
  return outcome_of(hub_share_looks_set(c->hub->db, r->household,
                                        vp_message_get_bool(m, "share_looks", FALSE), error));
}

static HouseholdOutcome
household_consent(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN))
    return HOUSEHOLD_ANSWERED;
  gboolean agree = vp_message_get_bool(m, "auto_answer", FALSE);
  const char *agreed_by = vp_message_get_string(m, "agreed_by");
  if (agree && (!agreed_by || !*agreed_by)) {
    conn_send_error(c, r->re, VP_ERROR_MISSING_FIELD, "Say who agreed (agreed_by).");
    return HOUSEHOLD_ANSWERED;
  }
  return outcome_of(hub_consent_record(c->hub->db, r->household, r->person,
                                       agreed_by ? agreed_by : "", c->self_id, !agree, error));
}

static HouseholdOutcome
household_pair(Conn *c, VpMessage *m, const HouseholdRequest *r, GError **error)
{
  if (!require(c, r->re, r->household, HUB_RIGHT_ADMIN) ||
      !pair(c, r->re, r->household, vp_message_get_string(m, "code")))
    return HOUSEHOLD_ANSWERED;
  return HOUSEHOLD_CHANGED;
}

static const struct {
  VpType type;
  HouseholdAction act;
} household_actions[] = {
    {VP_HOUSEHOLD_GET, household_get},
    {VP_HOUSEHOLD_INVITE, household_invite},
    {VP_HOUSEHOLD_SET_RIGHTS, household_set_rights},
    {VP_HOUSEHOLD_SET_SHORT_NAME, household_set_short_name},
    {VP_HOUSEHOLD_SET_PHOTO, household_set_photo},
    {VP_HOUSEHOLD_REVOKE, household_revoke},
    {VP_HOUSEHOLD_SET_QUIET_HOURS, household_set_quiet_hours},
    {VP_HOUSEHOLD_SET_SHARE_LOOKS, household_set_share_looks},
    {VP_HOUSEHOLD_CONSENT, household_consent},
    {VP_HOUSEHOLD_PAIR, household_pair},
};

static HouseholdAction
household_action(VpType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS(household_actions); i++)
    if (household_actions[i].type == type)
      return household_actions[i].act;
  return NULL;
}

void
household_handle(Conn *c, VpMessage *m)
{
  HouseholdRequest r = {vp_message_id(m), vp_message_get_string(m, "household"),
                        vp_message_get_string(m, "person")};
  HouseholdAction act = household_action(vp_message_type(m));
  if (!act) {
    conn_send_error(c, r.re, VP_ERROR_FORBIDDEN, "Clients may not send this message.");
    return;
  }
  g_autoptr(GError) error = NULL;
  switch (act(c, m, &r, &error)) {
  case HOUSEHOLD_ANSWERED:
    return;
  case HOUSEHOLD_FAILED:
    answer_db(c, r.re, error);
    return;
  case HOUSEHOLD_CHANGED:
    conn_send_ok(c, r.re);
    hub_events_process(c->hub);
    return;
  }
}
