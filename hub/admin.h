/* `vindu-hub admin …`: household, invite, list, rights, revoke, pair, consent, quiet hours.
 * Works while the server runs: it writes through SQLite (WAL, busy timeout) and records an
 * event the server picks up (docs/hub.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv starts after "admin". Returns the process exit status. */
int hub_admin_main(int argc, char **argv);

G_END_DECLS
