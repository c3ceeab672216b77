#define G_LOG_DOMAIN "vindu-hub"
#include "loop.h"

#include "stats.h"

typedef struct {
  uv_poll_t handle;
  int fd;
  int events; /* what libuv watches now (0: stopped) */
  gboolean active;
  gushort revents;
} PollEntry;

struct _HubLoop {
  uv_loop_t uv;
  GMainContext *ctx;
  uv_prepare_t prepare;
  uv_check_t check;
  uv_timer_t timer;
  GPollFD *fds;
  gint fds_alloc;
  gint nfds;
  gint max_priority;
  GPtrArray *polls; /* PollEntry*, never shrinks: libuv owns a handle until it is closed */
  gboolean quit;
  gboolean drained;
  guint64 stat_at, stat_idle; /* for the busy time of one iteration (stats.h) */
  gint64 stat_cpu;
};

static void
on_timer(uv_timer_t *t)
{
  /* nothing: it only ends libuv's wait when GLib's next timeout is due */
}

static void
on_poll(uv_poll_t *handle, int status, int events)
{
  PollEntry *e = handle->data;
  if (status < 0)
    e->revents |= G_IO_ERR;
  if (events & UV_READABLE)
    e->revents |= G_IO_IN;
  if (events & UV_WRITABLE)
    e->revents |= G_IO_OUT;
  if (events & UV_DISCONNECT)
    e->revents |= G_IO_HUP;
}

static PollEntry *
entry_for(HubLoop *l, int fd)
{
  for (guint i = 0; i < l->polls->len; i++) {
    PollEntry *e = l->polls->pdata[i];
    if (e->fd == fd)
      return e;
  }
  PollEntry *e = g_new0(PollEntry, 1);
  e->fd = fd;
  uv_poll_init(&l->uv, &e->handle, fd);
  e->handle.data = e;
  g_ptr_array_add(l->polls, e);
  return e;
}

/* Before libuv waits: GLib's prepare + query; watch its descriptors, bound the wait. */
static void
on_prepare(uv_prepare_t *p)
{
  HubLoop *l = p->data;
  if (hub_stats_enabled) {
    /* busy = time since the last prepare minus the time libuv spent waiting in between */
    guint64 now = uv_hrtime(), idle = uv_metrics_idle_time(&l->uv);
    gint64 cpu = hub_stats_thread_cpu_us();
    if (l->stat_at) {
      hub_stats_add(HUB_STAT_LOOP_BUSY,
                    (gint64)((now - l->stat_at) - (idle - l->stat_idle)) / 1000);
      hub_stats_add(HUB_STAT_LOOP_CPU, cpu - l->stat_cpu);
    }
    l->stat_at = now;
    l->stat_idle = idle;
    l->stat_cpu = cpu;
  }
  gboolean ready = g_main_context_prepare(l->ctx, &l->max_priority);
  gint timeout = -1;
  for (;;) {
    l->nfds = g_main_context_query(l->ctx, l->max_priority, &timeout, l->fds, l->fds_alloc);
    if (l->nfds <= l->fds_alloc)
      break;
    l->fds_alloc = l->nfds;
    l->fds = g_renew(GPollFD, l->fds, l->fds_alloc);
  }
  for (guint i = 0; i < l->polls->len; i++)
    ((PollEntry *)l->polls->pdata[i])->active = FALSE;
  for (gint i = 0; i < l->nfds; i++) {
    PollEntry *e = entry_for(l, l->fds[i].fd);
    int events = 0;
    if (l->fds[i].events & G_IO_IN)
      events |= UV_READABLE;
    if (l->fds[i].events & G_IO_OUT)
      events |= UV_WRITABLE;
    e->active = TRUE;
    e->revents = 0;
    if (e->events != events) { /* re-arming costs two epoll_ctl calls: only on change */
      uv_poll_start(&e->handle, events, on_poll);
      e->events = events;
    }
  }
  for (guint i = 0; i < l->polls->len; i++) {
    PollEntry *e = l->polls->pdata[i];
    if (!e->active && e->events) {
      uv_poll_stop(&e->handle);
      e->events = 0;
    }
  }
  if (ready)
    timeout = 0;
  if (timeout >= 0)
    uv_timer_start(&l->timer, on_timer, (guint64)timeout, 0);
  else
    uv_timer_stop(&l->timer);
}

/* After libuv's wait: GLib's check + dispatch. */
static void
on_check(uv_check_t *c)
{
  HubLoop *l = c->data;
  for (gint i = 0; i < l->nfds; i++) {
    PollEntry *e = entry_for(l, l->fds[i].fd);
    l->fds[i].revents = e->revents;
    e->revents = 0;
  }
  if (g_main_context_check(l->ctx, l->max_priority, l->fds, l->nfds))
    g_main_context_dispatch(l->ctx);
  if (l->quit)
    uv_stop(&l->uv);
}

HubLoop *
hub_loop_new(void)
{
  HubLoop *l = g_new0(HubLoop, 1);
  uv_loop_init(&l->uv);
  hub_stats_init();
  if (hub_stats_enabled)
    uv_loop_configure(&l->uv, UV_METRICS_IDLE_TIME);
  l->ctx = g_main_context_default();
  if (!g_main_context_acquire(l->ctx))
    g_error("another thread owns the GLib main context");
  l->polls = g_ptr_array_new();
  l->fds_alloc = 8;
  l->fds = g_new0(GPollFD, l->fds_alloc);
  uv_prepare_init(&l->uv, &l->prepare);
  l->prepare.data = l;
  uv_check_init(&l->uv, &l->check);
  l->check.data = l;
  uv_timer_init(&l->uv, &l->timer);
  l->timer.data = l;
  uv_prepare_start(&l->prepare, on_prepare);
  uv_check_start(&l->check, on_check);
  return l;
}

uv_loop_t *
hub_loop_uv(HubLoop *l)
{
  return &l->uv;
}

void
hub_loop_run(HubLoop *l)
{
  l->quit = FALSE;
  uv_run(&l->uv, UV_RUN_DEFAULT);
}

void
hub_loop_quit(HubLoop *l)
{
  l->quit = TRUE;
  uv_stop(&l->uv);
}

static void
on_closed(uv_handle_t *h)
{
}

void
hub_loop_drain(HubLoop *l)
{
  if (l->drained)
    return;
  l->drained = TRUE;
  uv_close((uv_handle_t *)&l->prepare, on_closed);
  uv_close((uv_handle_t *)&l->check, on_closed);
  uv_close((uv_handle_t *)&l->timer, on_closed);
  for (guint i = 0; i < l->polls->len; i++)
    uv_close((uv_handle_t *)&((PollEntry *)l->polls->pdata[i])->handle, on_closed);
  /* let every handle (ours and whatever lws still closes) finish */
  uv_run(&l->uv, UV_RUN_DEFAULT);
}

void
hub_loop_free(HubLoop *l)
{
  if (!l)
    return;
  hub_loop_drain(l);
  uv_run(&l->uv, UV_RUN_DEFAULT);
  if (uv_loop_close(&l->uv) != 0)
    g_warning("the event loop still had open handles at exit");
  for (guint i = 0; i < l->polls->len; i++)
    g_free(l->polls->pdata[i]);
  g_ptr_array_unref(l->polls);
  g_free(l->fds);
  g_main_context_release(l->ctx);
  g_free(l);
}
