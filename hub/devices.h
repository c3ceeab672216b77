/* A person's devices, as records (docs/protocol.md, "A person's devices"): each browser a person
 * signs in on has its own session (table `sessions`, made in signin.c); a one-time link, kept
 * hashed, signs another device in as the same person. The wire side (`device.link`,
 * `device.list`, `device.revoke`, who may ask) is auth.c's. */
#pragma once

#include "db.h"

G_BEGIN_DECLS

#define HUB_DEVICE_LINK_TTL_S 600     /* ten minutes: enough to pick up the other phone */
#define HUB_DEVICE_LINKS_PER_PERSON 5 /* links open at once */
#define HUB_DEVICES_PER_PERSON 20     /* sessions a person may hold */

typedef enum {
  HUB_DEVICE_LINK_MADE,
  HUB_DEVICE_LINK_TOO_MANY_DEVICES,
  HUB_DEVICE_LINK_TOO_MANY_LINKS,
  HUB_DEVICE_LINK_FAILED,
} HubDeviceLinkResult;

/* A new one-time link for `person`: its token (shown once, kept hashed) and when it expires. */
HubDeviceLinkResult hub_device_link_create(HubDb *db, const char *person, char **token_out,
                                           gint64 *expires_at_out);

typedef struct {
  char *id, *name;
  gint64 created_at, last_seen_at; /* last_seen_at 0: never */
} HubDevice;
void hub_device_free(HubDevice *d);
/* The person's devices, oldest first. (element-type HubDevice) (transfer full) */
GPtrArray *hub_devices_of(HubDb *db, const char *person);
/* Ends one device's session and drops the push subscriptions it made; HUB_DB_ERROR_NOT_FOUND
 * when `person` has no such device (then nothing changed). */
gboolean hub_device_revoke(HubDb *db, const char *person, const char *device, GError **error);

G_END_DECLS
