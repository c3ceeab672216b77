/* The runner protocol: one JSON object per line over the socket pair between the kiosk and a
 * plugin's runner process (docs/plugins.md, "Between the kiosk and a runner"). The kiosk sends
 * one request at a time ({"id":N,"call":...}) and waits for its reply ({"re":N,...}) under a
 * deadline; settings ({"set":"context",...}) need no reply. The runner sends replies and, from
 * inside a callback, service calls ({"svc":...}), which need none. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The longest line either side accepts (a whole storage plus its quoting). */
#define VINDU_WIRE_MAX_LINE (512 * 1024)

/* The builder's object as one line ending in '\n'. transfer full */
char *vindu_wire_line(JsonBuilder *builder);
/* A line (without its '\n') as an object, or NULL if it is not one. transfer full */
JsonObject *vindu_wire_parse(const char *line, gssize len);
/* Members, NULL / fallback when absent or of another type. */
const char *vindu_wire_string(JsonObject *o, const char *name);
gint64 vindu_wire_int(JsonObject *o, const char *name, gint64 fallback);

/* The rules a card must meet on the resident's screen (include/vindu/plugin.h, VinduCard), for
 * a card as it travels: {"id","title","body","photo","buttons":[{"id","label"}],"countdown_s"}.
 * Both sides check: the runner so that card_show() can say -1, the kiosk because it trusts no
 * runner. Sets a sentence for the log (no card words in it). */
gboolean vindu_wire_card_is_valid(JsonObject *card, char **why);

G_END_DECLS
