/* test-signing.c: ed25519 keys, key files and detached signatures */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cx-signing-key.h"
#include "cx-sync-error.h"

static char *
temp_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_generate (&error);
  g_autoptr (CxSigningKey) loaded = NULL;
  g_autoptr (CxPublicKey) parsed = NULL;
  g_autofree char *path = temp_path ("secret.key");
  g_autofree char *text = NULL;
  const guint8 message[] = "lesson 3: fractions";
  guint8 signature[CX_SIGNATURE_LEN];
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (cx_signing_key_get_id (key)), ==, CX_KEY_ID_HEX_LEN);

  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  g_assert_true (cx_signing_key_save (key, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = cx_signing_key_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (cx_public_key_equal (cx_signing_key_get_public_key (key),
                                      cx_signing_key_get_public_key (loaded)));

  /* Text form round trip, with the white space a paste brings along. */
  text = cx_public_key_to_string (cx_signing_key_get_public_key (key));
  g_assert_true (g_str_has_prefix (text, "ed25519:"));
  {
    g_autofree char *pasted = g_strdup_printf ("  %s\n", text);

    parsed = cx_public_key_new_from_string (pasted, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpstr (cx_public_key_get_id (parsed), ==, cx_signing_key_get_id (key));

  cx_signing_key_sign (loaded, message, sizeof message, signature);
  g_assert_true (
      cx_public_key_verify (parsed, message, sizeof message, signature, sizeof signature, &error));
  g_assert_no_error (error);
}

static void
test_tampered (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_generate (&error);
  guint8 message[64];
  guint8 signature[CX_SIGNATURE_LEN];
  CxPublicKey *pub = cx_signing_key_get_public_key (key);

  memset (message, 'a', sizeof message);
  cx_signing_key_sign (key, message, sizeof message, signature);
  g_assert_true (
      cx_public_key_verify (pub, message, sizeof message, signature, sizeof signature, &error));

  message[17] ^= 0x01;
  g_assert_false (
      cx_public_key_verify (pub, message, sizeof message, signature, sizeof signature, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  message[17] ^= 0x01;
  signature[5] ^= 0x80;
  g_assert_false (
      cx_public_key_verify (pub, message, sizeof message, signature, sizeof signature, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_SIGNATURE);
}

static void
test_wrong_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_generate (&error);
  g_autoptr (CxSigningKey) other = cx_signing_key_generate (&error);
  const guint8 message[] = "index";
  guint8 signature[CX_SIGNATURE_LEN];

  g_assert_cmpstr (cx_signing_key_get_id (key), !=, cx_signing_key_get_id (other));
  cx_signing_key_sign (key, message, sizeof message, signature);
  g_assert_false (cx_public_key_verify (cx_signing_key_get_public_key (other), message,
                                        sizeof message, signature, sizeof signature, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_SIGNATURE);
}

static void
assert_bad_key_file (const char *contents, gssize length)
{
  g_autofree char *path = temp_path ("bad.key");
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = NULL;

  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  key = cx_signing_key_load (path, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY);
  g_assert_null (key);
}

static void
test_malformed_key_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_generate (&error);
  g_autofree char *path = temp_path ("good.key");
  g_autofree char *good = NULL;
  g_autofree char *big = g_strnfill (CX_KEY_FILE_MAX_SIZE + 10, 'A');
  g_autofree char *damaged = NULL;
  g_autofree char *shortened = NULL;
  g_autoptr (CxPublicKey) pub = NULL;
  gsize len;

  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  g_assert_true (cx_signing_key_save (key, path, &error));
  g_assert_true (g_file_get_contents (path, &good, &len, NULL));

  assert_bad_key_file ("", 0);
  assert_bad_key_file ("hello\n", -1);
  assert_bad_key_file (big, -1);
  assert_bad_key_file ("ed25519-secret:AAAA\n", -1);
  assert_bad_key_file ("ed25519-secret:\0AAAA\n", 21);

  /* One character short: wrong length. */
  shortened = g_strndup (good, len - 2);
  assert_bad_key_file (shortened, -1);

  /* Right length, but the public half no longer matches the seed. */
  damaged = g_strdup (good);
  damaged[len - 10] = damaged[len - 10] == 'A' ? 'B' : 'A';
  assert_bad_key_file (damaged, -1);

  /* A public key is not a secret key, and vice versa. */
  pub = cx_public_key_new_from_string (good, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY);
  g_assert_null (pub);
  g_clear_error (&error);
  pub = cx_public_key_new_from_string ("ed25519:AAAA", &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_KEY);
  g_assert_null (pub);
}

static void
test_missing_key_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_path ("does-not-exist.key");
  g_autoptr (CxSigningKey) key = cx_signing_key_load (path, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (key);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/sync/signing/round-trip", test_round_trip);
  g_test_add_func ("/cx/sync/signing/tampered", test_tampered);
  g_test_add_func ("/cx/sync/signing/wrong-key", test_wrong_key);
  g_test_add_func ("/cx/sync/signing/malformed-key-file", test_malformed_key_file);
  g_test_add_func ("/cx/sync/signing/missing-key-file", test_missing_key_file);

  return g_test_run ();
}
