/* test-publish.c: cunxiao-hub keygen, publish and resign, run for real
 *
 * The real binary (CUNXIAO_HUB) publishes generated trees; the repository
 * it leaves is then checked with the library, down to every file rebuilt
 * from its chunks and every delta applied.  A publisher killed at random
 * moments must always leave a repository that loads and verifies.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cx-delta.h"
#include "cx-manifest.h"
#include "cx-pack.h"
#include "cx-repo-index.h"
#include "cx-repo-writer.h"
#include "cx-sync-error.h"
#include "cx-test-util.h"

#define REPOSITORY_ID "test-repo"
#define PACKAGE_ID    "yuwen-1a"

typedef struct
{
  char *dir;
  char *src;
  char *repo;
  char *key_file;
  CxPublicKey *public_key;
} Fixture;

static const char *PACKAGE_JSON_TEXT =
    "{ \"id\": \"" PACKAGE_ID "\", \"title\": \"语文 一年级 上册\", \"subject\": \"语文\",\n"
    "  \"grade\": \"1\", \"edition\": \"部编版\",\n"
    "  \"units\": [\n"
    "    { \"id\": \"unit-1\", \"title\": \"第一单元 识字\", \"files\": [\"第一单元/说明.txt\"],\n"
    "      \"lessons\": [ { \"id\": \"lesson-1\", \"title\": \"天地人\",\n"
    "                      \"files\": [\"第一单元/第一课/天地人.html\"] } ] },\n"
    "    { \"id\": \"unit-2\", \"title\": \"第二单元\", \"files\": [\"媒体/朗读.bin\"] }\n"
    "  ] }\n";

static int run_hub (char **out, char **err, const char *first, ...) G_GNUC_NULL_TERMINATED;

/* Runs `cunxiao-hub ARGS…`; returns its exit status. */
static int
run_hub (char **out, char **err, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("CUNXIAO_HUB"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return cx_test_run ((const char *const *) argv->pdata, out, err);
}

static char *
read_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static GBytes *
read_file_bytes (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (mapped);
}

/* Long Chinese text that compresses, changes a little between versions. */
static void
write_text_file (const char *path, guint lines, guint32 seed)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < lines; i++)
    g_string_append_printf (text, "第%u行：床前明月光，疑是地上霜。举头望明月，低头思故乡。%08x\n",
                            i, g_rand_int (rand));
  cx_test_write_file (path, text->str, text->len);
}

static char *
src_path (Fixture *fx, const char *relative)
{
  return g_build_filename (fx->src, relative, NULL);
}

static void
make_tree (Fixture *fx)
{
  struct
  {
    const char *path;
    const char *text;
  } small[] = {
    { "第一单元/说明.txt", "本单元学习识字。\n" },
    { "第一单元/第一课/天地人.html", "<p>天 地 人 你 我 他</p>\n" },
    { "空文件.txt", "" },
  };
  g_autofree char *json = src_path (fx, "package.json");
  g_autofree char *random = src_path (fx, "媒体/朗读.bin");
  g_autofree char *text = src_path (fx, "课文/古诗/静夜思.txt");
  g_autofree char *dot = src_path (fx, ".git/config");

  cx_test_write_file (json, PACKAGE_JSON_TEXT, strlen (PACKAGE_JSON_TEXT));
  for (guint i = 0; i < G_N_ELEMENTS (small); i++)
    {
      g_autofree char *path = src_path (fx, small[i].path);

      cx_test_write_file (path, small[i].text, strlen (small[i].text));
    }
  cx_test_write_random_file (random, 1024 * 1024, 7);
  write_text_file (text, 4000, 11);
  /* Dotfiles are not content. */
  cx_test_write_file (dot, "[core]\n", 7);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  const char *start;

  fx->dir = cx_test_make_dir ();
  fx->src = g_build_filename (fx->dir, "src", NULL);
  fx->repo = g_build_filename (fx->dir, "repo", NULL);
  fx->key_file = g_build_filename (fx->dir, "key", NULL);
  make_tree (fx);

  g_assert_cmpint (run_hub (&out, NULL, "keygen", "--output", fx->key_file, NULL), ==, 0);
  start = strstr (out, "ed25519:");
  g_assert_nonnull (start);
  {
    g_autofree char *text = g_strndup (start, strcspn (start, "\n"));

    fx->public_key = cx_public_key_new_from_string (text, &error);
    g_assert_no_error (error);
  }
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  const char *argv[] = { "rm", "-rf", fx->dir, NULL };

  /* The trees are large; do not leave them in the temporary folder. */
  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
  g_clear_object (&fx->public_key);
  g_free (fx->key_file);
  g_free (fx->repo);
  g_free (fx->src);
  g_free (fx->dir);
}

static void
publish_ok (Fixture *fx, const char *repository_id, char **out)
{
  g_autofree char *err = NULL;
  int status;

  if (repository_id != NULL)
    status = run_hub (out, &err, "publish", fx->src, "--repo", fx->repo, "--key", fx->key_file,
                      "--repository-id", repository_id, NULL);
  else
    status =
        run_hub (out, &err, "publish", fx->src, "--repo", fx->repo, "--key", fx->key_file, NULL);
  if (status != 0)
    g_error ("publish failed (%d): %s", status, err);
}

static char *
object_path (Fixture *fx, const char *folder, const CxChunkId *id, const char *suffix)
{
  g_autofree char *hex = cx_chunk_id_to_hex (id);

  return g_strdup_printf ("%s/v1/%s/%.2s/%s%s", fx->repo, folder, hex, hex, suffix);
}

static CxRepoIndex *
load_index (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->repo, "v1", "index", NULL);
  g_autoptr (GBytes) bytes = read_file_bytes (path);
  CxRepoIndex *index = cx_repo_index_load (bytes, &fx->public_key, 1, REPOSITORY_ID, 0,
                                           g_get_real_time () / G_USEC_PER_SEC, &error);

  g_assert_no_error (error);
  return index;
}

static CxManifest *
load_manifest (Fixture *fx, const CxRepoVersion *version)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = object_path (fx, "manifests", &version->manifest_id, ".manifest");
  g_autoptr (GBytes) bytes = read_file_bytes (path);
  CxManifest *manifest;

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, version->manifest_size);
  manifest = cx_manifest_new_from_bytes (bytes, &version->manifest_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cx_manifest_get_version (manifest), ==, version->version);
  return manifest;
}

static CxPackIndex *
load_pack (Fixture *fx, const CxChunkId *pack_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = object_path (fx, "packs", pack_id, ".idx");
  g_autofree char *data_path = object_path (fx, "packs", pack_id, ".pack");
  g_autoptr (GBytes) bytes = read_file_bytes (path);
  CxPackIndex *index = cx_pack_index_new_from_bytes (bytes, &error);
  CxChunkId actual;
  GStatBuf st;

  g_assert_no_error (error);
  cx_pack_index_get_id (index, &actual);
  g_assert_true (cx_chunk_id_equal (&actual, pack_id));
  g_assert_cmpint (g_stat (data_path, &st), ==, 0);
  g_assert_cmpuint (st.st_size, ==, cx_pack_index_get_pack_size (index));
  return index;
}

/* Rebuilds @file from the packs its manifest names, checking its SHA-256. */
static GBytes *
rebuild_file (Fixture *fx, CxManifest *manifest, const CxManifestFile *file)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  GArray *packs = cx_manifest_get_packs (manifest);
  CxChunkId actual;

  for (guint c = 0; c < file->chunks->len; c++)
    {
      const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);
      gboolean found = FALSE;

      for (guint p = 0; p < packs->len && !found; p++)
        {
          const CxChunkId *pack_id = &g_array_index (packs, CxChunkId, p);
          g_autoptr (CxPackIndex) index = load_pack (fx, pack_id);
          g_autoptr (GError) error = NULL;
          g_autofree char *path = NULL;
          g_autoptr (GFile) pack = NULL;
          g_autoptr (GFileInputStream) stream = NULL;
          g_autoptr (GBytes) chunk = NULL;

          if (cx_pack_index_lookup (index, &ref->id, NULL) == NULL)
            continue;
          path = object_path (fx, "packs", pack_id, ".pack");
          pack = g_file_new_for_path (path);
          stream = g_file_read (pack, NULL, &error);
          g_assert_no_error (error);
          chunk = cx_pack_read_chunk (index, G_INPUT_STREAM (stream), &ref->id, NULL, &error);
          g_assert_no_error (error);
          g_byte_array_append (out, g_bytes_get_data (chunk, NULL), ref->size);
          found = TRUE;
        }
      g_assert_true (found);
    }

  cx_chunk_id_compute (out->data, out->len, &actual);
  g_assert_true (cx_chunk_id_equal (&actual, &file->sha256));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static CxDeltaIndex *
load_delta (Fixture *fx, const CxRepoDelta *delta, GBytes **out_pack)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = object_path (fx, "deltas", &delta->index_id, ".didx");
  g_autofree char *data_path = object_path (fx, "deltas", &delta->index_id, ".dpack");
  g_autoptr (GBytes) bytes = read_file_bytes (path);
  g_autoptr (GBytes) pack = read_file_bytes (data_path);
  CxDeltaIndex *index;

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, delta->index_size);
  index = cx_delta_index_new_from_bytes (bytes, &delta->index_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (pack), ==, delta->size);
  g_assert_cmpuint (cx_delta_index_get_pack_size (index), ==, delta->size);
  if (out_pack != NULL)
    *out_pack = g_steal_pointer (&pack);
  return index;
}

/* Everything the index names exists and verifies; returns the index. */
static CxRepoIndex *
verify_repository (Fixture *fx)
{
  CxRepoIndex *index = load_index (fx);
  GPtrArray *packages = cx_repo_index_get_packages (index);

  for (guint p = 0; p < packages->len; p++)
    {
      const CxRepoPackage *package = g_ptr_array_index (packages, p);

      for (guint v = 0; v < package->versions->len; v++)
        {
          const CxRepoVersion *version = &g_array_index (package->versions, CxRepoVersion, v);
          g_autoptr (CxManifest) manifest = load_manifest (fx, version);
          GPtrArray *files = cx_manifest_get_files (manifest);

          for (guint f = 0; f < files->len; f++)
            g_bytes_unref (rebuild_file (fx, manifest, g_ptr_array_index (files, f)));
          for (guint d = 0; d < version->n_deltas; d++)
            cx_delta_index_unref (load_delta (fx, &version->deltas[d], NULL));
        }
    }

  return index;
}

static void
test_keygen (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = read_text (fx->key_file);
  g_autofree char *after = NULL;
  g_autofree char *other = g_build_filename (fx->dir, "other-key", NULL);
  g_autofree char *out2 = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (fx->key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_str_has_prefix (before, "ed25519-secret:"));

  /* A second keygen to the same file refuses and leaves the key alone. */
  g_assert_cmpint (run_hub (&out, &err, "keygen", "--output", fx->key_file, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  after = read_text (fx->key_file);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (run_hub (&out2, NULL, "keygen", "--output", other, NULL), ==, 0);
  g_assert_nonnull (strstr (out2, "ed25519:"));
  g_assert_nonnull (strstr (out2, "Key id: "));

  g_assert_cmpint (run_hub (NULL, NULL, "keygen", NULL), ==, 2);
}

static GHashTable *
chunk_set (CxManifest *manifest)
{
  GHashTable *set = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
  GPtrArray *files = cx_manifest_get_files (manifest);

  for (guint f = 0; f < files->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (files, f);

      for (guint c = 0; c < file->chunks->len; c++)
        g_hash_table_add (set, cx_chunk_id_dup (&g_array_index (file->chunks, CxChunkRef, c).id));
    }
  return set;
}

static void
check_v1 (Fixture *fx, CxRepoIndex *index)
{
  const CxRepoPackage *package = cx_repo_index_lookup_package (index, PACKAGE_ID);
  g_autoptr (CxManifest) manifest = NULL;
  GPtrArray *files;
  const char *expected[] = {
    "媒体/朗读.bin",     "空文件.txt",           "第一单元/第一课/天地人.html",
    "第一单元/说明.txt", "课文/古诗/静夜思.txt",
  };

  g_assert_nonnull (package);
  g_assert_cmpuint (package->current, ==, 1);
  manifest = load_manifest (fx, cx_repo_package_lookup_version (package, 1));
  g_assert_cmpstr (cx_manifest_get_title (manifest), ==, "语文 一年级 上册");
  g_assert_cmpuint (cx_manifest_get_units (manifest)->len, ==, 2);

  files = cx_manifest_get_files (manifest);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CxManifestFile *file = cx_manifest_lookup_file (manifest, expected[i]);
      g_autofree char *path = src_path (fx, expected[i]);
      g_autoptr (GBytes) source = read_file_bytes (path);
      CxChunkId sha;

      g_assert_nonnull (file);
      cx_chunk_id_compute (g_bytes_get_data (source, NULL), g_bytes_get_size (source), &sha);
      g_assert_true (cx_chunk_id_equal (&sha, &file->sha256));
      g_assert_cmpuint (file->size, ==, g_bytes_get_size (source));
      if (file->size == 0)
        g_assert_cmpuint (file->chunks->len, ==, 0);
    }
}

/* Small edits: a line in the text, a few bytes in the random file. */
static void
edit_tree (Fixture *fx, guint32 seed)
{
  g_autofree char *text = src_path (fx, "课文/古诗/静夜思.txt");
  g_autofree char *random = src_path (fx, "媒体/朗读.bin");
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) edited = NULL;

  g_file_get_contents (text, &contents, &length, &error);
  g_assert_no_error (error);
  edited = g_string_new_len (contents, length);
  g_string_insert (edited, length / 2, "新增的一行：春眠不觉晓，处处闻啼鸟。\n");
  cx_test_write_file (text, edited->str, edited->len);

  g_clear_pointer (&contents, g_free);
  g_file_get_contents (random, &contents, &length, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    contents[length / 3 + i] ^= (char) (seed + i + 1);
  cx_test_write_file (random, contents, length);
}

static void
copy_tree (const char *from, const char *to)
{
  const char *argv[] = { "cp", "-a", from, to, NULL };

  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
}

static void
test_publish_and_delta (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *v1_src = g_build_filename (fx->dir, "src-v1", NULL);
  g_autoptr (CxRepoIndex) index1 = NULL;
  g_autoptr (CxRepoIndex) index2 = NULL;
  g_autoptr (CxManifest) manifest1 = NULL;
  g_autoptr (CxManifest) manifest2 = NULL;
  g_autoptr (GHashTable) chunks1 = NULL;
  g_autoptr (CxDeltaIndex) delta = NULL;
  g_autoptr (GBytes) delta_pack = NULL;
  const CxRepoPackage *package;
  const CxRepoVersion *v2;
  GArray *packs2;
  guint n_new_packs = 0, n_reused = 0, n_applied = 0;

  publish_ok (fx, REPOSITORY_ID, &out);
  g_assert_nonnull (strstr (out, "version 1"));
  index1 = verify_repository (fx);
  check_v1 (fx, index1);
  package = cx_repo_index_lookup_package (index1, PACKAGE_ID);
  manifest1 = load_manifest (fx, cx_repo_package_lookup_version (package, 1));
  chunks1 = chunk_set (manifest1);

  copy_tree (fx->src, v1_src);
  edit_tree (fx, 1);
  publish_ok (fx, NULL, &out2);
  g_assert_nonnull (strstr (out2, "version 2"));
  g_assert_nonnull (strstr (out2, "reused"));
  index2 = verify_repository (fx);
  g_assert_cmpuint (cx_repo_index_get_version (index2), ==, 2);
  package = cx_repo_index_lookup_package (index2, PACKAGE_ID);
  g_assert_cmpuint (package->current, ==, 2);
  g_assert_cmpuint (package->versions->len, ==, 2);
  v2 = cx_repo_package_lookup_version (package, 2);
  manifest2 = load_manifest (fx, v2);

  /* The new pack holds only chunks v1 did not have; most are reused. */
  packs2 = cx_manifest_get_packs (manifest2);
  for (guint p = 0; p < packs2->len; p++)
    {
      g_autoptr (CxPackIndex) pack = load_pack (fx, &g_array_index (packs2, CxChunkId, p));
      gboolean is_new = !g_hash_table_contains (chunks1, &cx_pack_index_get_entry (pack, 0)->id);

      if (!is_new)
        continue;
      n_new_packs++;
      for (guint i = 0; i < cx_pack_index_get_n_entries (pack); i++)
        g_assert_false (g_hash_table_contains (chunks1, &cx_pack_index_get_entry (pack, i)->id));
    }
  g_assert_cmpuint (n_new_packs, ==, 1);
  {
    g_autoptr (GHashTable) chunks2 = chunk_set (manifest2);
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, chunks2);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      n_reused += g_hash_table_contains (chunks1, id);
    g_assert_cmpuint (n_reused, >, g_hash_table_size (chunks2) / 2);
  }

  /* The v1→v2 delta rebuilds the changed files byte for byte. */
  g_assert_cmpuint (v2->n_deltas, ==, 1);
  g_assert_cmpuint (v2->deltas[0].from, ==, 1);
  delta = load_delta (fx, &v2->deltas[0], &delta_pack);
  for (guint f = 0; f < cx_manifest_get_files (manifest2)->len; f++)
    {
      const CxManifestFile *file = g_ptr_array_index (cx_manifest_get_files (manifest2), f);
      const CxDeltaEntry *entry = cx_delta_index_lookup (delta, file->path, NULL);
      g_autofree char *base_path = NULL;
      g_autofree char *target_path = NULL;
      g_autoptr (GBytes) base = NULL;
      g_autoptr (GBytes) expected = NULL;
      g_autoptr (GBytes) rebuilt = NULL;
      g_autoptr (GError) error = NULL;

      if (entry == NULL)
        continue;
      base_path = g_build_filename (v1_src, file->path, NULL);
      target_path = src_path (fx, file->path);
      base = read_file_bytes (base_path);
      expected = read_file_bytes (target_path);
      rebuilt = cx_delta_apply (
          entry, (const guint8 *) g_bytes_get_data (delta_pack, NULL) + entry->offset,
          entry->compressed_size, g_bytes_get_data (base, NULL), g_bytes_get_size (base), &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (rebuilt, expected));
      g_test_message ("delta for %s: %u bytes for a %u-byte file", file->path,
                      entry->compressed_size, entry->target_size);
      n_applied++;
    }
  g_assert_nonnull (cx_delta_index_lookup (delta, "课文/古诗/静夜思.txt", NULL));
  g_assert_cmpuint (n_applied, ==, cx_delta_index_get_n_entries (delta));
  g_test_message ("v2: %s", out2);
}

static void
test_resign (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxRepoIndex) before = NULL;
  g_autoptr (CxRepoIndex) after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const CxRepoPackage *a, *b;

  g_assert_cmpint (run_hub (NULL, &err, "resign", "--repo", fx->repo, "--key", fx->key_file, NULL),
                   ==, 1);
  publish_ok (fx, REPOSITORY_ID, NULL);
  edit_tree (fx, 2);
  publish_ok (fx, NULL, NULL);
  before = load_index (fx);

  g_assert_cmpint (run_hub (&out, NULL, "resign", "--repo", fx->repo, "--key", fx->key_file,
                            "--expires-days", "30", NULL),
                   ==, 0);
  after = verify_repository (fx);
  g_assert_cmpuint (cx_repo_index_get_version (after), ==, cx_repo_index_get_version (before) + 1);
  g_assert_cmpint (cx_repo_index_get_expires (after) - cx_repo_index_get_timestamp (after), ==,
                   30 * 86400);
  a = cx_repo_index_lookup_package (before, PACKAGE_ID);
  b = cx_repo_index_lookup_package (after, PACKAGE_ID);
  g_assert_cmpuint (a->versions->len, ==, b->versions->len);
  g_assert_cmpuint (a->current, ==, b->current);
  for (guint v = 0; v < a->versions->len; v++)
    {
      const CxRepoVersion *va = &g_array_index (a->versions, CxRepoVersion, v);
      const CxRepoVersion *vb = &g_array_index (b->versions, CxRepoVersion, v);

      g_assert_true (cx_chunk_id_equal (&va->manifest_id, &vb->manifest_id));
      g_assert_cmpuint (va->n_deltas, ==, vb->n_deltas);
    }
}

/* Publishing fails with exit status 1, mentions @needle, and leaves the
 * index as it was. */
static void
assert_publish_fails (Fixture *fx, const char *repository_id, const char *needle)
{
  g_autofree char *index_path = g_build_filename (fx->repo, "v1", "index", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  int status;

  g_file_get_contents (index_path, &before, NULL, NULL);
  if (repository_id != NULL)
    status = run_hub (NULL, &err, "publish", fx->src, "--repo", fx->repo, "--key", fx->key_file,
                      "--repository-id", repository_id, NULL);
  else
    status =
        run_hub (NULL, &err, "publish", fx->src, "--repo", fx->repo, "--key", fx->key_file, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, needle));
  g_file_get_contents (index_path, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
}

static void
write_package_json (Fixture *fx, const char *text)
{
  g_autofree char *path = src_path (fx, "package.json");

  cx_test_write_file (path, text, strlen (text));
}

static void
test_bad_input (Fixture *fx, gconstpointer data)
{
  g_autofree char *link = src_path (fx, "第一单元/链接.txt");
  g_autofree char *fifo = src_path (fx, "管道");
  g_autofree char *other_key = g_build_filename (fx->dir, "other-key", NULL);
  g_autofree char *good_key = g_strdup (fx->key_file);

  /* A new repository needs an id. */
  assert_publish_fails (fx, NULL, "--repository-id");
  assert_publish_fails (fx, "bad id!", "not a valid identifier");

  g_assert_cmpint (symlink ("说明.txt", link), ==, 0);
  assert_publish_fails (fx, REPOSITORY_ID, "symbolic link");
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  assert_publish_fails (fx, REPOSITORY_ID, "管道");
  g_assert_cmpint (g_unlink (fifo), ==, 0);

  write_package_json (fx, "{ \"id\": \"x\", \"title\": ");
  assert_publish_fails (fx, REPOSITORY_ID, "package.json");
  write_package_json (fx, "{ \"id\": \"x\", \"id\": \"y\", \"title\": \"t\" }");
  assert_publish_fails (fx, REPOSITORY_ID, "package.json");
  write_package_json (fx, "{ \"title\": \"t\" }");
  assert_publish_fails (fx, REPOSITORY_ID, "“id”");
  write_package_json (fx, "{ \"id\": \"x\", \"title\": \"t\", \"unit\": [] }");
  assert_publish_fails (fx, REPOSITORY_ID, "unknown member");
  write_package_json (fx, "{ \"id\": \"x\", \"title\": \"t\", \"units\": [ { \"id\": \"u\", "
                          "\"title\": \"u\", \"files\": [\"第一单元/没有.txt\"] } ] }");
  assert_publish_fails (fx, REPOSITORY_ID, "没有.txt");
  write_package_json (fx, "{ \"id\": \"x\", \"title\": \"t\", \"units\": [ { \"id\": \"u\", "
                          "\"title\": \"u\", \"lessons\": [ { \"id\": \"l\", \"title\": \"l\", "
                          "\"files\": [\"../key\"] } ] } ] }");
  assert_publish_fails (fx, REPOSITORY_ID, "../key");
  write_package_json (fx, PACKAGE_JSON_TEXT);

  /* The repository exists now: another key or another id is refused. */
  publish_ok (fx, REPOSITORY_ID, NULL);
  assert_publish_fails (fx, "another-repo", "another-repo");
  g_assert_cmpint (run_hub (NULL, NULL, "keygen", "--output", other_key, NULL), ==, 0);
  g_free (fx->key_file);
  fx->key_file = g_strdup (other_key);
  assert_publish_fails (fx, NULL, "another key");
  g_free (fx->key_file);
  fx->key_file = g_strdup (good_key);

  /* Usage errors. */
  g_assert_cmpint (run_hub (NULL, NULL, "publish", fx->src, NULL), ==, 2);
  g_assert_cmpint (run_hub (NULL, NULL, "publish", "--repo", fx->repo, "--key", fx->key_file, NULL),
                   ==, 2);
  g_assert_cmpint (run_hub (NULL, NULL, "publish", fx->src, "--repo", fx->repo, "--key",
                            fx->key_file, "--expires-days", "0", NULL),
                   ==, 2);

  g_object_unref (verify_repository (fx));
}

/* Library calls: the writer's lock, stale temporaries, version numbers. */
static void
test_writer (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) key = cx_signing_key_load (fx->key_file, &error);
  g_autoptr (CxRepoWriter) writer = NULL;
  g_autoptr (CxRepoWriter) second = NULL;
  g_autofree char *stale = g_build_filename (fx->repo, "v1", "packs", "ab", ".tmp-stale", NULL);
  CxPackageInfo info = { .id = "math-2", .title = "数学" };
  CxPublishStats stats = { 0 };
  guint64 version = 0;

  g_assert_no_error (error);
  writer = cx_repo_writer_open (fx->repo, key, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  writer = cx_repo_writer_open (fx->repo, key, REPOSITORY_ID, &error);
  g_assert_no_error (error);
  cx_repo_writer_set_compression_level (writer, 3);
  g_assert_true (
      cx_repo_writer_publish_tree (writer, fx->src, &info, &version, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (version, ==, 1);
  g_assert_cmpuint (stats.files, ==, 5);
  g_assert_cmpuint (stats.chunks_reused, ==, 0);
  g_assert_cmpuint (stats.pack_bytes, >, 0);

  /* One writer at a time. */
  second = cx_repo_writer_open (fx->repo, key, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_null (second);
  g_clear_error (&error);

  /* Same tree again: a new version, nothing new to pack. */
  g_assert_true (
      cx_repo_writer_publish_tree (writer, fx->src, &info, &version, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (version, ==, 2);
  g_assert_cmpuint (stats.chunks_new, ==, 0);
  g_assert_cmpuint (stats.pack_bytes, ==, 0);
  g_assert_cmpuint (stats.n_deltas, ==, 0);
  g_clear_object (&writer);

  /* A crashed writer's temporaries go at the next open. */
  cx_test_write_file (stale, "x", 1);
  writer = cx_repo_writer_open (fx->repo, key, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));

  /* Versions kept: the newest four of a package. */
  for (guint i = 0; i < 4; i++)
    {
      edit_tree (fx, 10 + i);
      g_assert_true (
          cx_repo_writer_publish_tree (writer, fx->src, &info, &version, &stats, NULL, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&writer);
  {
    g_autoptr (CxRepoIndex) index = verify_repository (fx);
    const CxRepoPackage *package = cx_repo_index_lookup_package (index, "math-2");
    const CxRepoVersion *newest = cx_repo_package_lookup_version (package, 6);

    g_assert_cmpuint (package->versions->len, ==, CX_REPO_WRITER_DEFAULT_KEEP_VERSIONS);
    g_assert_cmpuint (g_array_index (package->versions, CxRepoVersion, 0).version, ==, 3);
    g_assert_cmpuint (newest->n_deltas, ==, 3);
  }
}

/* New content for a crash run: edits in a few large files, a line added. */
static void
change_for_crash (Fixture *fx, guint round)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("大文件/%02u.bin", (round * 3 + i) % 12);
      g_autofree char *path = src_path (fx, name);
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr (GError) error = NULL;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < 64; j++)
        contents[(round * 7919 + i * 104729 + j) % length] ^= (char) (round + 1);
      cx_test_write_file (path, contents, length);
    }
  edit_tree (fx, round);
}

static gint64
publish_killed_after (Fixture *fx, gint64 delay_us)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("CUNXIAO_HUB"),
                              "publish", fx->src, "--repo", fx->repo, "--key", fx->key_file, NULL);
  g_assert_no_error (error);
  if (delay_us >= 0)
    {
      g_usleep (delay_us);
      g_subprocess_send_signal (process, SIGKILL);
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  return g_get_monotonic_time () - start;
}

static void
test_crash (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autofree char *out = NULL;
  guint n_published = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("大文件/%02u.bin", i);
      g_autofree char *path = src_path (fx, name);

      cx_test_write_random_file (path, 512 * 1024, i);
    }
  publish_ok (fx, REPOSITORY_ID, NULL);
  for (guint round = 1; round <= 3; round++)
    {
      change_for_crash (fx, round);
      publish_ok (fx, NULL, NULL);
    }

  for (guint round = 4; round < 14; round++)
    {
      g_autofree char *saved = g_strconcat (fx->repo, "-saved", NULL);
      const char *save[] = { "cp", "-a", fx->repo, saved, NULL };
      const char *drop[] = { "rm", "-rf", fx->repo, NULL };
      g_autoptr (CxRepoIndex) before = load_index (fx);
      g_autoptr (CxRepoIndex) after = NULL;
      guint64 old_version = cx_repo_index_get_version (before);
      gint64 duration, delay;

      /* Time this very publish, put the repository back, then run it again
       * and kill it anywhere from the start to a little past its end. */
      change_for_crash (fx, round);
      g_assert_cmpint (cx_test_run (save, NULL, NULL), ==, 0);
      duration = publish_killed_after (fx, -1);
      g_assert_cmpint (cx_test_run (drop, NULL, NULL), ==, 0);
      g_assert_cmpint (g_rename (saved, fx->repo), ==, 0);
      delay = g_rand_int_range (rand, 0, (gint32) MIN (duration * 13 / 10, G_MAXINT32));

      publish_killed_after (fx, delay);
      after = verify_repository (fx);
      g_assert_cmpuint (cx_repo_index_get_version (after), >=, old_version);
      g_assert_cmpuint (cx_repo_index_get_version (after), <=, old_version + 1);
      n_published += cx_repo_index_get_version (after) > old_version;
      g_test_message ("killed after %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                      " ms: index version %" G_GUINT64_FORMAT,
                      delay / 1000, duration / 1000, cx_repo_index_get_version (after));
    }
  g_test_message ("%u of 10 publishes got as far as the new index", n_published);

  /* The next publish cleans up and succeeds. */
  publish_ok (fx, NULL, &out);
  g_object_unref (verify_repository (fx));
  {
    const char *argv[] = { "find", fx->repo, "-name", ".tmp-*", NULL };
    g_autofree char *found = NULL;

    g_assert_cmpint (cx_test_run (argv, &found, NULL), ==, 0);
    g_assert_cmpstr (found, ==, "");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/cx/hub/publish/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("keygen", test_keygen);
  ADD ("publish-and-delta", test_publish_and_delta);
  ADD ("resign", test_resign);
  ADD ("bad-input", test_bad_input);
  ADD ("writer", test_writer);
  ADD ("crash", test_crash);
#undef ADD

  return g_test_run ();
}
