/* Which file of the web root answers a GET, and how it may be cached: the content-hashed names
 * that vindu-web-pack makes are immutable for a year; every other file is revalidated with its
 * ETag (304 when unchanged). A .br or .gz twin is sent when the browser accepts it. */
#pragma once

#include <glib.h>

typedef struct {
  char *path;                /* the file to send: the original or its compressed twin */
  const char *mime;          /* of the original */
  const char *encoding;      /* "br", "gzip" or NULL */
  gboolean varies;           /* a compressed twin exists: caches must key on Accept-Encoding */
  char *etag;                /* quoted, of the file sent */
  const char *cache_control; /* "no-cache" or a year, immutable */
  gboolean immutable;        /* a content-hashed subresource (module, style sheet) */
  gboolean not_modified;     /* If-None-Match matched: answer 304 with no body */
} WebRootAnswer;

/* FALSE when `uri` names no regular file inside `root` (then answer 404). */
gboolean web_root_answer(const char *root, const char *uri, const char *accept_encoding,
                         const char *if_none_match, WebRootAnswer *answer);
void web_root_answer_clear(WebRootAnswer *answer);

/* The media type served for a file name. */
const char *web_root_mime_for(const char *path);
/* Does the client accept this content coding (RFC 9110 12.5.3: listed, q not 0)? */
gboolean web_root_accepts(const char *accept_encoding, const char *coding);
/* Does If-None-Match list this ETag (or "*")? Weak comparison. */
gboolean web_root_etag_matches(const char *if_none_match, const char *etag);
