/* cx-public-key.h: an ed25519 public key that verifies repository signatures
 *
 * The text form is "ed25519:" followed by the standard base64 of the 32 key
 * bytes; it is what a user pastes into `cunxiao-cli hub add URL --key`.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CX_PUBLIC_KEY_LEN    32
#define CX_SIGNATURE_LEN     64
#define CX_KEY_ID_LEN        8
#define CX_KEY_ID_HEX_LEN    16
#define CX_PUBLIC_KEY_PREFIX "ed25519:"
#define CX_KEY_FILE_MAX_SIZE 4096

#define CX_TYPE_PUBLIC_KEY (cx_public_key_get_type ())
G_DECLARE_FINAL_TYPE (CxPublicKey, cx_public_key, CX, PUBLIC_KEY, GObject)

CxPublicKey *cx_public_key_new_from_bytes (const guint8 *key, gsize length, GError **error);
CxPublicKey *cx_public_key_new_from_string (const char *text, GError **error);
CxPublicKey *cx_public_key_load (const char *path, GError **error);
gboolean cx_public_key_save (CxPublicKey *self, const char *path, GError **error);

const guint8 *cx_public_key_get_bytes (CxPublicKey *self);
const guint8 *cx_public_key_get_id_bytes (CxPublicKey *self);
const char *cx_public_key_get_id (CxPublicKey *self);
char *cx_public_key_to_string (CxPublicKey *self);
gboolean cx_public_key_equal (CxPublicKey *a, CxPublicKey *b);

gboolean cx_public_key_verify (CxPublicKey *self,
                               const guint8 *data,
                               gsize length,
                               const guint8 *signature,
                               gsize signature_length,
                               GError **error);

/* Shared with cx-signing-key.c */
gboolean _cx_key_file_read (const char *path, char **out_text, GError **error);
guint8 *
_cx_key_text_decode (const char *text, const char *prefix, gsize expected_length, GError **error);

G_END_DECLS
