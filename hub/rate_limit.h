/* Rate limits: a token bucket per connection (messages) and a sliding count of failed sign-ins
 * per remote address. */
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
/* TRUE if `address` has reached the limit within the window. */
gboolean hub_failures_blocked(HubFailures *f, const char *address, gint64 now_s);
void hub_failures_add(HubFailures *f, const char *address, gint64 now_s);
/* Forget expired entries. */
void hub_failures_prune(HubFailures *f, gint64 now_s);

G_END_DECLS
