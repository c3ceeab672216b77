/* libwebsockets before 4.3.3, on libuv (Debian 12 ships 4.1.6), stops its idle handler while
 * TLS data is still buffered inside OpenSSL (fixed upstream by "libuv: fix idle being stopped
 * when there is still pending stuff"). The kernel has nothing more to report for that socket,
 * so the rest of a large request body — a photo upload from a browser — waits forever.
 *
 * After every loop turn a check handle asks lws whether it has pending work
 * (lws_service_adjust_timeout() answers 0 then); if so an idle handle keeps libuv from
 * blocking and forces that service each turn until nothing is pending, as the fixed lws does. */
#define G_LOG_DOMAIN "vindu-hub"
#include "tls_pending.h"

#include <glib.h>

#if LWS_LIBRARY_VERSION_NUMBER < 4003003
/* Exported by the library but not declared in its headers: the forced service that lws's own
 * idle handler runs. */
int _lws_plat_service_forced_tsi(struct lws_context *context, int tsi);
#define NEEDS_WORKAROUND 1
#else
#define NEEDS_WORKAROUND 0
#endif

struct _HubTlsPending {
  uv_check_t check;
  uv_idle_t idle;
  struct lws_context *ctx;
  int closing;
};

static gboolean
lws_has_pending(struct lws_context *ctx)
{
  return lws_service_adjust_timeout(ctx, 1, 0) == 0;
}

static void
on_idle(uv_idle_t *idle)
{
  HubTlsPending *p = idle->data;
#if NEEDS_WORKAROUND
  _lws_plat_service_forced_tsi(p->ctx, 0);
#endif
  if (!lws_has_pending(p->ctx))
    uv_idle_stop(idle);
}

static void
on_check(uv_check_t *check)
{
  HubTlsPending *p = check->data;
  if (lws_has_pending(p->ctx))
    uv_idle_start(&p->idle, on_idle);
}

HubTlsPending *
hub_tls_pending_start(uv_loop_t *loop, struct lws_context *ctx)
{
  HubTlsPending *p = g_new0(HubTlsPending, 1);
  p->ctx = ctx;
  uv_check_init(loop, &p->check);
  uv_idle_init(loop, &p->idle);
  p->check.data = p;
  p->idle.data = p;
  if (NEEDS_WORKAROUND)
    uv_check_start(&p->check, on_check);
  return p;
}

static void
on_closed(uv_handle_t *handle)
{
  HubTlsPending *p = handle->data;
  if (--p->closing == 0)
    g_free(p);
}

void
hub_tls_pending_stop(HubTlsPending *p)
{
  if (!p)
    return;
  p->closing = 2;
  uv_close((uv_handle_t *)&p->check, on_closed);
  uv_close((uv_handle_t *)&p->idle, on_closed);
}
