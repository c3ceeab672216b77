/* The running hub's shared state and the contracts between its server-side files.
 *
 * Everything runs on one thread: libuv runs libwebsockets and the GLib main context (loop.h),
 * so there is no locking anywhere. A Conn is one authenticated-or-not WebSocket; HTTP requests (web
 * root, healthz, files API) never become a Conn. */
#pragma once

#include "config.h"
#include "db.h"
#include "directory.h"
#include "loop.h"
#include "manifests.h"
#include "tls_pending.h"
#include "upload.h"
#include "rate_limit.h"

#include <libwebsockets.h>
#include <protocol.h>

G_BEGIN_DECLS

#define HUB_VERSION "0.1.0"
#define HUB_MSG_RATE 20.0
#define HUB_MSG_BURST 40.0
#define HUB_ABUSE_LIMIT 40 /* rate-limited frames before the connection is closed */
#define HUB_HELLO_TIMEOUT_S 10
#define HUB_SIGNIN_FAILURES 10 /* per address per minute */
/* Failed sign-ins with one credential (a kiosk's id, an invite link, a session token, a
 * provisioning code), from any address: a stale link or a revoked kiosk meets its own limit
 * without making others at the same address wait. */
#define HUB_CREDENTIAL_FAILURES 5
#define HUB_CREDENTIAL_FAILURES_WINDOW_S 600
/* Wrong codes in household.pair, per person (not per connection: one may open many): an admin
 * guessing 8-digit codes could otherwise capture a screen another household is setting up.
 * Also per household named in the request: an admin can invite new admins and redeem the links
 * himself, and each new person would otherwise bring 10 more guesses. */
#define HUB_PAIR_FAILURES 10
#define HUB_PAIR_HOUSEHOLD_FAILURES 20
#define HUB_PAIR_FAILURES_WINDOW_S 600
#define HUB_DELIVERY_WINDOW 256 /* unacknowledged msg/doc deliveries in flight per connection */
#define HUB_OUT_QUEUE_MAX (4 * 1024 * 1024)

typedef enum { CONN_NEW, CONN_KIOSK, CONN_UNPAIRED, CONN_PERSON } ConnRole;

typedef struct _Hub Hub;
typedef struct _Conn Conn;
typedef struct _Call Call;
typedef struct _HubQuota HubQuota; /* quota.h */
typedef struct _HubPush HubPush;   /* push.h */

struct _Hub {
  HubConfig *config;
  HubDb *db;
  HubManifests *manifests; /* plugin document kinds (plugins_dir) */
  struct lws_context *ctx;
  HubTlsPending *tls_pending; /* works around a stall of lws < 4.3.3 on libuv */
  HubLoop *loop;
  GHashTable *conns;             /* Conn* -> Conn* (all WebSockets) */
  GHashTable *signing_in;        /* Conn* set: not signed in at the last hello-timeout sweep */
  GHashTable *by_subject;        /* kiosk/person id -> GPtrArray<Conn*> */
  GHashTable *by_household;      /* household id -> GPtrArray<Conn*> */
  GHashTable *unpaired;          /* pairing code hash -> Conn* */
  GHashTable *calls;             /* call id -> Call* */
  GHashTable *subject_call;      /* kiosk/person id -> Call* (one call at a time) */
  GHashTable *unauth_by_address; /* address -> count of connections not signed in (gate.c) */
  guint unauth_total;
  HubQuota *quota; /* per person and household (quota.c) */
  HubFailures *signin_failures;
  /* failed sign-ins by credential (auth.c); signin_failures counts them by address */
  HubFailures *credential_failures;
  HubFailures *pair_failures;           /* by person id */
  HubFailures *pair_household_failures; /* by household id */
  gint64 last_event_id;
  gint64 data_version;
  guint timer_id;
  guint events_id;
  guint checkins_id; /* check-ins come due (server.c) */
  guint seen_id;     /* connected kiosks' last seen, noted again every seen_interval_s */
  gboolean stopping;
  guint64 next_serial;
  GPtrArray *pending_posts; /* msg.post waiting for the next group commit (messages.c) */
  GPtrArray *pending_acks;  /* msg.ack waiting for it */
  GHashTable *pending_seen; /* kiosk id -> last seen (seconds), written with the group commit */
  guint commit_source;
  HubPush *push; /* Web Push subscriptions and sender (push.c) */
};

struct _Conn {
  Hub *hub;
  guint64 serial; /* unique per process: a pointer may be reused after free */
  struct lws *wsi;
  char address[64];
  ConnRole role;
  char *self_id;          /* k_… or p_… */
  char *name;             /* person's name; NULL for kiosks */
  char *session_id;       /* person: the device session it signed in with (d_…) */
  char *household;        /* kiosk's household */
  GPtrArray *memberships; /* person: HubMembership* */
  char *pairing_hash;     /* unpaired */
  GByteArray *rx;
  gboolean rx_too_large;
  GQueue out; /* GBytes with LWS_PRE headroom */
  gsize out_bytes;
  gint64 connected_at_us;
  HubBucket bucket;
  guint violations;
  gboolean gated; /* counted by gate.c: not signed in yet */
  gboolean closing;
  int close_code;
  char close_reason[64];
  gboolean close_sent;
  gboolean write_failed; /* a direct lws_write failed: close on the next WRITEABLE */
  gint64 msg_sent_seq;   /* highest msg seq queued on this connection */
  gint64 doc_sent_seq;
  guint msg_inflight; /* queued, not yet acknowledged */
  guint doc_inflight;
};

/* server.c */
Hub *hub_server_new(HubConfig *config, HubDb *db, GError **error);
/* Start listening; prints the "listening on" line. */
gboolean hub_server_start(Hub *hub, GError **error);
void hub_server_run(Hub *hub);
void hub_server_free(Hub *hub);
/* The one protocol table (HTTP and the WebSocket); for the HTTP fuzz target's own context. */
const struct lws_protocols *hub_server_protocols(void);

/* connection.c */
/* `wsi` may be NULL (tests, fuzzing): frames are then only queued. */
Conn *conn_new(Hub *hub, struct lws *wsi);
/* Out of the hub's indexes and tables (router_conn_gone, when the WebSocket is gone). */
void conn_forget(Conn *c);
/* Its memory only, after conn_forget. */
void conn_free(Conn *c);
int conn_writeable(Conn *c);
/* Queue one message (validated and serialised by protocol/). */
void conn_send(Conn *c, VpMessage *msg);
void conn_send_error(Conn *c, const char *re, VpErrorCode code, const char *sentence);
/* The same, naming the offending field (may be NULL). */
void conn_send_field_error(Conn *c, const char *re, VpErrorCode code, const char *field,
                           const char *sentence);
void conn_send_ok(Conn *c, const char *re);
/* Close after the queue drains, with a WebSocket close code. */
void conn_close(Conn *c, int code, const char *reason);
/* The person's rights in `household`; FALSE if not a member. Kiosks: member of their own. */
gboolean conn_member(Conn *c, const char *household, guint *rights);
HubMembership *conn_membership(Conn *c, const char *household);
/* Register an authenticated connection in the hub's indexes. */
void conn_register(Conn *c);
/* Replace a person's memberships (transfer full), keeping the indexes right. */
void conn_set_memberships(Conn *c, GPtrArray *memberships);
/* Send to every connection of a subject / household (filtered by `want`, may be NULL). */
typedef gboolean (*ConnFilter)(Conn *c, gpointer data);
void hub_send_to_subject(Hub *hub, const char *subject, VpMessage *msg);
void hub_send_to_household(Hub *hub, const char *household, VpMessage *msg, ConnFilter want,
                           gpointer data);
GPtrArray *hub_subject_conns(Hub *hub, const char *subject); /* transfer none, may be NULL */
/* WebSockets open now, signed in or not (/healthz). */
guint hub_connection_count(Hub *hub);

/* auth.c */
void auth_hello(Conn *c, VpMessage *m);

/* household.c: household.get and the admin messages. */
void household_handle(Conn *c, VpMessage *m);
/* household_state.c: the state sent to members (to `only` when set, answering `re`). */
void household_send_state(Hub *hub, const char *household, Conn *only, const char *re);
/* Re-read a person's memberships after rights changed; closes if nothing is left. */
void household_refresh_person(Hub *hub, const char *person, const char *household);
void household_revoked(Hub *hub, const char *household, const char *subject);
/* auth.c: device.link / device.list / device.revoke (a person's devices, devices.h). */
void auth_devices_handle(Conn *c, VpMessage *m);
/* staff_overview.c: staff.kiosks. */
void staff_overview(Conn *c, VpMessage *m);
/* The overview's figures for a household: when its last answered call started (0: never) and
 * how many agreed check-ins of the last 7 days passed, as of `now`, without their call. */
gint64 staff_last_call_at(HubDb *db, const char *household);
gint64 staff_missed_checkins(HubDb *db, const char *household, gint64 now);

/* presence.c */
const char *presence_of(Hub *hub, const char *subject);
/* `who` is a connection of the subject (it may just have closed): its households are used. */
void presence_changed(Hub *hub, Conn *who);
/* The same for a subject that has at least one connection (no-op otherwise). */
void presence_subject_changed(Hub *hub, const char *subject);
/* May `viewer` see the presence of `subject` in `household`? */
gboolean presence_visible(Conn *viewer, const char *household, const char *subject);
/* When a kiosk was last connected (now while it is; 0 when never): the one rule for
 * household.state, staff.overview and presence. */
gint64 kiosk_last_seen(Hub *hub, const char *kiosk);
/* Set `presence` and `last_seen_at` of `kiosk` in `o`, for a viewer the caller has found
 * entitled; `stored`: its stored last seen when already read, else -1. */
void presence_add_kiosk(Hub *hub, JsonObject *o, const char *kiosk, gint64 stored);

/* calls.c */
void calls_handle(Conn *c, VpMessage *m);
/* A connection went away: end calls it was part of. */
void calls_conn_closed(Conn *c);
/* A connection signed in: if its subject is being called, it rings too. */
void calls_signed_in(Conn *c);
/* call.c: every call forgotten when the hub stops (answered ones stay open in the log). */
void calls_free_all(Hub *hub);
/* Quiet hours at `now` (local time) from HH:MM strings; handles spans over midnight. */
gboolean calls_quiet_now(const char *start, const char *end, GDateTime *now);

/* messages.c */
void messages_handle(Conn *c, VpMessage *m);
/* Commit the posts waiting for the group commit and answer them (also at shutdown). */
void messages_commit_pending(Hub *hub);
/* Note that a kiosk was seen now; written at the next group commit. */
void hub_note_seen(Hub *hub, const char *kiosk);
/* Queue pending deliveries for this connection (after sign-in, after ack, after a post). */
void messages_flush(Conn *c);
/* A person's sign-in: the latest "delivered" / "seen" of their recent messages. */
void messages_send_statuses(Conn *c);

/* documents.c */
void documents_handle(Conn *c, VpMessage *m);
void documents_flush(Conn *c);

/* plugin_reports.c: kiosk.plugins and plugin.answer from kiosks */
void plugin_reports_handle(Conn *c, VpMessage *m);
/* plugin_state.c: what readers see of those reports. A person's household.state: `plugin_kinds`,
 * the manifest entries of the kinds the household's kiosks run and `rights` allow; for admins
 * `quarantined`, what the kiosks set aside. */
void plugin_reports_describe(Hub *hub, const char *household, guint rights, JsonObject *h);
/* A doc.items item: its latest answers (`answers`, newest first), if any. */
void plugin_answers_attach(Hub *hub, const char *household, const char *kind, JsonObject *item);

/* http.c: everything that is not the WebSocket. Return values as for an lws callback. */
typedef struct _HttpReq HttpReq;
int http_request(Hub *hub, struct lws *wsi, HttpReq **req, const char *uri);
int http_body(HttpReq *req, const void *in, size_t len);
int http_body_complete(HttpReq *req);
int http_writeable(HttpReq *req);
void http_req_free(HttpReq *req);
/* The security headers every response carries, as raw header lines. */
const char *http_security_headers(void);

/* files.c: content checks and storage by SHA-256. */
typedef enum { FILE_KIND_NONE, FILE_KIND_PHOTO, FILE_KIND_VOICE } FileKind;
/* Classify by content; on FALSE `code` (too_large / bad_format) and a sentence are set. */
gboolean files_check(const guint8 *data, gsize len, FileKind *kind, const char **mime,
                     VpErrorCode *code, const char **sentence);
/* The same for a file on disk (an upload) of `size` bytes: reads only its start and end. */
gboolean files_check_fd(int fd, guint64 size, FileKind *kind, const char **mime, VpErrorCode *code,
                        const char **sentence);
/* Keep an upload under its SHA-256 (idempotent) and link it to the household. `hash_out`
 * (transfer full). */
gboolean files_store_upload(Hub *hub, HubUpload *upload, FileKind kind, const char *mime,
                            const char *household, const char *uploaded_by, char **hash_out,
                            GError **error);
/* Where uploads in flight are written (transfer full). */
char *files_incoming_dir(Hub *hub);
/* Path and mime of a file visible in that household, or FALSE. (transfer full) */
gboolean files_lookup(Hub *hub, const char *hash, const char *household, char **path_out,
                      char **mime_out);
/* Is this file of `kind` stored for that household? */
gboolean files_in_household(Hub *hub, const char *hash, const char *household, const char *kind);

G_END_DECLS
