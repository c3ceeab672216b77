/* Bench setup: N households, each with one paired kiosk and one person holding the call and
 * message rights, made through the hub's own directory code (the same as `vindu-hub admin` and
 * the pairing/invite sign-ins) in DATA_DIR. Prints one JSON line per household:
 * {"household":…,"kiosk":…,"secret":…,"person":…,"session":…}. Only for benchmarks: the
 * database is written without fsync to keep the setup short. */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: %s DATA_DIR N\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[2]);
  g_autoptr(GError) error = NULL;
  g_autoptr(HubDb) db = hub_db_open(argv[1], &error);
  if (!db) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  hub_db_exec(db, "PRAGMA synchronous=OFF", NULL);
  for (int i = 0; i < n; i++) {
    g_autofree char *h = NULL, *code = NULL, *p = NULL, *link = NULL, *hh = NULL, *kiosk = NULL,
                    *secret = NULL;
    HubNewSession session = {0};
    g_autofree char *resident = g_strdup_printf("Resident %d", i);
    if (!hub_household_create(db, resident, "nb", &h, &code, &error) ||
        !hub_invite_create(db, h, "Anna", "Daughter", "family",
                           HUB_RIGHT_CALL | HUB_RIGHT_MESSAGE | HUB_RIGHT_STATUS,
                           "https://127.0.0.1", &p, &link, NULL, &error) ||
        !hub_auth_invite(db, strstr(link, "#join=") + 6, "bench", &session, &error) ||
        !hub_auth_provision(db, code, &hh, &kiosk, &secret, &error)) {
      fprintf(stderr, "setup: %s\n", error->message);
      return 1;
    }
    printf("{\"household\":\"%s\",\"kiosk\":\"%s\",\"secret\":\"%s\",\"person\":\"%s\","
           "\"session\":\"%s\"}\n",
           h, kiosk, secret, p, session.token);
    hub_new_session_clear(&session);
  }
  return 0;
}
