/* Delivering Web Push messages (RFC 8030) off the hub's loop: a small pool of worker threads
 * encrypts each payload (push_crypt.h), signs the VAPID JWT (push_vapid.h) and POSTs it over
 * HTTPS with OpenSSL, verifying the push service's certificate. Results come back on the main
 * context (GLib's default, which the hub's loop runs). */
#pragma once

#include "push_vapid.h"

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PushSender PushSender;

/* A finished push: `status` is the push service's HTTP status, 0 when it could not be reached.
 * Called on the main context; `subscription` as given to push_sender_queue. */
typedef void (*PushResultFunc)(const char *subscription, int status, gpointer data);

/* `ca_file`: trust only these CAs (NULL: the system's). `vapid` must outlive the sender. */
PushSender *push_sender_new(PushVapid *vapid, const char *ca_file, const char *subject,
                            PushResultFunc on_result, gpointer data);
/* Drop queued pushes, wait for those being sent (bounded by their I/O timeouts). */
void push_sender_free(PushSender *sender);

typedef struct {
  const char *subscription; /* the caller's id for it, handed back in the result */
  const char *endpoint;     /* https URL from the browser's PushSubscription */
  GBytes *p256dh;           /* 65-byte point */
  GBytes *auth;             /* 16 bytes */
  int ttl_s;                /* how long the push service may keep it */
  const char *urgency;      /* "very-low" … "high" (RFC 8030 §5.3) */
  const char *topic;        /* replaces an undelivered push with the same topic; may be NULL */
} PushTarget;

/* Queue `payload` (JSON text) for one subscription; returns at once. */
void push_sender_queue(PushSender *sender, const PushTarget *target, const char *payload);
/* Pushes queued or being sent (for tests and logs). */
guint push_sender_pending(PushSender *sender);

G_END_DECLS
