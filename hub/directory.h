/* Households, people, kiosks, rights, invites, pairing and consent: the hub's identity store
 * (people.c: households, rights, memberships, consent; pairing.c: pairing codes; signin.c:
 * credentials).
 * Used by both the admin command and the running server. Every change that affects live
 * connections also records an event (hub_db_add_event) in the same transaction, which the
 * running server notices (server.c). Secrets are returned once to the caller and stored only as
 * SHA-256 hashes. */
#pragma once

#include "db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  HUB_RIGHT_CALL = 1 << 0,
  HUB_RIGHT_AUTO_ANSWER = 1 << 1,
  HUB_RIGHT_MESSAGE = 1 << 2,
  HUB_RIGHT_REMINDERS = 1 << 3,
  HUB_RIGHT_MEMORY_BOOK = 1 << 4,
  HUB_RIGHT_ACTIVITIES = 1 << 5,
  HUB_RIGHT_STATUS = 1 << 6,
  HUB_RIGHT_QUIET_HOURS_EXEMPT = 1 << 7,
  HUB_RIGHT_ADMIN = 1 << 8,
} HubRights;

#define HUB_INVITE_TTL_S (7 * 24 * 3600)
#define HUB_PAIRING_TTL_S (24 * 3600)
/* A household's provisioning code pairs one kiosk, once, within a day: a used or old code is
 * refused like a wrong one (a revoked kiosk cannot pair itself again with it). */
#define HUB_PROVISION_TTL_S (24 * 3600)

/* Parse "call,message" or a JSON array of names. FALSE on an unknown name. */
gboolean hub_rights_parse(const char *list, guint *out);
gboolean hub_rights_from_json(JsonArray *array, guint *out);
/* (transfer full) */
JsonArray *hub_rights_to_json(guint rights);
char *hub_rights_to_string(guint rights);
gboolean hub_role_valid(const char *role);
gboolean hub_language_valid(const char *language);

typedef struct {
  char *household;
  char *resident;
  char *role;
  char *relationship;
  guint rights;
} HubMembership;
void hub_membership_free(HubMembership *m);

/* Household and its kiosk provisioning code (transfer full outs). */
gboolean hub_household_create(HubDb *db, const char *resident, const char *language, char **id_out,
                              char **code_out, GError **error);
gboolean hub_household_exists(HubDb *db, const char *household);
/* Invite a new person; `link_base` is the public URL. Outs are (transfer full). */
gboolean hub_invite_create(HubDb *db, const char *household, const char *name,
                           const char *relationship, const char *role, guint rights,
                           const char *link_base, char **person_out, char **link_out,
                           gint64 *expires_out, GError **error);
/* The address for pick-ups (household_address.c): NULL or "" clears it; the getter is
 * (transfer full), NULL when none. At most HUB_ADDRESS_MAX characters. */
#define HUB_ADDRESS_MAX 120
gboolean hub_household_address_set(HubDb *db, const char *household, const char *address,
                                   GError **error);
char *hub_household_address(HubDb *db, const char *household);
/* An existing person (already signed in elsewhere) becomes a member of one more household. */
typedef struct {
  const char *household, *person, *relationship, *role;
  guint rights;
} HubJoin;
gboolean hub_membership_join(HubDb *db, const HubJoin *j, GError **error);
gboolean hub_rights_set(HubDb *db, const char *household, const char *person, guint rights,
                        GError **error);
/* The short name on the kiosk's home tile; NULL or "" for none. */
gboolean hub_short_name_set(HubDb *db, const char *household, const char *person,
                            const char *short_name, GError **error);
gboolean hub_person_revoke(HubDb *db, const char *household, const char *person, GError **error);
gboolean hub_kiosk_revoke(HubDb *db, const char *household, const char *kiosk, GError **error);
gboolean hub_consent_record(HubDb *db, const char *household, const char *person,
                            const char *agreed_by, const char *recorded_by, gboolean withdraw,
                            GError **error);
/* `start`/`end` NULL to remove. */
gboolean hub_quiet_hours_set(HubDb *db, const char *household, const char *start, const char *end,
                             GError **error);
/* Bind an unpaired kiosk's code to a household: a bind request and a "pair" event the running
 * server answers (it claims the request when a kiosk shows that code, refuses it otherwise). */
gboolean hub_pairing_bind(HubDb *db, const char *household, const char *code, const char *bound_by,
                          GError **error);
/* The same from another process (`vindu-hub admin pair`): wait up to `timeout_ms` for the server's
 * answer; NOT_FOUND when no kiosk is showing the code (or no server is running). */
gboolean hub_pairing_bind_and_wait(HubDb *db, const char *household, const char *code,
                                   const char *bound_by, guint timeout_ms, GError **error);

/* Inside a transaction: a new kiosk of `household` with a new secret (transfer full outs). */
gboolean hub_kiosk_create(HubDb *db, const char *household, char **kiosk_out, char **secret_out,
                          GError **error);

/* Sign-in. Each returns FALSE with HUB_DB_ERROR_NOT_FOUND when the credential is wrong. */
gboolean hub_auth_device(HubDb *db, const char *kiosk, const char *secret, char **household_out,
                         GError **error);
/* A person signed in on one device: who, and that device's session (its id, and its token only
 * when it was just made). */
typedef struct {
  char *person, *name, *token, *session;
} HubNewSession;
void hub_new_session_clear(HubNewSession *s);
/* A device's session token; notes the device as seen now. */
gboolean hub_auth_session(HubDb *db, const char *token, HubNewSession *out, GError **error);
/* Redeem an invite once: a new device session named `device` (from its browser; may be NULL). */
gboolean hub_auth_invite(HubDb *db, const char *token, const char *device, HubNewSession *out,
                         GError **error);
/* Redeem a one-time device link (devices.c makes them): a new session of the same person. */
gboolean hub_auth_link(HubDb *db, const char *token, const char *device, HubNewSession *out,
                       GError **error);
/* A provisioning code binds a new kiosk at once: kiosk id + secret (transfer full). */
gboolean hub_auth_provision(HubDb *db, const char *code, char **household_out, char **kiosk_out,
                            char **secret_out, GError **error);
/* A fresh pairing code for an unpaired kiosk: the code and its keyed hash (transfer full). Nothing
 * is written: the server keeps the waiting code in memory until a credential binds it. */
void hub_pairing_code_issue(HubDb *db, char **code_out, char **hash_out);
/* A bind request for a code no kiosk is showing: mark it refused for the admin who waits. */
gboolean hub_pairing_code_refuse(HubDb *db, const char *code_hash, GError **error);
/* At start no kiosk is waiting: codes left by a crash or power loss go. */
gboolean hub_pairing_codes_forget_all(HubDb *db, GError **error);
/* If the code (by hash) was bound, create the kiosk and return household, kiosk, secret. */
gboolean hub_pairing_code_claim(HubDb *db, const char *code_hash, char **household_out,
                                char **kiosk_out, char **secret_out, GError **error);

/* Memberships of a person that are not revoked. (element-type HubMembership) (transfer full) */
GPtrArray *hub_person_memberships(HubDb *db, const char *person);
/* One membership or NULL. (transfer full) */
HubMembership *hub_membership_get(HubDb *db, const char *household, const char *person);
gboolean hub_kiosk_active(HubDb *db, const char *kiosk);
char *hub_household_resident(HubDb *db, const char *household);
/* Kiosk ids of a household, not revoked. (transfer full) */
GPtrArray *hub_household_kiosks(HubDb *db, const char *household);
/* Quiet hours (transfer full), both NULL when none. */
void hub_household_quiet_hours(HubDb *db, const char *household, char **start, char **end);
/* TRUE if a consent record for auto-answer exists and was not withdrawn. */
gboolean hub_consent_active(HubDb *db, const char *household, const char *person);
/* A JSON description of all households for `admin list`. (transfer full) */
JsonNode *hub_directory_list(HubDb *db);
/* The household as protocol `household.state` content without presence (server adds it).
 * (transfer full) */
JsonObject *hub_household_describe(HubDb *db, const char *household);

G_END_DECLS
