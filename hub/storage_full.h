/* A full disk, told apart from other failures: clients hear `storage_full` with a sentence
 * instead of `internal` (see docs/hub.md "A full disk"). */
#pragma once

#include <glib.h>

#include <protocol.h>

G_BEGIN_DECLS

/* The sentence that goes with `storage_full`. */
extern const char storage_full_sentence[];

/* Whether `error` says the disk (or the user's disk quota) is full: HUB_DB_ERROR_FULL, or an I/O
 * or file error for ENOSPC. */
gboolean storage_full_error(const GError *error);

/* The answer to a failed write: VP_ERROR_STORAGE_FULL (and *sentence set to
 * storage_full_sentence) when the disk is full, otherwise VP_ERROR_INTERNAL (*sentence kept). */
VpErrorCode storage_error_code(const GError *error, const char **sentence);

G_END_DECLS
