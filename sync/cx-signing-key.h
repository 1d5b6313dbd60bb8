/* cx-signing-key.h: an ed25519 key pair that signs repository indexes
 *
 * The secret half lives in libsodium's guarded memory and is wiped when the
 * object is finalized.
 */
#pragma once

#include <gio/gio.h>

#include "cx-public-key.h"

G_BEGIN_DECLS

#define CX_SECRET_KEY_PREFIX "ed25519-secret:"

#define CX_TYPE_SIGNING_KEY (cx_signing_key_get_type ())
G_DECLARE_FINAL_TYPE (CxSigningKey, cx_signing_key, CX, SIGNING_KEY, GObject)

CxSigningKey *cx_signing_key_generate (GError **error);
CxSigningKey *cx_signing_key_load (const char *path, GError **error);
gboolean cx_signing_key_save (CxSigningKey *self, const char *path, GError **error);

CxPublicKey *cx_signing_key_get_public_key (CxSigningKey *self);
const char *cx_signing_key_get_id (CxSigningKey *self);
void cx_signing_key_sign (CxSigningKey *self,
                          const guint8 *data,
                          gsize length,
                          guint8 signature[CX_SIGNATURE_LEN]);

G_END_DECLS
