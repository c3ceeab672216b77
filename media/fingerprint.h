/* The peer's DTLS certificate against the a=fingerprint lines of its SDP (RFC 8122).
 * webrtcbin 1.22 never makes this comparison itself (its dtlsdec accepts any certificate). */
#pragma once

#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

/* Every a=fingerprint value ("sha-256 AB:CD:...") of the SDP, session level and each m-line.
 * Returns: (transfer full) (element-type utf8) */
GPtrArray *vindu_fingerprints_from_sdp(const GstSDPMessage *sdp);

/* "AB:CD:..." (upper-case hex) of the certificate in pem hashed with algorithm ("sha-1",
 * "sha-256", "sha-384", "sha-512", any case), or NULL for another algorithm or no certificate.
 * Returns: (transfer full) (nullable) */
char *vindu_certificate_fingerprint(const char *pem, const char *algorithm);

/* The rule (RFC 8122 section 5): only the strongest hash function among the fingerprints that
 * we support counts, and the certificate is accepted when one fingerprint of that function
 * matches (hex in any case). A weaker one, right or wrong, changes nothing; no fingerprint, or
 * only unsupported functions: refused. fingerprints: (nullable) (element-type utf8) */
gboolean vindu_fingerprint_accepts(const GPtrArray *fingerprints, const char *pem);

G_END_DECLS
