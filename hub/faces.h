/* Faces: the photo on a person's tile on the kiosk's home screen (`household.set_photo`,
 * docs/protocol.md). The photo is an uploaded `photo` file of the household (checked by
 * content on upload, files.c); a face is small, so the hub refuses one larger than the limits
 * below, read from the stored file's header without decoding it. The person's photo is one for
 * all their households: the file is linked to each of them, so every kiosk may fetch it. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

#define HUB_FACE_MAX_BYTES (2u * 1024u * 1024u) /* a 1024² JPEG is ~200 KB */
#define HUB_FACE_MAX_SIDE 2048u

/* Is `photo` (a file hash) a photo of `household` small enough for a face? FALSE with the
 * error code and a sentence for the person. */
gboolean hub_face_check(Hub *hub, const char *household, const char *photo, VpErrorCode *code,
                        const char **sentence);
/* Sets (or with "" removes) the photo of `person`, a member of `household`
 * (HUB_DB_ERROR_NOT_FOUND otherwise): links the file to each of the person's households and
 * notes an event for each, so that their kiosks get household.state. */
gboolean hub_face_set(HubDb *db, const char *household, const char *person, const char *photo,
                      GError **error);

G_END_DECLS
