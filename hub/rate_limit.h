/* Rate limits: a token bucket per connection (messages) and a sliding count of failures per key
 * (a remote address, or one credential: a kiosk, a token or code, kept by its hash). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double tokens;
  gint64 last_us;
} HubBucket;

/* `rate` tokens per second, at most `burst`; TRUE if one token was taken. */
gboolean hub_bucket_take(HubBucket *b, double rate, double burst, gint64 now_us);

typedef struct _HubFailures HubFailures;
HubFailures *hub_failures_new(guint limit, gint64 window_s);
void hub_failures_free(HubFailures *f);
/* TRUE if `key` has reached the limit within the window. */
gboolean hub_failures_blocked(HubFailures *f, const char *key, gint64 now_s);
void hub_failures_add(HubFailures *f, const char *key, gint64 now_s);
/* Seconds until `key` is under its limit again (0 if it is now): what "wait N minutes" says. */
gint64 hub_failures_retry_after_s(HubFailures *f, const char *key, gint64 now_s);
/* Forget expired entries. */
void hub_failures_prune(HubFailures *f, gint64 now_s);

G_END_DECLS
