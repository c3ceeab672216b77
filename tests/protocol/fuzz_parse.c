/* libFuzzer target: any frame either parses into a message that serializes and parses again to
 * the same object, or fails with a protocol error code. Never a crash, leak or UB. */
#include "protocol.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GError *error = NULL;
  VpMessage *msg = vp_message_parse((const char *)data, size, &error);
  if (!msg) {
    if (!error || error->domain != VP_ERROR || error->code < 0 || error->code >= VP_ERROR__COUNT)
      __builtin_trap();
    g_error_free(error);
    return 0;
  }
  gsize len = 0;
  char *json = vp_message_to_json(msg, &len, NULL);
  if (!json)
    __builtin_trap(); /* a parsed message must serialize */
  VpMessage *again = vp_message_parse(json, len, NULL);
  if (!again || vp_message_type(again) != vp_message_type(msg) ||
      !json_object_equal(vp_message_object(again), vp_message_object(msg)))
    __builtin_trap();
  vp_message_unref(again);
  g_free(json);
  vp_message_unref(msg);
  return 0;
}
