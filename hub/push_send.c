/* A GThreadPool of two workers; each job is encrypted, signed and posted on a worker, and its
 * status handed back through an idle source on the main context. The sender is reference
 * counted so a result that arrives after the hub stopped finds it and is dropped. */
#define G_LOG_DOMAIN "vindu-hub"
#include "clock.h"
#include "push_send.h"

#include "push_crypt.h"
#include "push_https.h"

#include <gio/gio.h>
#include <string.h>

#define PUSH_WORKERS 2

struct _PushSender {
  gint refs;
  PushVapid *vapid;
  char *subject;
  SSL_CTX *ssl;
  GThreadPool *pool;
  PushResultFunc on_result;
  gpointer data;
  gboolean stopped; /* main thread only */
  gint pending;
};

typedef struct {
  PushSender *sender;
  char *subscription;
  char *endpoint;
  GBytes *p256dh;
  GBytes *auth;
  int ttl_s;
  char *urgency;
  char *topic;
  char *payload;
  int status;
} PushJob;

static PushSender *
sender_ref(PushSender *s)
{
  g_atomic_int_inc(&s->refs);
  return s;
}

static void
sender_unref(PushSender *s)
{
  if (!g_atomic_int_dec_and_test(&s->refs))
    return;
  SSL_CTX_free(s->ssl);
  g_free(s->subject);
  g_free(s);
}

static void
job_free(PushJob *job)
{
  sender_unref(job->sender);
  g_free(job->subscription);
  g_free(job->endpoint);
  g_bytes_unref(job->p256dh);
  g_bytes_unref(job->auth);
  g_free(job->urgency);
  g_free(job->topic);
  g_free(job->payload);
  g_free(job);
}

static gboolean
deliver_result(gpointer data)
{
  PushJob *job = data;
  PushSender *s = job->sender;
  g_atomic_int_add(&s->pending, -1);
  if (!s->stopped)
    s->on_result(job->subscription, job->status, s->data);
  return G_SOURCE_REMOVE;
}

static int
send_job(PushJob *job, GError **error)
{
  PushSender *s = job->sender;
  g_autoptr(GBytes) body = push_encrypt(job->p256dh, job->auth, (const guint8 *)job->payload,
                                        strlen(job->payload), error);
  g_autofree char *authorization =
      push_vapid_authorization(s->vapid, job->endpoint, s->subject, hub_clock_now_s());
  if (!body || !authorization) {
    if (error && !*error)
      g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an https URL");
    return 0;
  }
  g_autofree char *topic = job->topic ? g_strdup_printf("Topic: %s\r\n", job->topic) : g_strdup("");
  g_autofree char *headers = g_strdup_printf(
      "Authorization: %s\r\nTTL: %d\r\nUrgency: %s\r\n%sContent-Encoding: aes128gcm\r\n"
      "Content-Type: application/octet-stream\r\n",
      authorization, job->ttl_s, job->urgency, topic);
  return push_https_post(s->ssl, job->endpoint, headers, body, error);
}

static void
work(gpointer data, gpointer user_data)
{
  (void)user_data;
  PushJob *job = data;
  g_autoptr(GError) error = NULL;
  job->status = send_job(job, &error);
  if (error) /* the endpoint is a capability URL: its host only */
    g_message("a push was not delivered: %s", error->message);
  g_idle_add_full(G_PRIORITY_DEFAULT, deliver_result, job, (GDestroyNotify)job_free);
}

PushSender *
push_sender_new(PushVapid *vapid, const char *ca_file, const char *subject,
                PushResultFunc on_result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  SSL_CTX *ssl = push_https_context_new(ca_file, &error);
  if (!ssl) {
    g_warning("Web Push is off: %s", error->message);
    return NULL;
  }
  PushSender *s = g_new0(PushSender, 1);
  s->refs = 1;
  s->vapid = vapid;
  s->subject = g_strdup(subject);
  s->ssl = ssl;
  s->on_result = on_result;
  s->data = data;
  s->pool = g_thread_pool_new_full(work, s, (GDestroyNotify)job_free, PUSH_WORKERS, FALSE, NULL);
  return s;
}

void
push_sender_free(PushSender *s)
{
  if (!s)
    return;
  s->stopped = TRUE;
  g_thread_pool_free(s->pool, TRUE, TRUE);
  sender_unref(s);
}

void
push_sender_queue(PushSender *s, const PushTarget *t, const char *payload)
{
  PushJob *job = g_new0(PushJob, 1);
  job->sender = sender_ref(s);
  job->subscription = g_strdup(t->subscription);
  job->endpoint = g_strdup(t->endpoint);
  job->p256dh = g_bytes_ref(t->p256dh);
  job->auth = g_bytes_ref(t->auth);
  job->ttl_s = t->ttl_s;
  job->urgency = g_strdup(t->urgency ? t->urgency : "normal");
  job->topic = g_strdup(t->topic);
  job->payload = g_strdup(payload);
  g_atomic_int_inc(&s->pending);
  g_thread_pool_push(s->pool, job, NULL);
}

guint
push_sender_pending(PushSender *s)
{
  return (guint)g_atomic_int_get(&s->pending);
}
