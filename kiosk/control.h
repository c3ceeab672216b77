/* --control: a line protocol on stdin for tests and the benchmark (never on a real kiosk).
 * Commands: "call ID", "touch WIDGET", "tap WIDGET" (through the SDL queue, timed), "answer",
 * "decline", "hangup", "cancel", "home", "status", "quit". The kiosk prints "vindu-kiosk: state
 * NAME" whenever the screen state changes and "vindu-kiosk: status k=v ..." for "status". */
#pragma once

#include "kiosk/app.h"
#include "kiosk/hub_client/client.h"

G_BEGIN_DECLS

/* Returns the watch id (remove with g_source_remove). */
guint vk_control_attach(VkApp *app, VkHubClient **hub);

G_END_DECLS
