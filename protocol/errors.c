/* Protocol error codes and their wire names. */
#include "schema.h"

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vp-error-quark, vp_error)
/* clang-format on */

/* NULL-terminated so the schema can use it as the list of allowed `code` values. */
/* clang-format off */
const char *const vp_error_code_names[VP_ERROR__COUNT + 1] = {
  [VP_ERROR_BAD_JSON] = "bad_json",
  [VP_ERROR_BAD_UTF8] = "bad_utf8",
  [VP_ERROR_TOO_LARGE] = "too_large",
  [VP_ERROR_UNKNOWN_TYPE] = "unknown_type",
  [VP_ERROR_MISSING_FIELD] = "missing_field",
  [VP_ERROR_WRONG_TYPE] = "wrong_type",
  [VP_ERROR_OUT_OF_RANGE] = "out_of_range",
  [VP_ERROR_BAD_FORMAT] = "bad_format",
  [VP_ERROR_VERSION_UNSUPPORTED] = "version_unsupported",
  [VP_ERROR_NOT_AUTHENTICATED] = "not_authenticated",
  [VP_ERROR_BAD_CREDENTIALS] = "bad_credentials",
  [VP_ERROR_FORBIDDEN] = "forbidden",
  [VP_ERROR_NOT_FOUND] = "not_found",
  [VP_ERROR_CONFLICT] = "conflict",
  [VP_ERROR_BUSY] = "busy",
  [VP_ERROR_QUIET_HOURS] = "quiet_hours",
  [VP_ERROR_OFFLINE] = "offline",
  [VP_ERROR_RATE_LIMITED] = "rate_limited",
  [VP_ERROR_REVOKED] = "revoked",
  [VP_ERROR_INTERNAL] = "internal",
  [VP_ERROR_UNKNOWN_KIND] = "unknown_kind",
  [VP_ERROR_QUOTA_MESSAGES] = "quota_messages",
  [VP_ERROR_QUOTA_STORAGE] = "quota_storage",
  [VP_ERROR_QUOTA_DOCUMENTS] = "quota_documents",
  [VP_ERROR_STORAGE_FULL] = "storage_full",
};
/* clang-format on */

const char *
vp_error_code_name(VpErrorCode code)
{
  if ((unsigned)code >= VP_ERROR__COUNT)
    return "internal";
  return vp_error_code_names[code];
}

gboolean
vp_error_code_from_name(const char *name, VpErrorCode *out)
{
  for (int i = 0; name && i < VP_ERROR__COUNT; i++) {
    if (g_str_equal(name, vp_error_code_names[i])) {
      if (out)
        *out = (VpErrorCode)i;
      return TRUE;
    }
  }
  return FALSE;
}
