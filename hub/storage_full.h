/* A full disk, told apart from other failures: clients hear `storage_full` with a sentence
 * instead of `internal` (see docs/hub.md "A full disk"). */
#pragma once

#include <glib.h>

#include "hub.h"

G_BEGIN_DECLS

/* The sentence that goes with `storage_full`. */
extern const char storage_full_sentence[];

/* Whether `error` says the disk (or the user's disk quota) is full: HUB_DB_ERROR_FULL, or an I/O
 * or file error for ENOSPC. */
gboolean storage_full_error(const GError *error);

/* Answer a failed write on the socket: `storage_full` when the disk is full, otherwise `internal`
 * with `sentence`. */
void storage_send_write_error(Conn *c, const char *re, const GError *error, const char *sentence);

G_END_DECLS
