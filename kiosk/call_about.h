/* "Call Anna about this photo": the photo a call the resident starts is about, carried in the
 * call's invite (`about_photo`, docs/protocol.md) so Anna's page can name it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The next call to person_id is about the photo with this hub file hash (NULL: none). */
void vk_call_about_set(const char *person_id, const char *file_hash);
/* The photo a call to person_id is about, taken (asked once, by the invite); NULL when the
 * call is not about a photo. transfer full */
char *vk_call_about_take(const char *person_id);

G_END_DECLS
