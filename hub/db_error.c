#include "db_error.h"

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vindu-hub-db-error-quark, hub_db_error)
/* clang-format on */
