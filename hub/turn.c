#define G_LOG_DOMAIN "vindu-hub"
#include "turn.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

char *
hub_turn_credential(const char *secret, const char *username)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)username, strlen(username),
       md, &md_len);
  return g_base64_encode(md, md_len);
}

JsonArray *
hub_turn_ice_servers(const char *secret, char *const *urls, int ttl_s, const char *user,
                     gint64 now_s)
{
  if (!secret || !*secret || !urls || !urls[0])
    return NULL;
  g_autofree char *username = g_strdup_printf("%" G_GINT64_FORMAT ":%s", now_s + ttl_s, user);
  g_autofree char *credential = hub_turn_credential(secret, username);
  JsonArray *servers = json_array_new();
  JsonObject *server = json_object_new();
  JsonArray *list = json_array_new();
  for (char *const *u = urls; *u; u++)
    json_array_add_string_element(list, *u);
  json_object_set_array_member(server, "urls", list);
  json_object_set_string_member(server, "username", username);
  json_object_set_string_member(server, "credential", credential);
  json_array_add_object_element(servers, server);
  return servers;
}
