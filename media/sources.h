/* Capture: the camera (raw or MJPEG), the microphone, or test sources, as chosen by settings.
 * Each source is a bin with one "src" pad giving exactly what the encoders expect. */
#pragma once

#include <gst/gst.h>
#include "media/call.h"

G_BEGIN_DECLS

/* I420 at settings->width x height and fps. Returns NULL without an error when there is no
 * camera (the call goes on audio only); NULL with an error when a camera exists but its bin
 * could not be built. Returns: (transfer floating) (nullable) */
GstElement *vindu_video_source_new(const VinduCallSettings *settings, GError **error);

/* S16LE 48 kHz mono in 10 ms buffers (what webrtcdsp works on). NULL and
 * VINDU_MEDIA_ERROR_NO_MICROPHONE when there is no microphone. Returns: (transfer floating) */
GstElement *vindu_audio_source_new(const VinduCallSettings *settings, GError **error);

/* The caps every audio element of the call works in. */
#define VINDU_AUDIO_WORK_CAPS "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved"
GstCaps *vindu_audio_work_caps(void); /* Returns: (transfer full) */

/* Builds a bin from a gst-launch description with its unlinked pads ghosted.
 * Returns: (transfer floating) (nullable) */
GstElement *vindu_bin_from_description(const char *description, GError **error);

G_END_DECLS
