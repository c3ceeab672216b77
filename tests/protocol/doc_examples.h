/* The JSON examples of docs/protocol.md, so tests and fuzz seeds use exactly what the doc says. */
#pragma once

#include <glib.h>

/* (transfer full) every example frame, in document order; NULL if the doc cannot be read. */
GPtrArray *doc_examples_load(GError **error);
