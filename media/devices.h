/* Capture devices for the whole process: one GstDeviceMonitor, started once on its own thread,
 * whose findings (microphones per provider kind, cameras) are kept up to date from its
 * device-added/removed messages. Asking costs no device-monitor pass: PulseAudio's provider can
 * block for tens of seconds on a wedged sound server, and the kiosk asks on its UI thread. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Starts discovery on its own thread and returns at once. Idempotent. After gst_init(). */
void vindu_devices_start(void);

/* Stops the monitor, joins its thread and drops every device it holds. The next
 * vindu_devices_start() begins afresh (a provider registered since is then seen). */
void vindu_devices_stop(void);

/* Waits up to timeout_ms for the first pass over the devices; TRUE once it is done (or when
 * discovery is not started). */
gboolean vindu_devices_wait_first_pass(int timeout_ms);

/* Microphones (audio capture devices that are not an output's monitor): of PulseAudio's
 * provider only (what pulsesrc can open), or of any provider (what autoaudiosrc can open), in
 * *n. FALSE when that is not known yet: the monitor's first pass has not finished (*n is then
 * what it found so far, 0). The first question of the process waits up to 2 s for that pass;
 * once one has waited in vain, none waits again (see FIRST_PASS_WAIT_MS). */
gboolean vindu_devices_count_microphones(gboolean pulse_only, guint *n);

/* The same count, 0 when not known yet. */
guint vindu_devices_microphones(gboolean pulse_only);

/* The cameras (Video/Source devices), in the monitor's order; none while the first pass has not
 * finished. One monitor lists microphones and cameras, so a sound server that blocks its start
 * holds the cameras back too: calls then go out with audio only until it answers.
 * Returns: (transfer full) (element-type GstDevice) */
GList *vindu_devices_cameras(void);

/* A string property of a device ("device.path"), or NULL. Returns: (transfer full) */
char *vindu_device_property(GstDevice *device, const char *name);

G_END_DECLS
