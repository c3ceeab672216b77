/* hub-bench-probe: bench/hub-load's relay latency probe, in C so that the measuring client
 * has no garbage collector or busy event loop of its own to add to the figure.
 *
 *   hub-bench-probe PORT PAIRS_FILE   (PAIRS_FILE: hub-bench-setup's JSON lines)
 *
 * Signs in a kiosk and a person per pair, sets up one call each, prints {"ready":…}; then reads
 * "RATE SECONDS" from stdin, sends call.ice at RATE/s round-robin over the calls (alternating
 * direction), and prints {"done":…} with every message's latency from just before its send to
 * its receipt by the other party: `lat` when the probe had read and parsed it, `lat_kernel`
 * when the kernel had queued it on the receiving socket (the rest of `lat` is the probe waiting
 * for a core). Single-threaded: one epoll loop and a timerfd for the send schedule. */
#include "probe_ws.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  ProbeWs *kiosk, *person;
  char *call;
} Call;

static gint64
clock_ns(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *
member(JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member(o, name);
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

/* Block until a message of `type` (or answering `re`) arrives on ws; others are skipped.
 * (transfer full) */
static JsonObject *
wait_message(ProbeWs *ws, const char *type, const char *re)
{
  for (;;) {
    g_autofree char *text = probe_ws_next_text(ws);
    if (!text) {
      if (!probe_ws_read(ws, TRUE))
        return NULL;
      continue;
    }
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, text, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
      continue;
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    if ((type && g_strcmp0(member(o, "type"), type) == 0) ||
        (re && g_strcmp0(member(o, "re"), re) == 0))
      return json_object_ref(o);
    if (g_strcmp0(member(o, "type"), "error") == 0)
      return NULL;
  }
}

static gboolean
send_text(ProbeWs *ws, const char *text)
{
  return probe_ws_send(ws, text, strlen(text));
}

static ProbeWs *
sign_in(SSL_CTX *tls, int port, const char *auth)
{
  ProbeWs *ws = probe_ws_connect(tls, port, NULL);
  if (!ws)
    return NULL;
  g_autofree char *hello = g_strdup_printf(
      "{\"type\":\"hello\",\"id\":\"h\",\"version\":1,\"client\":\"hub-bench-probe/0.1\","
      "\"auth\":%s}",
      auth);
  g_autoptr(JsonObject) welcome = send_text(ws, hello) ? wait_message(ws, "welcome", NULL) : NULL;
  if (!welcome) {
    probe_ws_free(ws);
    return NULL;
  }
  return ws;
}

/* Kiosk and person of one household signed in, the person calls, the kiosk accepts. */
static gboolean
call_setup(Call *c, SSL_CTX *tls, int port, JsonObject *pair)
{
  g_autofree char *kauth =
      g_strdup_printf("{\"kind\":\"device\",\"kiosk\":\"%s\",\"secret\":\"%s\"}",
                      member(pair, "kiosk"), member(pair, "secret"));
  g_autofree char *pauth =
      g_strdup_printf("{\"kind\":\"session\",\"token\":\"%s\"}", member(pair, "session"));
  c->kiosk = sign_in(tls, port, kauth);
  c->person = c->kiosk ? sign_in(tls, port, pauth) : NULL;
  if (!c->person)
    return FALSE;
  g_autofree char *invite =
      g_strdup_printf("{\"type\":\"call.invite\",\"id\":\"ci\",\"household\":\"%s\",\"to\":\"%s\"}",
                      member(pair, "household"), member(pair, "kiosk"));
  if (!send_text(c->person, invite))
    return FALSE;
  g_autoptr(JsonObject) placed = wait_message(c->person, NULL, "ci");
  if (!placed || g_strcmp0(member(placed, "type"), "call.placed") != 0)
    return FALSE;
  c->call = g_strdup(member(placed, "call"));
  g_autoptr(JsonObject) rung = wait_message(c->kiosk, "call.invite", NULL);
  g_autofree char *accept = g_strdup_printf("{\"type\":\"call.accept\",\"call\":\"%s\"}", c->call);
  if (!rung || !send_text(c->kiosk, accept))
    return FALSE;
  g_autoptr(JsonObject) accepted = wait_message(c->person, "call.accept", NULL);
  return accepted != NULL;
}

static void
call_free(Call *c)
{
  probe_ws_free(c->kiosk);
  probe_ws_free(c->person);
  g_free(c->call);
  g_free(c);
}

typedef struct {
  gint64 *sent_mono, *sent_real; /* per seq, ns; 0: not sent */
  double *lat, *lat_kernel;      /* ms, per received message */
  guint received;
  guint max;
} Timings;

/* Every whole frame ws holds: note the call.ice receipts. */
static void
receive_all(ProbeWs *ws, Timings *t)
{
  for (;;) {
    g_autofree char *text = probe_ws_next_text(ws);
    if (!text)
      return;
    gint64 now = clock_ns(CLOCK_MONOTONIC);
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, text, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
      continue;
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    const char *cand = member(o, "candidate");
    if (g_strcmp0(member(o, "type"), "call.ice") != 0 || !cand ||
        !g_str_has_prefix(cand, "candidate:"))
      continue;
    guint64 seq = g_ascii_strtoull(cand + 10, NULL, 10);
    if (seq >= t->max || !t->sent_mono[seq] || t->received >= t->max)
      continue;
    t->lat[t->received] = (double)(now - t->sent_mono[seq]) / 1e6;
    t->lat_kernel[t->received] = (double)(ws->rx_kernel_ns - t->sent_real[seq]) / 1e6;
    t->received++;
    t->sent_mono[seq] = 0;
  }
}

static void
print_array(GString *out, const char *name, const double *v, guint n)
{
  g_string_append_printf(out, "\"%s\":[", name);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(out, "%s%.3f", i ? "," : "", v[i]);
  g_string_append(out, "]");
}

static int
compare_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Send at `rate`/s for `seconds`, then wait 1 s for the last receipts; print the figures. */
static void
relay(GPtrArray *calls, double rate, double seconds)
{
  Timings t = {0};
  t.max = (guint)(rate * seconds) + 1;
  t.sent_mono = g_new0(gint64, t.max);
  t.sent_real = g_new0(gint64, t.max);
  t.lat = g_new0(double, t.max);
  t.lat_kernel = g_new0(double, t.max);
  double *late = g_new0(double, t.max); /* how late the probe woke for each send, ms */
  guint n_late = 0;

  int ep = epoll_create1(EPOLL_CLOEXEC);
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev);
  for (guint i = 0; i < calls->len; i++) {
    Call *c = calls->pdata[i];
    ProbeWs *both[2] = {c->kiosk, c->person};
    for (int j = 0; j < 2; j++) {
      ev.data.ptr = both[j];
      epoll_ctl(ep, EPOLL_CTL_ADD, both[j]->fd, &ev);
    }
  }
  gint64 start = clock_ns(CLOCK_MONOTONIC), interval = (gint64)(1e9 / rate);
  gint64 end = start + (gint64)(seconds * 1e9), stop = end + 1000000000;
  guint seq = 0;
  gboolean sending = TRUE;
  while (clock_ns(CLOCK_MONOTONIC) < stop) {
    gint64 next = sending ? start + (gint64)seq * interval : stop;
    struct itimerspec its = {.it_value = {next / 1000000000, next % 1000000000}};
    timerfd_settime(timer, TFD_TIMER_ABSTIME, &its, NULL);
    struct epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, -1);
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr) {
        ProbeWs *ws = evs[i].data.ptr;
        if (probe_ws_read(ws, FALSE))
          receive_all(ws, &t);
        continue;
      }
      guint64 expirations;
      if (read(timer, &expirations, sizeof expirations) < 0) {
        /* spurious wake-up: the schedule below decides */
      }
    }
    /* every send that is due by now, each stamped just before its own write */
    gint64 now = clock_ns(CLOCK_MONOTONIC);
    if (sending && now >= start + (gint64)seq * interval && seq < t.max)
      late[n_late++] = (double)(now - (start + (gint64)seq * interval)) / 1e6;
    while (sending && now >= start + (gint64)seq * interval) {
      if (now >= end || seq >= t.max) {
        sending = FALSE;
        break;
      }
      Call *c = calls->pdata[seq % calls->len];
      ProbeWs *from = seq % 2 ? c->person : c->kiosk;
      g_autofree char *ice = g_strdup_printf(
          "{\"type\":\"call.ice\",\"call\":\"%s\",\"candidate\":\"candidate:%u 1 UDP 2015363327 "
          "127.0.0.1 50000 typ host\",\"sdp_mline_index\":0}",
          c->call, seq);
      t.sent_mono[seq] = clock_ns(CLOCK_MONOTONIC);
      t.sent_real[seq] = clock_ns(CLOCK_REALTIME);
      if (!probe_ws_send(from, ice, strlen(ice)))
        g_printerr("hub-bench-probe: a send failed\n");
      seq++;
      now = clock_ns(CLOCK_MONOTONIC);
    }
  }
  close(timer);
  close(ep);

  qsort(late, n_late, sizeof *late, compare_double);
  g_autoptr(GString) out = g_string_new("{\"done\":true,");
  g_string_append_printf(out, "\"sent\":%u,", seq);
  print_array(out, "lat", t.lat, t.received);
  g_string_append(out, ",");
  print_array(out, "lat_kernel", t.lat_kernel, t.received);
  g_string_append_printf(out, ",\"stalls\":{\"send_late_p99_ms\":%.3f,\"send_late_max_ms\":%.3f}}",
                         n_late ? late[(guint)(0.99 * n_late)] : 0.0,
                         n_late ? late[n_late - 1] : 0.0);
  printf("%s\n", out->str);
  fflush(stdout);
  g_free(t.sent_mono);
  g_free(t.sent_real);
  g_free(t.lat);
  g_free(t.lat_kernel);
  g_free(late);
}

int
main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: %s PORT PAIRS_FILE\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]);
  g_autofree char *pairs_text = NULL;
  if (!g_file_get_contents(argv[2], &pairs_text, NULL, NULL)) {
    fprintf(stderr, "hub-bench-probe: cannot read %s\n", argv[2]);
    return 1;
  }
  SSL_CTX *tls = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(tls, SSL_VERIFY_NONE, NULL); /* the hub's self-signed bench certificate */

  g_autoptr(GPtrArray) calls = g_ptr_array_new();
  guint failed = 0;
  g_auto(GStrv) lines = g_strsplit(pairs_text, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    if (!*lines[i])
      continue;
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, lines[i], -1, NULL))
      continue;
    Call *c = g_new0(Call, 1);
    if (call_setup(c, tls, port, json_node_get_object(json_parser_get_root(p)))) {
      g_ptr_array_add(calls, c);
    } else {
      call_free(c);
      failed++;
    }
  }
  printf("{\"ready\":true,\"held\":%u,\"failed\":%u,\"calls\":%u}\n", calls->len * 2, failed,
         calls->len);
  fflush(stdout);

  char line[128];
  double rate = 0, seconds = 0;
  if (!fgets(line, sizeof line, stdin) || sscanf(line, "%lf %lf", &rate, &seconds) != 2 ||
      rate <= 0 || seconds <= 0 || calls->len == 0)
    return 1;
  relay(calls, rate, seconds);
  for (guint i = 0; i < calls->len; i++)
    call_free(calls->pdata[i]);
  SSL_CTX_free(tls);
  return 0;
}
