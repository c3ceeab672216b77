/* The `paired` message (kiosk_paired.c). */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* Tell the kiosk on `c` its id, secret and household. */
void kiosk_paired_send(Conn *c, const char *kiosk, const char *secret, const char *household);

G_END_DECLS
