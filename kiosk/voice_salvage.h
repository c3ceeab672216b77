/* What a crash or power cut leaves of a voice reply. The outbox keeps its row from the moment
 * recording starts (kiosk/outbox.h): at start, one whose "Stop and send" was touched is kept as far
 * as it got (cut to its last whole Ogg page) and sent; one still being recorded, or one with no
 * sound on disk, is removed and counted so the resident is told; recordings that no row keeps
 * (left by older versions) are removed. */
#pragma once

#include <glib.h>

#include "kiosk/cache.h"

G_BEGIN_DECLS

typedef struct {
  guint kept;    /* stopped replies made ready to send */
  guint lost;    /* replies removed: the resident is told */
  char *lost_to; /* the person the first lost one was for (transfer full, may be NULL) */
} VkVoiceSalvage;

/* Run at start, before the outbox sends anything. */
void vk_voice_salvage(VkCache *c, VkVoiceSalvage *out);
void vk_voice_salvage_clear(VkVoiceSalvage *s);

/* Cuts the Ogg Opus file at path to its last whole page. TRUE with its length when at least one
 * page carries sound. */
gboolean vk_voice_salvage_file(const char *path, guint *duration_ms);

G_END_DECLS
