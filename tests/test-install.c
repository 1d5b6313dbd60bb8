/* test-install.c: publish, serve, add the hub, install, update and remove, end to end
 *
 * Everything runs for real: `cunxiao-hub keygen` and `publish` build a
 * repository, `cunxiao-hub serve` serves it on loopback, and `cunxiao-cli`
 * (or the installer in this process, where a test needs short retries)
 * installs from it.  Installed trees are compared byte for byte with the
 * source.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zstd.h>

#include "cx-installer.h"
#include "cx-repo-index.h"
#include "cx-signing-key.h"
#include "cx-store-catalog.h"
#include "cx-store-packages.h"
#include "cx-sync-error.h"
#include "cx-test-repo.h"

#define PACKAGE_KEY   "yuwen-1a"
#define REPOSITORY_ID "test-county"

typedef CxTestRepo Fixture;

static const char package_json_v1[] =
    "{\"id\":\"" PACKAGE_KEY "\",\"title\":\"语文 一年级 上册\",\"subject\":\"语文\","
    "\"grade\":\"1\",\"edition\":\"部编版\",\"units\":["
    "{\"id\":\"unit-1\",\"title\":\"第一单元 识字\","
    "\"files\":[\"unit-1/识字1 天地人.txt\",\"unit-1/worksheet.pdf\"],"
    "\"lessons\":[{\"id\":\"lesson-1\",\"title\":\"天地人\",\"files\":[\"unit-1/lesson-1/"
    "video.mp4\"]}]},"
    "{\"id\":\"unit-2\",\"title\":\"第二单元 汉语拼音\","
    "\"files\":[\"unit-2/拼音 a o "
    "e.txt\",\"unit-2/big.bin\",\"unit-2/empty.txt\"],\"lessons\":[]}]}";

static const char package_json_v2[] =
    "{\"id\":\"" PACKAGE_KEY "\",\"title\":\"语文 一年级 上册\",\"subject\":\"语文\","
    "\"grade\":\"1\",\"edition\":\"部编版\",\"units\":["
    "{\"id\":\"unit-1\",\"title\":\"第一单元 识字\","
    "\"files\":[\"unit-1/识字1 天地人.txt\"],"
    "\"lessons\":[{\"id\":\"lesson-1\",\"title\":\"天地人\",\"files\":[\"unit-1/lesson-1/"
    "video.mp4\"]}]},"
    "{\"id\":\"unit-2\",\"title\":\"第二单元 汉语拼音\","
    "\"files\":[\"unit-2/拼音 a o e.txt\",\"unit-2/big.bin\",\"unit-2/empty.txt\","
    "\"unit-2/新课.txt\"],\"lessons\":[]}]}";

static char *
src_path (Fixture *fx, const char *relative)
{
  return g_build_filename (fx->src, relative, NULL);
}

static void
write_src (Fixture *fx, const char *relative, const char *text)
{
  g_autofree char *path = src_path (fx, relative);

  cx_test_write_file (path, text, strlen (text));
}

static void
make_source_v1 (Fixture *fx)
{
  g_autofree char *big = src_path (fx, "unit-2/big.bin");
  g_autofree char *video = src_path (fx, "unit-1/lesson-1/video.mp4");
  g_autofree char *pdf = src_path (fx, "unit-1/worksheet.pdf");

  write_src (fx, "package.json", package_json_v1);
  write_src (fx, "README.txt", "一年级语文资源包。\n");
  write_src (fx, "unit-1/识字1 天地人.txt", "天 地 人\n你 我 他\n");
  write_src (fx, "unit-2/拼音 a o e.txt", "a o e i u ü\n");
  write_src (fx, "unit-2/empty.txt", "");
  cx_test_write_random_file (big, 1536 * 1024, 1);
  cx_test_write_random_file (video, 700 * 1024, 2);
  cx_test_write_random_file (pdf, 200 * 1024, 3);
}

/* v2: a few bytes of big.bin change; a byte in every 16 KiB of the video
 * changes, so it shares no chunk with v1 and yet is a cheap delta, like a
 * document made again; a file is added and one removed. */
static void
make_source_v2 (Fixture *fx)
{
  g_autofree char *big = src_path (fx, "unit-2/big.bin");
  g_autofree char *video = src_path (fx, "unit-1/lesson-1/video.mp4");
  g_autofree char *pdf = src_path (fx, "unit-1/worksheet.pdf");
  g_autofree char *data = NULL;
  g_autofree char *frames = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (big, &data, &length, NULL));
  memset (data + 700 * 1024, 'x', 100);
  cx_test_write_file (big, data, length);
  g_assert_true (g_file_get_contents (video, &frames, &length, NULL));
  for (gsize at = 1000; at < length; at += 16 * 1024)
    frames[at] ^= 0x5a;
  cx_test_write_file (video, frames, length);
  g_assert_cmpint (g_unlink (pdf), ==, 0);
  write_src (fx, "unit-2/新课.txt", "新的一课\n");
  write_src (fx, "package.json", package_json_v2);
}

static void
publish (Fixture *fx)
{
  cx_test_publish (fx->src, fx->repo, fx->key_file, REPOSITORY_ID);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;

  cx_test_repo_init (fx);
  make_source_v1 (fx);
  cx_test_repo_serve (fx, REPOSITORY_ID);
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "init", NULL), ==, 0);
}

static void
add_hub (Fixture *fx)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = cx_test_cli (fx->data_dir, &out, &err, "hub", "add", fx->hub_url, "--key",
                            fx->public_key, NULL);

  if (status != 0)
    g_error ("hub add failed (%d): %s%s", status, out, err);
  g_assert_nonnull (strstr (out, REPOSITORY_ID));
}

static CxPackageStatus *
package_status (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  CxPackageStatus *status;

  g_assert_no_error (error);
  status = cx_store_lookup_package_status (store, PACKAGE_KEY, &error);
  g_assert_no_error (error);
  return status;
}

static char *
installed_tree (Fixture *fx)
{
  return cx_test_installed_tree (fx->data_dir, PACKAGE_KEY);
}

static guint
count_entries (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
assert_installed_equals_source (Fixture *fx)
{
  static const char *const skip[] = { "package.json", NULL };
  g_autofree char *tree = installed_tree (fx);

  g_assert_nonnull (tree);
  cx_test_assert_same_tree (fx->src, tree, skip);
}

/* The last figure before " received" in the CLI's summary, in bytes. */
static guint64
bytes_received (const char *out)
{
  const char *end = strstr (out, " received");
  const char *start = end;

  g_assert_nonnull (end);
  while (start > out && start[-1] != ' ' && start[-1] != ',')
    start--;
  while (start > out && start[-1] == ' ')
    start--;
  while (start > out && start[-1] != ' ')
    start--;
  {
    g_autofree char *figure = g_strndup (start, end - start);
    double value = g_ascii_strtod (figure, NULL);

    if (strstr (figure, "MB") != NULL)
      return value * 1000 * 1000;
    if (strstr (figure, "kB") != NULL)
      return value * 1000;
    return value;
  }
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *trees = g_build_filename (fx->data_dir, "content", "trees", NULL);
  g_autofree char *staging = g_build_filename (fx->data_dir, "content", "staging", NULL);
  g_autofree char *deltas = g_build_filename (fx->data_dir, "content", "deltas", NULL);
  g_autofree char *first_tree = NULL;

  add_hub (fx);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "packages", "available", NULL), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_KEY));
  g_assert_nonnull (strstr (out, "语文 一年级 上册"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "packages", "install", PACKAGE_KEY, NULL),
                   ==, 0);
  g_test_message ("%s", out);
  assert_installed_equals_source (fx);
  first_tree = installed_tree (fx);
  g_clear_pointer (&out, g_free);

  /* The library finds what was installed, by a two-character Chinese word. */
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "search", "拼音", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "拼音 a o e"));
  g_assert_nonnull (strstr (out, "第二单元 汉语拼音"));
  g_clear_pointer (&out, g_free);

  /* Version 2: "update available", then `update` with no name takes it.
   * The refresh that learns of it also brings the delta index the update
   * needs, in the same round trip as the manifest. */
  make_source_v2 (fx);
  publish (fx);
  g_assert_cmpuint (count_entries (deltas), ==, 0);
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "available", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "update available"));
  g_assert_cmpuint (count_entries (deltas), ==, 1);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "packages", "update", NULL), ==, 0);
  g_test_message ("%s", out);
  assert_installed_equals_source (fx);
  /* 100 changed bytes of big.bin and 44 of the video come as deltas against
   * v1's files, the new file as one chunk: a few hundred bytes, not the
   * 2.4 MB package. */
  g_assert_nonnull (strstr (out, "2 rebuilt from deltas"));
  g_assert_cmpuint (bytes_received (out), <, 10 * 1000);
  g_clear_pointer (&out, g_free);

  /* The old tree is gone, nothing is left staged. */
  g_assert_false (g_file_test (first_tree, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (trees), ==, 1);
  g_assert_cmpuint (count_entries (staging), ==, 0);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "packages", "update", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "up to date"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "packages", "remove", PACKAGE_KEY, NULL),
                   ==, 0);
  g_assert_null (installed_tree (fx));
  g_assert_cmpuint (count_entries (trees), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "search", "拼音", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Nothing matches"));
}

static void
test_units (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *in_unit_1 = NULL;
  g_autofree char *in_unit_2 = NULL;
  g_autofree char *common = NULL;

  add_hub (fx);
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "install", PACKAGE_KEY,
                                "--units", "unit-1", NULL),
                   ==, 0);
  g_clear_pointer (&out, g_free);

  tree = installed_tree (fx);
  in_unit_1 = g_build_filename (tree, "unit-1", "lesson-1", "video.mp4", NULL);
  in_unit_2 = g_build_filename (tree, "unit-2", "big.bin", NULL);
  common = g_build_filename (tree, "README.txt", NULL);
  g_assert_true (g_file_test (in_unit_1, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (common, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (in_unit_2, G_FILE_TEST_EXISTS));

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "some units installed"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "install", PACKAGE_KEY,
                                "--units", "unit-2", NULL),
                   ==, 0);
  assert_installed_equals_source (fx);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "packages", "install", PACKAGE_KEY,
                                "--units", "unit-9", NULL),
                   ==, 1);
}

static void
test_wrong_key (Fixture *fx, gconstpointer data)
{
  g_autofree char *other_file = g_build_filename (fx->dir, "other.key", NULL);
  g_autofree char *other = cx_test_keygen (other_file);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (
      cx_test_cli (fx->data_dir, &out, &err, "hub", "add", fx->hub_url, "--key", other, NULL), ==,
      1);
  g_assert_nonnull (strstr (err, "key"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "hub", "add", fx->hub_url, "--key",
                                "ed25519:nonsense", NULL),
                   ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, &err, "hub", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No hubs yet"));
}

/* --- bad input, through the installer in this process ---------------- */

static CxInstaller *
new_installer (Fixture *fx, CxStore **out_store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  CxInstaller *installer;

  g_assert_no_error (error);
  installer = cx_installer_new (store, &error);
  g_assert_no_error (error);
  cx_installer_set_retry_policy (installer, 3, 10, 50);
  cx_installer_set_low_speed (installer, 1000, 2);
  *out_store = g_steal_pointer (&store);
  return installer;
}

static void
assert_nothing_installed (Fixture *fx)
{
  g_autoptr (CxPackageStatus) status = package_status (fx);

  g_assert_cmpint (status->installed_version, ==, 0);
}

static char *
find_repo_file (Fixture *fx, const char *folder, const char *suffix)
{
  g_autofree char *top = g_build_filename (fx->repo, "v1", folder, NULL);
  g_autoptr (GDir) fans = g_dir_open (top, 0, NULL);
  const char *fan;

  g_assert_nonnull (fans);
  while ((fan = g_dir_read_name (fans)) != NULL)
    {
      g_autofree char *path = g_build_filename (top, fan, NULL);
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, suffix) && name[0] != '.')
          return g_build_filename (path, name, NULL);
    }

  return NULL;
}

static void
flip_byte (const char *path, gsize offset)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (offset, <, length);
  data[offset] ^= 0x55;
  /* Published files are read-only; replace rather than write in place. */
  g_unlink (path);
  cx_test_write_file (path, data, length);
}

static void
test_corrupt_pack (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *pack = NULL;

  add_hub (fx);
  pack = find_repo_file (fx, "packs", ".pack");
  g_assert_nonnull (pack);
  flip_byte (pack, 1000);

  installer = new_installer (fx, &store);
  g_assert_false (cx_installer_install (installer, PACKAGE_KEY, NULL, NULL, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);
  assert_nothing_installed (fx);
}

static void
test_truncated_pack_index (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *idx = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  add_hub (fx);
  idx = find_repo_file (fx, "packs", ".idx");
  g_assert_true (g_file_get_contents (idx, &contents, &length, NULL));
  g_unlink (idx);
  cx_test_write_file (idx, contents, length - 7);

  installer = new_installer (fx, &store);
  g_assert_false (cx_installer_install (installer, PACKAGE_KEY, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CX_SYNC_ERROR);
  g_test_message ("%s", error->message);
  assert_nothing_installed (fx);
}

static void
test_corrupt_manifest (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxPackageStatus) status = NULL;
  g_autofree char *index_path = g_build_filename (fx->repo, "v1", "index", NULL);
  g_autofree char *manifest = NULL;

  add_hub (fx);

  /* v2's manifest is damaged on the server: the refresh fails and the
   * catalogue still says v1. */
  make_source_v2 (fx);
  publish (fx);
  {
    g_autoptr (GError) local = NULL;
    g_autoptr (CxPublicKey) key = cx_public_key_new_from_string (fx->public_key, &local);
    g_autofree char *bytes = NULL;
    gsize length;
    g_autoptr (GBytes) data_bytes = NULL;
    g_autoptr (CxRepoIndex) index = NULL;
    const CxRepoPackage *package;
    const CxRepoVersion *current;
    g_autofree char *hex = NULL;

    g_assert_true (g_file_get_contents (index_path, &bytes, &length, NULL));
    data_bytes = g_bytes_new (bytes, length);
    index = cx_repo_index_load (data_bytes, &key, 1, REPOSITORY_ID, 0,
                                g_get_real_time () / G_USEC_PER_SEC, &local);
    g_assert_no_error (local);
    package = cx_repo_index_lookup_package (index, PACKAGE_KEY);
    current = cx_repo_package_lookup_version (package, package->current);
    hex = cx_chunk_id_to_hex (&current->manifest_id);
    manifest = g_strdup_printf ("%s/v1/manifests/%.2s/%s.manifest", fx->repo, hex, hex);
  }
  flip_byte (manifest, 20);

  installer = new_installer (fx, &store);
  g_assert_false (cx_installer_refresh (installer, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);

  status = package_status (fx);
  g_assert_cmpint (status->current_version, ==, 1);
}

/* Rewrites the repository index with @expires, signed by the real key. */
static GBytes *
resign_index_with (Fixture *fx,
                   guint64 version,
                   gint64 expires,
                   guint64 extra_version,
                   const CxChunkId *extra_manifest,
                   gsize extra_size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_load (fx->key_file, &error);
  CxPublicKey *public_key = NULL;
  g_autofree char *index_path = g_build_filename (fx->repo, "v1", "index", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (CxRepoIndex) old = NULL;
  g_autoptr (CxRepoIndex) fresh = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GPtrArray *packages;
  gsize length;

  g_assert_no_error (error);
  public_key = cx_signing_key_get_public_key (key);
  g_assert_true (g_file_get_contents (index_path, &bytes, &length, NULL));
  data = g_bytes_new (bytes, length);
  old = cx_repo_index_load (data, &public_key, 1, REPOSITORY_ID, 0, now, &error);
  g_assert_no_error (error);

  fresh = cx_repo_index_new (REPOSITORY_ID, version, MIN (now, expires) - 60, expires);
  packages = cx_repo_index_get_packages (old);
  for (guint i = 0; i < packages->len; i++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, i);

      for (guint v = 0; v < package->versions->len; v++)
        {
          const CxRepoVersion *rv = &g_array_index (package->versions, CxRepoVersion, v);

          g_assert_true (cx_repo_index_add_version (fresh, package->id, rv->version,
                                                    &rv->manifest_id, rv->manifest_size,
                                                    rv->install_size, &error));
        }
    }

  if (extra_manifest != NULL)
    g_assert_true (cx_repo_index_add_version (fresh, PACKAGE_KEY, extra_version, extra_manifest,
                                              extra_size, 0, &error));

  {
    g_autoptr (GBytes) signed_index = cx_repo_index_sign (fresh, &key, 1, &error);

    g_assert_no_error (error);
    return g_steal_pointer (&signed_index);
  }
}

static GBytes *
resign_index (Fixture *fx, guint64 version, gint64 expires)
{
  return resign_index_with (fx, version, expires, 0, NULL, 0);
}

static void
replace_index (Fixture *fx, GBytes *bytes)
{
  g_autofree char *index_path = g_build_filename (fx->repo, "v1", "index", NULL);

  g_unlink (index_path);
  cx_test_write_file (index_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_expired_index (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) expired = NULL;

  add_hub (fx);
  expired = resign_index (fx, 50, g_get_real_time () / G_USEC_PER_SEC - 10);
  replace_index (fx, expired);

  installer = new_installer (fx, &store);
  g_assert_false (cx_installer_refresh (installer, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_EXPIRED);
}

static void
test_rollback (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) newer = NULL;
  g_autoptr (GBytes) older = NULL;
  gint64 later = g_get_real_time () / G_USEC_PER_SEC + 86400;

  add_hub (fx);
  newer = resign_index (fx, 60, later);
  older = resign_index (fx, 59, later);

  replace_index (fx, newer);
  installer = new_installer (fx, &store);
  g_assert_true (cx_installer_refresh (installer, NULL, &error));
  g_assert_no_error (error);

  /* A mirror replaying the older, validly signed index is refused. */
  replace_index (fx, older);
  g_assert_false (cx_installer_refresh (installer, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_ROLLBACK);
}

/* A correctly signed index names a manifest whose paths leave the package. */
static void
test_escaping_paths (Fixture *fx, gconstpointer data)
{
  static const char *const bad_paths[] = { "../evil.txt", "/tmp/evil.txt", "a/../../evil.txt",
                                           "a\\\\..\\\\evil.txt", "a//b.txt" };
  gint64 later = g_get_real_time () / G_USEC_PER_SEC + 86400;

  add_hub (fx);

  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autoptr (CxStore) store = NULL;
      g_autoptr (CxInstaller) installer = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (CxPackageStatus) status = NULL;
      g_autoptr (GBytes) index = NULL;
      g_autofree char *json = g_strdup_printf (
          "{\"format\":1,\"package\":{\"id\":\"" PACKAGE_KEY "\",\"version\":%u,\"title\":\"x\","
          "\"subject\":\"\",\"grade\":\"\",\"edition\":\"\"},\"packs\":[],\"files\":["
          "{\"path\":\"%s\",\"mode\":420,\"size\":0,\"sha256\":"
          "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"chunks\":[]}],"
          "\"units\":[]}",
          99 + i, bad_paths[i]);
      gsize bound = ZSTD_compressBound (strlen (json));
      g_autofree guint8 *frame = g_malloc (bound);
      gsize frame_len = ZSTD_compress (frame, bound, json, strlen (json), 3);
      g_autofree char *hex = NULL;
      g_autofree char *path = NULL;
      CxChunkId id;

      g_assert_false (ZSTD_isError (frame_len));
      cx_chunk_id_compute (frame, frame_len, &id);
      hex = cx_chunk_id_to_hex (&id);
      path = g_strdup_printf ("%s/v1/manifests/%.2s/%s.manifest", fx->repo, hex, hex);
      cx_test_write_file (path, frame, frame_len);

      index = resign_index_with (fx, 100 + i, later, 99 + i, &id, frame_len);
      replace_index (fx, index);

      installer = new_installer (fx, &store);
      g_assert_false (cx_installer_refresh (installer, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad_paths[i], error->message);
      g_assert_true (error->domain == CX_SYNC_ERROR);

      status = package_status (fx);
      g_assert_cmpint (status->current_version, ==, 1);
    }
}

static void
test_symlink_in_build (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxInstaller) installer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxPackageStatus) status = NULL;
  g_autofree char *outside = g_build_filename (fx->dir, "outside", NULL);
  g_autofree char *build = NULL;
  g_autofree char *link = NULL;

  add_hub (fx);
  status = package_status (fx);
  build = g_strdup_printf ("%s/content/trees/.build-%lld-%s-v1", fx->data_dir,
                           (long long) status->hub_id, PACKAGE_KEY);
  g_assert_cmpint (g_mkdir_with_parents (build, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (outside, 0755), ==, 0);
  link = g_build_filename (build, "unit-1", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);

  installer = new_installer (fx, &store);
  g_assert_false (cx_installer_install (installer, PACKAGE_KEY, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_cmpuint (count_entries (outside), ==, 0);
  assert_nothing_installed (fx);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  cx_test_repo_add ("/install/round-trip", fixture_set_up, test_round_trip);
  cx_test_repo_add ("/install/units", fixture_set_up, test_units);
  cx_test_repo_add ("/install/wrong-key", fixture_set_up, test_wrong_key);
  cx_test_repo_add ("/install/corrupt-pack", fixture_set_up, test_corrupt_pack);
  cx_test_repo_add ("/install/truncated-pack-index", fixture_set_up, test_truncated_pack_index);
  cx_test_repo_add ("/install/corrupt-manifest", fixture_set_up, test_corrupt_manifest);
  cx_test_repo_add ("/install/expired-index", fixture_set_up, test_expired_index);
  cx_test_repo_add ("/install/rollback", fixture_set_up, test_rollback);
  cx_test_repo_add ("/install/escaping-paths", fixture_set_up, test_escaping_paths);
  cx_test_repo_add ("/install/symlink-in-build", fixture_set_up, test_symlink_in_build);

  return g_test_run ();
}
