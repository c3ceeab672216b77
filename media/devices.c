#include "media/devices.h"

/* A question waits this long for the first pass, once per process: right after start-up it is
 * usually a moment away. If it does not come in time (a sound server not answering blocks the
 * monitor's start for tens of seconds, or for good), no later question waits again: each would
 * block its caller, the kiosk's UI thread among them, for nothing. */
#define FIRST_PASS_WAIT_MS 2000
static gint gave_up_waiting; /* atomic: a question already waited in vain */

typedef struct {
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GMutex lock;
  GCond first_pass_cond;
  gboolean first_pass_done;  /* under lock */
  GList *cameras;            /* under lock, (element-type GstDevice) */
  gint mics_any, mics_pulse; /* atomic */
  gint monitor_failed;       /* atomic: readers probe the providers themselves */
} Discovery;

static GMutex discovery_lock; /* guards the pointer below, not its contents */
static Discovery *discovery;

char *
vindu_device_property(GstDevice *device, const char *name)
{
  g_autoptr(GstStructure) props = gst_device_get_properties(device);
  const char *value = props ? gst_structure_get_string(props, name) : NULL;
  return g_strdup(value);
}

/* PulseAudio lists each output's "monitor" as a source too: not a microphone. */
static gboolean
is_microphone(GstDevice *device)
{
  if (!gst_device_has_classes(device, "Audio/Source"))
    return FALSE;
  g_autofree char *klass = vindu_device_property(device, "device.class");
  return g_strcmp0(klass, "monitor") != 0;
}

/* A provider adds its devices as its children, so the parent says where one came from. */
static gboolean
from_pulse(GstDevice *device)
{
  g_autoptr(GstObject) parent = gst_object_get_parent(GST_OBJECT(device));
  if (!parent || !GST_IS_DEVICE_PROVIDER(parent))
    return FALSE;
  GstDeviceProviderFactory *factory = gst_device_provider_get_factory(GST_DEVICE_PROVIDER(parent));
  return factory && g_strcmp0(GST_OBJECT_NAME(factory), "pulsedeviceprovider") == 0;
}

/* Monitor thread: what the started monitor holds now (its providers' lists, no new probe). */
static void
recount(Discovery *d, GstDeviceMonitor *monitor)
{
  GList *devices = gst_device_monitor_get_devices(monitor);
  GList *cameras = NULL;
  gint any = 0, pulse = 0;
  for (GList *l = devices; l; l = l->next) {
    GstDevice *device = l->data;
    if (gst_device_has_classes(device, "Video/Source"))
      cameras = g_list_prepend(cameras, gst_object_ref(device));
    else if (is_microphone(device)) {
      any++;
      pulse += from_pulse(device);
    }
  }
  g_list_free_full(devices, gst_object_unref);
  g_mutex_lock(&d->lock);
  GList *old = d->cameras;
  d->cameras = g_list_reverse(cameras);
  g_atomic_int_set(&d->mics_any, any);
  g_atomic_int_set(&d->mics_pulse, pulse);
  g_mutex_unlock(&d->lock);
  g_list_free_full(old, gst_object_unref);
  g_debug("devices: %d microphone(s), %d of them PulseAudio's, %u camera(s)", any, pulse,
          g_list_length(d->cameras));
}

typedef struct {
  Discovery *d;
  GstDeviceMonitor *monitor;
} Watch;

static gboolean
on_monitor_message(GstBus *bus, GstMessage *message, gpointer user_data)
{
  Watch *w = user_data;
  switch (GST_MESSAGE_TYPE(message)) {
  case GST_MESSAGE_DEVICE_ADDED:
  case GST_MESSAGE_DEVICE_REMOVED:
  case GST_MESSAGE_DEVICE_CHANGED:
    recount(w->d, w->monitor);
    break;
  default:
    break;
  }
  return G_SOURCE_CONTINUE;
}

static void
finish_first_pass(Discovery *d)
{
  g_mutex_lock(&d->lock);
  d->first_pass_done = TRUE;
  g_cond_broadcast(&d->first_pass_cond);
  g_mutex_unlock(&d->lock);
}

/* Its own thread: starting the providers may block (a wedged sound server) without holding
 * anyone up; then it follows their messages until vindu_devices_stop(). */
static gpointer
monitor_thread(gpointer data)
{
  Discovery *d = data;
  g_main_context_push_thread_default(d->context);
  GstDeviceMonitor *monitor = gst_device_monitor_new();
  gst_device_monitor_add_filter(monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter(monitor, "Video/Source", NULL);
  Watch watch = {d, monitor};
  GstBus *bus = gst_device_monitor_get_bus(monitor);
  GSource *source = gst_bus_create_watch(bus);
  g_source_set_callback(source, G_SOURCE_FUNC(on_monitor_message), &watch, NULL);
  g_source_attach(source, d->context);
  gboolean started = gst_device_monitor_start(monitor);
  if (started)
    recount(d, monitor);
  else {
    g_message("the device monitor did not start: devices are listed at each call instead");
    g_atomic_int_set(&d->monitor_failed, 1);
  }
  finish_first_pass(d);
  g_main_loop_run(d->loop);
  if (started)
    gst_device_monitor_stop(monitor);
  g_source_destroy(source);
  g_source_unref(source);
  gst_object_unref(bus);
  gst_object_unref(monitor);
  g_main_context_pop_thread_default(d->context);
  return NULL;
}

void
vindu_devices_start(void)
{
  g_mutex_lock(&discovery_lock);
  if (!discovery) {
    Discovery *d = g_new0(Discovery, 1);
    g_mutex_init(&d->lock);
    g_cond_init(&d->first_pass_cond);
    d->context = g_main_context_new();
    d->loop = g_main_loop_new(d->context, FALSE);
    d->thread = g_thread_new("vindu-devices", monitor_thread, d);
    discovery = d;
  }
  g_mutex_unlock(&discovery_lock);
}

static gboolean
quit_loop(gpointer data)
{
  g_main_loop_quit(data);
  return G_SOURCE_REMOVE;
}

void
vindu_devices_stop(void)
{
  g_mutex_lock(&discovery_lock);
  Discovery *d = g_steal_pointer(&discovery);
  g_mutex_unlock(&discovery_lock);
  if (!d)
    return;
  /* Through the thread's own context: a quit before its loop runs would be lost. */
  g_main_context_invoke(d->context, quit_loop, d->loop);
  g_thread_join(d->thread);
  g_list_free_full(d->cameras, gst_object_unref);
  g_main_loop_unref(d->loop);
  g_main_context_unref(d->context);
  g_cond_clear(&d->first_pass_cond);
  g_mutex_clear(&d->lock);
  g_free(d);
}

/* The running discovery once its first pass is done (waiting up to timeout_ms), or NULL; the
 * discovery lock stays held while the caller reads it (so stop cannot free it meanwhile). */
static Discovery *
lock_discovery(int timeout_ms)
{
  g_mutex_lock(&discovery_lock);
  Discovery *d = discovery;
  if (!d)
    return NULL;
  gint64 until = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  g_mutex_lock(&d->lock);
  while (!d->first_pass_done && g_cond_wait_until(&d->first_pass_cond, &d->lock, until))
    ;
  g_mutex_unlock(&d->lock);
  return d;
}

/* lock_discovery for a question about the devices: *known says whether the first pass is done
 * (or the devices are probed at each question instead), so the answer is what is there. */
static Discovery *
lock_for_question(gboolean *known)
{
  gboolean wait = !g_atomic_int_get(&gave_up_waiting);
  Discovery *d = lock_discovery(wait ? FIRST_PASS_WAIT_MS : 0);
  *known = TRUE;
  if (d) {
    g_mutex_lock(&d->lock);
    *known = d->first_pass_done;
    g_mutex_unlock(&d->lock);
  }
  if (!*known && wait && g_atomic_int_compare_and_exchange(&gave_up_waiting, 0, 1))
    g_message("device discovery has not finished (a sound server not answering?): not known "
              "yet, and no question waits for it again");
  return d;
}

gboolean
vindu_devices_wait_first_pass(int timeout_ms)
{
  Discovery *d = lock_discovery(timeout_ms);
  gboolean done = TRUE;
  if (d) {
    g_mutex_lock(&d->lock);
    done = d->first_pass_done;
    g_mutex_unlock(&d->lock);
  }
  g_mutex_unlock(&discovery_lock);
  return done;
}

/* -- without a running monitor: one pass per question ------------------------------------- */

/* Devices of one class from one provider, or from all (provider NULL).
 * Returns: (transfer full) (element-type GstDevice) */
static GList *
probe_devices(const char *klass, const char *provider)
{
  if (provider) {
    g_autoptr(GstDeviceProvider) p = gst_device_provider_factory_get_by_name(provider);
    GList *all = p ? gst_device_provider_get_devices(p) : NULL, *found = NULL;
    for (GList *l = all; l; l = l->next)
      if (gst_device_has_classes(l->data, klass))
        found = g_list_prepend(found, gst_object_ref(l->data));
    g_list_free_full(all, gst_object_unref);
    return g_list_reverse(found);
  }
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new();
  gst_device_monitor_add_filter(monitor, klass, NULL);
  if (!gst_device_monitor_start(monitor))
    return NULL;
  GList *devices = gst_device_monitor_get_devices(monitor);
  gst_device_monitor_stop(monitor);
  return devices;
}

static guint
probe_microphones(gboolean pulse_only)
{
  GList *devices = probe_devices("Audio/Source", pulse_only ? "pulsedeviceprovider" : NULL);
  guint n = 0;
  for (GList *l = devices; l; l = l->next)
    n += is_microphone(l->data);
  g_list_free_full(devices, gst_object_unref);
  return n;
}

gboolean
vindu_devices_count_microphones(gboolean pulse_only, guint *n)
{
  gboolean known;
  Discovery *d = lock_for_question(&known);
  gboolean probe = !d || g_atomic_int_get(&d->monitor_failed);
  *n = d ? (guint)g_atomic_int_get(pulse_only ? &d->mics_pulse : &d->mics_any) : 0;
  g_mutex_unlock(&discovery_lock);
  if (probe)
    *n = probe_microphones(pulse_only);
  return known || probe;
}

guint
vindu_devices_microphones(gboolean pulse_only)
{
  guint n;
  (void)vindu_devices_count_microphones(pulse_only, &n);
  return n;
}

GList *
vindu_devices_cameras(void)
{
  gboolean known;
  Discovery *d = lock_for_question(&known);
  gboolean probe = !d || g_atomic_int_get(&d->monitor_failed);
  GList *cameras = NULL;
  if (d && !probe) {
    g_mutex_lock(&d->lock);
    for (GList *l = d->cameras; l; l = l->next)
      cameras = g_list_prepend(cameras, gst_object_ref(l->data));
    cameras = g_list_reverse(cameras);
    g_mutex_unlock(&d->lock);
  }
  g_mutex_unlock(&discovery_lock);
  return probe ? probe_devices("Video/Source", NULL) : cameras;
}
