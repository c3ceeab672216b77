/* The household's street address, where a volunteer picks the resident up for an activity. Set
 * by the hub's admin (`vindu-hub admin address`); shown in `household.state` only to the
 * household's admins and to those with the `activities` right, who make the pick-up list. */
#define G_LOG_DOMAIN "vindu-hub"
#include "directory.h"

gboolean
hub_household_address_set(HubDb *db, const char *household, const char *address, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error, "UPDATE households SET address=NULLIF(?,'') WHERE id=?", "tt",
                           address ? address : "", household);
  ok = ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such household"));
  ok = ok && hub_db_add_event(db, "household", household, NULL, error);
  return hub_db_end(db, ok, error);
}

char *
hub_household_address(HubDb *db, const char *household)
{
  return hub_db_query_text(db, NULL, "SELECT address FROM households WHERE id=?", "t", household);
}
