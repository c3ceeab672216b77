/* An existing person joins one more household: a coordinator or a care worker serves several
 * residents with one sign-in, so one `doc.put_many` can invite them all. Only the hub's admin
 * (the command line) does this; an invite link always makes a new person. */
#define G_LOG_DOMAIN "vindu-hub"
#include "directory.h"

#include "clock.h"

gboolean
hub_membership_join(HubDb *db, const HubJoin *j, GError **error)
{
  g_autofree char *rights = hub_rights_to_string(j->rights);
  if (!hub_db_begin(db, error))
    return FALSE;
  g_autofree char *person =
      hub_db_query_text(db, error, "SELECT id FROM people WHERE id=?", "t", j->person);
  g_autofree char *member = hub_db_query_text(
      db, error, "SELECT person_id FROM memberships WHERE household_id=? AND person_id=?", "tt",
      j->household, j->person);
  gboolean ok =
      (hub_household_exists(db, j->household) || hub_db_not_found(error, "no such household")) &&
      (person || hub_db_not_found(error, "no such person")) &&
      (!member || hub_db_not_found(error, "that person is already in that household"));
  ok = ok && hub_db_run(db, error,
                        "INSERT INTO memberships(household_id, person_id, relationship, role,"
                        " rights, invite_redeemed_at, created_at) VALUES(?,?,?,?,?,?,?)",
                        "tttttii", j->household, j->person, j->relationship, j->role, rights,
                        hub_clock_now_s(), hub_clock_now_s());
  ok = ok && hub_db_add_event(db, "household", j->household, j->person, error);
  return hub_db_end(db, ok, error);
}
