/* test-repo-index.c: the signed repository index refuses every bad input */
#include "config.h"

#include <string.h>

#include "cx-repo-index.h"
#include "cx-sync-error.h"

#define NOW     G_GINT64_CONSTANT (1700000000)
#define EXPIRES (NOW + 7 * 24 * 3600)

typedef struct
{
  CxSigningKey *key;
  CxSigningKey *other;
  CxPublicKey *trusted[1];
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->key = cx_signing_key_generate (&error);
  g_assert_no_error (error);
  fx->other = cx_signing_key_generate (&error);
  g_assert_no_error (error);
  fx->trusted[0] = cx_signing_key_get_public_key (fx->key);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->key);
  g_clear_object (&fx->other);
}

static CxRepoIndex *
make_index (guint64 version, gint64 timestamp, gint64 expires)
{
  g_autoptr (CxRepoIndex) index = cx_repo_index_new ("county-hub", version, timestamp, expires);
  g_autoptr (GError) error = NULL;
  CxChunkId id;

  cx_chunk_id_compute ("m1", 2, &id);
  g_assert_true (cx_repo_index_add_version (index, "math-g3", 1, &id, 1000, 50000, &error));
  cx_chunk_id_compute ("m2", 2, &id);
  g_assert_true (cx_repo_index_add_version (index, "math-g3", 2, &id, 1200, 52000, &error));
  cx_chunk_id_compute ("c1", 2, &id);
  g_assert_true (cx_repo_index_add_version (index, "chinese-g1", 7, &id, 900, 40000, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&index);
}

static GBytes *
make_signed (Fixture *fx, guint64 version, gint64 expires)
{
  g_autoptr (CxRepoIndex) index = make_index (version, NOW - 3600, expires);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = cx_repo_index_sign (index, &fx->key, 1, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_refused (Fixture *fx, GBytes *bytes, guint64 min_version, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxRepoIndex) index = NULL;

  index = cx_repo_index_load (bytes, fx->trusted, 1, "county-hub", min_version, NOW, &error);
  g_assert_error (error, CX_SYNC_ERROR, code);
  g_assert_null (index);
  g_test_message ("refused: %s", error->message);
}

static void
test_valid (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  const CxRepoPackage *math;
  const CxRepoVersion *v1;
  CxChunkId id;

  index = cx_repo_index_load (bytes, fx->trusted, 1, "county-hub", 5, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cx_repo_index_get_repository_id (index), ==, "county-hub");
  g_assert_cmpuint (cx_repo_index_get_version (index), ==, 5);
  g_assert_cmpint (cx_repo_index_get_expires (index), ==, EXPIRES);
  g_assert_cmpuint (cx_repo_index_get_packages (index)->len, ==, 2);

  math = cx_repo_index_lookup_package (index, "math-g3");
  g_assert_nonnull (math);
  g_assert_cmpuint (math->current, ==, 2);
  g_assert_cmpuint (math->versions->len, ==, 2);
  v1 = cx_repo_package_lookup_version (math, 1);
  g_assert_nonnull (v1);
  cx_chunk_id_compute ("m1", 2, &id);
  g_assert_true (cx_chunk_id_equal (&id, &v1->manifest_id));
  g_assert_cmpuint (v1->manifest_size, ==, 1000);
  g_assert_cmpuint (v1->install_size, ==, 50000);
  g_assert_null (cx_repo_index_lookup_package (index, "absent"));
}

static void
test_key_rotation (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxRepoIndex) source = make_index (3, NOW, EXPIRES);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (CxRepoIndex) index = NULL;
  CxSigningKey *both[2] = { fx->other, fx->key };
  CxPublicKey *only_other[1] = { cx_signing_key_get_public_key (fx->other) };

  /* Signed by the old and the new key: clients trusting either accept it. */
  bytes = cx_repo_index_sign (source, both, 2, &error);
  g_assert_no_error (error);
  index = cx_repo_index_load (bytes, fx->trusted, 1, NULL, 0, NOW, &error);
  g_assert_no_error (error);
  g_clear_object (&index);
  index = cx_repo_index_load (bytes, only_other, 1, NULL, 0, NOW, &error);
  g_assert_no_error (error);
}

/* The envelope holds NUL bytes, so g_strstr_len() would stop early. */
static char *
find_bytes (guint8 *haystack, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return (char *) haystack + i;
  return NULL;
}

static void
test_bad_signature (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  gsize len;
  const guint8 *orig = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (orig, len);
  g_autoptr (GBytes) tampered = NULL;
  g_autoptr (GBytes) bad_sig = NULL;
  char *version;

  /* Change the payload's index version from 5 to 9: same length, valid JSON. */
  version = find_bytes (copy, len, "\"version\":5");
  g_assert_nonnull (version);
  version[10] = '9';
  tampered = g_bytes_new (copy, len);
  assert_refused (fx, tampered, 0, CX_SYNC_ERROR_BAD_SIGNATURE);

  /* Flip a bit in the signature itself. */
  version[10] = '5';
  copy[len - 1] ^= 0x01;
  bad_sig = g_bytes_new (copy, len);
  assert_refused (fx, bad_sig, 0, CX_SYNC_ERROR_BAD_SIGNATURE);
}

static void
test_untrusted (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxRepoIndex) source = make_index (5, NOW, EXPIRES);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = cx_repo_index_sign (source, &fx->other, 1, &error);

  g_assert_no_error (error);
  assert_refused (fx, bytes, 0, CX_SYNC_ERROR_UNTRUSTED);
}

static void
test_expired (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, NOW);

  assert_refused (fx, bytes, 0, CX_SYNC_ERROR_EXPIRED);
}

static void
test_rollback (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);

  assert_refused (fx, bytes, 6, CX_SYNC_ERROR_ROLLBACK);
}

static void
test_wrong_repository (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxRepoIndex) index = NULL;

  index = cx_repo_index_load (bytes, fx->trusted, 1, "other-hub", 0, NOW, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_WRONG_REPOSITORY);
  g_assert_null (index);
}

static void
test_truncated (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  gsize len = g_bytes_get_size (bytes);
  gsize cuts[] = { 0, 3, 12, 15, 40, len / 2, len - 72, len - 1 };

  for (gsize i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr (GBytes) part = g_bytes_new_from_bytes (bytes, 0, cuts[i]);

      assert_refused (fx, part, 0, CX_SYNC_ERROR_TRUNCATED);
    }
}

static void
test_oversized (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  g_autofree guint8 *big = g_malloc0 (CX_REPO_INDEX_MAX_SIZE + 1);
  g_autoptr (GBytes) huge = NULL;
  gsize len;
  const guint8 *orig = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (orig, len);
  g_autoptr (GBytes) lying = NULL;

  memcpy (big, orig, len);
  huge = g_bytes_new_take (g_steal_pointer (&big), CX_REPO_INDEX_MAX_SIZE + 1);
  assert_refused (fx, huge, 0, CX_SYNC_ERROR_TOO_LARGE);

  /* A header that claims a payload beyond the cap. */
  copy[15] = 0x7f;
  lying = g_bytes_new (copy, len);
  assert_refused (fx, lying, 0, CX_SYNC_ERROR_TOO_LARGE);
}

static void
assert_payload_refused (Fixture *fx, const char *payload, int code)
{
  g_autoptr (GBytes) raw = g_bytes_new (payload, strlen (payload));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sealed = cx_repo_index_seal (raw, &fx->key, 1, &error);

  g_assert_no_error (error);
  assert_refused (fx, sealed, 0, code);
}

#define PKGS "\"packages\":[]"

static void
test_malformed (Fixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) bytes = make_signed (fx, 5, EXPIRES);
  gsize len;
  const guint8 *orig = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (orig, len + 1);
  g_autoptr (GBytes) bad_magic = NULL;
  g_autoptr (GBytes) trailing = NULL;
  g_autoptr (GBytes) future = NULL;

  copy[0] = 'X';
  bad_magic = g_bytes_new (copy, len);
  assert_refused (fx, bad_magic, 0, CX_SYNC_ERROR_MALFORMED);
  copy[0] = orig[0];
  copy[len] = 0;
  trailing = g_bytes_new (copy, len + 1);
  assert_refused (fx, trailing, 0, CX_SYNC_ERROR_MALFORMED);
  copy[8] = 2;
  future = g_bytes_new (copy, len);
  assert_refused (fx, future, 0, CX_SYNC_ERROR_UNSUPPORTED_VERSION);

  /* Correctly signed, but the payload itself is wrong. */
  assert_payload_refused (fx, "not json", CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx, "[1,2]", CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"county-hub\",\"version\":5,"
                          "\"timestamp\":1,\"expires\":9999999999}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"county-hub\",\"version\":5,\"version\":6,"
                          "\"timestamp\":1,\"expires\":9999999999," PKGS "}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"county-hub\",\"version\":\"5\","
                          "\"timestamp\":1,\"expires\":9999999999," PKGS "}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"county-hub\",\"version\":-5,"
                          "\"timestamp\":1,\"expires\":9999999999," PKGS "}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"../etc\",\"version\":5,"
                          "\"timestamp\":1,\"expires\":9999999999," PKGS "}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":1,\"repository\":\"county-hub\",\"version\":5,"
                          "\"timestamp\":1,\"expires\":9999999999,\"packages\":[{\"id\":\"p\","
                          "\"current\":2,\"versions\":[{\"version\":1,\"manifest\":\"00\","
                          "\"manifest_size\":1,\"install_size\":1}]}]}",
                          CX_SYNC_ERROR_MALFORMED);
  assert_payload_refused (fx,
                          "{\"format\":2,\"repository\":\"county-hub\",\"version\":5,"
                          "\"timestamp\":1,\"expires\":9999999999," PKGS "}",
                          CX_SYNC_ERROR_UNSUPPORTED_VERSION);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/cx/sync/repo-index/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("valid", test_valid);
  ADD ("key-rotation", test_key_rotation);
  ADD ("bad-signature", test_bad_signature);
  ADD ("untrusted", test_untrusted);
  ADD ("expired", test_expired);
  ADD ("rollback", test_rollback);
  ADD ("wrong-repository", test_wrong_repository);
  ADD ("truncated", test_truncated);
  ADD ("oversized", test_oversized);
  ADD ("malformed", test_malformed);
#undef ADD

  return g_test_run ();
}
