#define G_LOG_DOMAIN "vindu-plugins"
#include "runner_link.h"

#include "plugin_wire.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Backoff after a fault: 0.5 s, doubling, at most 30 s; forgotten after a minute of running. */
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define STEADY_US (60 * G_USEC_PER_SEC)

typedef struct {
  JsonNode *request; /* with its "id" */
  RunnerReplyFn done;
  gpointer data;
} Pending;

struct RunnerLink {
  RunnerLinkOptions opts; /* paths owned */
  RunnerLinkEvents events;
  RunnerState state;
  GSubprocess *process;
  GCancellable *waiting; /* the wait for this process's end */
  int fd;                /* our end of the socket pair, or -1 */
  guint in_watch, out_watch, deadline, restart;
  GString *in, *out;
  GQueue queue;       /* Pending*, the head in flight once sent */
  gboolean head_sent; /* the queue's head is in flight */
  gint64 next_id;
  gboolean hung; /* we killed it for missing a deadline */
  guint backoff_ms;
  gint64 started_us;
  guint starts;
};

static void pump(RunnerLink *link);
static void stop_process(RunnerLink *link);

static void
pending_finish(Pending *p, RunnerLink *link, JsonObject *reply)
{
  if (p->done)
    p->done(link, reply, p->data);
  json_node_unref(p->request);
  g_free(p);
}

static void
drop_queue(RunnerLink *link)
{
  Pending *p;
  while ((p = g_queue_pop_head(&link->queue)))
    pending_finish(p, link, NULL);
  link->head_sent = FALSE;
}

RunnerLink *
runner_link_new(const RunnerLinkOptions *options, const RunnerLinkEvents *events)
{
  RunnerLink *link = g_new0(RunnerLink, 1);
  link->opts = *options;
  link->opts.runner_path = g_strdup(options->runner_path);
  link->opts.plugin_path = g_strdup(options->plugin_path);
  link->events = *events;
  link->fd = -1;
  link->in = g_string_new(NULL);
  link->out = g_string_new(NULL);
  link->state = RUNNER_STOPPED;
  link->backoff_ms = BACKOFF_FIRST_MS;
  return link;
}

void
runner_link_free(RunnerLink *link)
{
  if (!link)
    return;
  g_clear_handle_id(&link->restart, g_source_remove);
  stop_process(link);
  drop_queue(link);
  g_string_free(link->in, TRUE);
  g_string_free(link->out, TRUE);
  g_free((char *)link->opts.runner_path);
  g_free((char *)link->opts.plugin_path);
  g_free(link);
}

RunnerState
runner_link_state(RunnerLink *link)
{
  return link->state;
}

const char *
runner_link_plugin_path(RunnerLink *link)
{
  return link->opts.plugin_path;
}

int
runner_link_pid(RunnerLink *link)
{
  const char *id = link->process ? g_subprocess_get_identifier(link->process) : NULL;
  return id ? atoi(id) : 0;
}

guint
runner_link_starts(RunnerLink *link)
{
  return link->starts;
}

/* Closes our end and forgets the process (killing it if it still runs). */
static void
stop_process(RunnerLink *link)
{
  g_clear_handle_id(&link->in_watch, g_source_remove);
  g_clear_handle_id(&link->out_watch, g_source_remove);
  g_clear_handle_id(&link->deadline, g_source_remove);
  if (link->fd >= 0)
    close(link->fd);
  link->fd = -1;
  g_string_truncate(link->in, 0);
  g_string_truncate(link->out, 0);
  if (link->waiting)
    g_cancellable_cancel(link->waiting);
  g_clear_object(&link->waiting);
  if (link->process)
    g_subprocess_force_exit(link->process);
  g_clear_object(&link->process);
}

static gboolean
restart_cb(gpointer data)
{
  RunnerLink *link = data;
  link->restart = 0;
  runner_link_start(link);
  return G_SOURCE_REMOVE;
}

/* The runner is gone (crash, deadline, end): tell the host, then start again after a while. */
static void
fault(RunnerLink *link, const char *what)
{
  Pending *head = link->head_sent ? g_queue_pop_head(&link->queue) : NULL;
  link->head_sent = FALSE;
  if (g_get_monotonic_time() - link->started_us > STEADY_US)
    link->backoff_ms = BACKOFF_FIRST_MS;
  stop_process(link);
  link->state = RUNNER_RESTARTING;
  g_warning("plugin runner for %s %s; starting it again in %u ms", link->opts.plugin_path, what,
            link->backoff_ms);
  link->restart = g_timeout_add(link->backoff_ms, restart_cb, link);
  link->backoff_ms = MIN(link->backoff_ms * 2, BACKOFF_MAX_MS);
  if (link->events.fault)
    link->events.fault(link, what, head ? json_node_get_object(head->request) : NULL,
                       link->events.data);
  if (head)
    pending_finish(head, link, NULL);
  drop_queue(link);
}

static void
on_runner_exit(GObject *source, GAsyncResult *result, gpointer data)
{
  GSubprocess *process = G_SUBPROCESS(source);
  if (!g_subprocess_wait_finish(process, result, NULL))
    return; /* cancelled: we stopped it ourselves, and the link may be gone */
  RunnerLink *link = data;
  if (process != link->process || link->state == RUNNER_REFUSED)
    return;
  gboolean crashed = g_subprocess_get_if_signaled(process);
  fault(link, link->hung ? "missed its deadline" : crashed ? "crashed" : "ended");
}

static gboolean
deadline_cb(gpointer data)
{
  RunnerLink *link = data;
  link->deadline = 0;
  link->hung = TRUE;
  if (link->process)
    g_subprocess_force_exit(link->process); /* on_runner_exit reports it */
  return G_SOURCE_REMOVE;
}

static gboolean
on_writable(gint fd, GIOCondition cond, gpointer data)
{
  RunnerLink *link = data;
  while (link->out->len) {
    ssize_t n = write(fd, link->out->str, link->out->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return G_SOURCE_CONTINUE;
    if (n <= 0)
      break; /* the runner is gone: on_runner_exit will say how */
    g_string_erase(link->out, 0, n);
  }
  link->out_watch = 0;
  return G_SOURCE_REMOVE;
}

static void
send_node(RunnerLink *link, JsonNode *node)
{
  g_autofree char *text = json_to_string(node, FALSE);
  g_string_append(link->out, text);
  g_string_append_c(link->out, '\n');
  if (!link->out_watch && link->fd >= 0)
    link->out_watch = g_unix_fd_add(link->fd, G_IO_OUT, on_writable, link);
}

/* Sends the queue's head if nothing is in flight. */
static void
pump(RunnerLink *link)
{
  if (link->head_sent || link->fd < 0 || g_queue_is_empty(&link->queue))
    return;
  Pending *p = g_queue_peek_head(&link->queue);
  gboolean opening = link->state == RUNNER_STARTING;
  if (!opening && link->state != RUNNER_RUNNING)
    return;
  send_node(link, p->request);
  link->head_sent = TRUE;
  link->deadline = g_timeout_add(opening ? link->opts.open_deadline_ms : link->opts.deadline_ms,
                                 deadline_cb, link);
}

static void
handle_reply(RunnerLink *link, JsonObject *msg)
{
  Pending *head = link->head_sent ? g_queue_peek_head(&link->queue) : NULL;
  if (!head || vindu_wire_int(msg, "re", -1) !=
                   vindu_wire_int(json_node_get_object(head->request), "id", -2))
    return; /* a reply to nothing we asked: ignored */
  g_queue_pop_head(&link->queue);
  link->head_sent = FALSE;
  g_clear_handle_id(&link->deadline, g_source_remove);
  pending_finish(head, link, msg);
  pump(link);
}

static void
handle_line(RunnerLink *link, const char *line, gsize len)
{
  g_autoptr(JsonObject) msg = vindu_wire_parse(line, (gssize)len);
  if (!msg)
    return;
  if (json_object_has_member(msg, "re"))
    handle_reply(link, msg);
  else if (vindu_wire_string(msg, "svc") && link->state == RUNNER_RUNNING && link->events.service)
    link->events.service(link, msg, link->events.data);
}

static gboolean
on_readable(gint fd, GIOCondition cond, gpointer data)
{
  RunnerLink *link = data;
  char chunk[16384];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0) {
    link->in_watch = 0; /* the end: on_runner_exit says how it ended */
    return G_SOURCE_REMOVE;
  }
  g_string_append_len(link->in, chunk, n);
  char *nl;
  while (link->fd == fd && (nl = memchr(link->in->str, '\n', link->in->len))) {
    gsize len = (gsize)(nl - link->in->str);
    g_autofree char *line = g_strndup(link->in->str, len);
    g_string_erase(link->in, 0, (gssize)len + 1);
    handle_line(link, line, len); /* may stop the process (a refusal) */
  }
  if (link->fd != fd)
    return G_SOURCE_REMOVE;
  if (link->in->len > VINDU_WIRE_MAX_LINE) {
    link->hung = FALSE;
    g_subprocess_force_exit(link->process); /* a runner talking nonsense is a fault too */
  }
  return G_SOURCE_CONTINUE;
}

static void
on_open_reply(RunnerLink *link, JsonObject *reply, gpointer data)
{
  if (!reply)
    return; /* the fault path already took over */
  if (!json_object_get_boolean_member_with_default(reply, "ok", FALSE)) {
    const char *why = vindu_wire_string(reply, "refused");
    link->state = RUNNER_REFUSED;
    stop_process(link);
    if (link->events.refused)
      link->events.refused(link, why ? why : "refused", link->events.data);
    return;
  }
  link->state = RUNNER_RUNNING;
  if (link->events.opened)
    link->events.opened(link, reply, link->events.data);
}

static gboolean
spawn(RunnerLink *link, GError **error)
{
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "socketpair: %s",
                g_strerror(errno));
    return FALSE;
  }
  g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_take_fd(launcher, pair[1], 3);
  g_autofree char *memory = g_strdup_printf("--memory-mb=%u", link->opts.memory_mb);
  link->process = g_subprocess_launcher_spawn(launcher, error, link->opts.runner_path, "--fd=3",
                                              memory, link->opts.plugin_path, NULL);
  if (!link->process) {
    close(pair[0]);
    return FALSE;
  }
  link->fd = pair[0];
  g_unix_set_fd_nonblocking(link->fd, TRUE, NULL);
  link->in_watch = g_unix_fd_add(link->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, link);
  link->waiting = g_cancellable_new();
  g_subprocess_wait_async(link->process, link->waiting, on_runner_exit, link);
  return TRUE;
}

void
runner_link_start(RunnerLink *link)
{
  if (link->state == RUNNER_REFUSED || link->process)
    return;
  g_clear_handle_id(&link->restart, g_source_remove);
  link->hung = FALSE;
  link->starts++;
  link->started_us = g_get_monotonic_time();
  g_autoptr(GError) error = NULL;
  if (!spawn(link, &error)) {
    link->state = RUNNER_REFUSED;
    g_warning("plugin %s: cannot start its runner: %s", link->opts.plugin_path, error->message);
    if (link->events.refused)
      link->events.refused(link, error->message, link->events.data);
    return;
  }
  link->state = RUNNER_STARTING;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "call");
  json_builder_add_string_value(b, "open");
  if (link->events.build_open)
    link->events.build_open(link, b, link->events.data);
  json_builder_end_object(b);
  /* the open request goes first, ahead of anything queued before the start */
  drop_queue(link);
  runner_link_request(link, json_builder_get_root(b), on_open_reply, NULL);
}

void
runner_link_request(RunnerLink *link, JsonNode *request, RunnerReplyFn done, gpointer data)
{
  if (link->state != RUNNER_RUNNING && link->state != RUNNER_STARTING) {
    json_node_unref(request);
    if (done)
      done(link, NULL, data);
    return;
  }
  json_object_set_int_member(json_node_get_object(request), "id", ++link->next_id);
  Pending *p = g_new0(Pending, 1);
  p->request = request;
  p->done = done;
  p->data = data;
  g_queue_push_tail(&link->queue, p);
  pump(link);
}

void
runner_link_set(RunnerLink *link, JsonNode *settings)
{
  if (link->fd >= 0 && link->state == RUNNER_RUNNING)
    send_node(link, settings);
  json_node_unref(settings);
}

void
runner_link_refuse(RunnerLink *link)
{
  link->state = RUNNER_REFUSED;
  g_clear_handle_id(&link->restart, g_source_remove);
  stop_process(link);
  drop_queue(link);
}
