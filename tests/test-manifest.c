/* test-manifest.c: manifest round trip and path validation */
#include "config.h"

#include <string.h>

#include <zstd.h>

#include "cx-manifest.h"
#include "cx-sync-error.h"

static void
add_file (CxManifest *manifest, const char *path, const char *content)
{
  g_autoptr (GError) error = NULL;
  CxChunkRef refs[2];
  CxChunkId sha;
  gsize len = strlen (content);
  gsize half = len / 2;

  g_assert_cmpuint (half, >, 0);
  cx_chunk_id_compute (content, len, &sha);
  cx_chunk_id_compute (content, half, &refs[0].id);
  refs[0].size = (guint32) half;
  cx_chunk_id_compute (content + half, len - half, &refs[1].id);
  refs[1].size = (guint32) (len - half);
  g_assert_true (cx_manifest_add_file (manifest, path, 0644, &sha, refs, 2, &error));
  g_assert_no_error (error);
}

static CxManifest *
make_manifest (void)
{
  g_autoptr (CxManifest) manifest = cx_manifest_new ("math-g3", 4);
  g_autoptr (GError) error = NULL;
  const char *unit_files[] = { "unit1/overview.pdf", NULL };
  const char *lesson_files[] = { "unit1/lesson1/课件.pptx", "unit1/lesson1/video.mp4", NULL };
  CxChunkId pack;

  cx_manifest_set_metadata (manifest, "三年级数学", "数学", "三年级", "2024 人教版");
  add_file (manifest, "unit1/overview.pdf", "overview of unit one");
  add_file (manifest, "unit1/lesson1/课件.pptx", "slides for the first lesson");
  add_file (manifest, "unit1/lesson1/video.mp4", "moving pictures");
  cx_chunk_id_compute ("pack", 4, &pack);
  cx_manifest_add_pack (manifest, &pack);
  g_assert_true (cx_manifest_add_unit (manifest, "unit1", "第一单元", unit_files, &error));
  g_assert_true (
      cx_manifest_add_lesson (manifest, "unit1", "lesson1", "第一课", lesson_files, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&manifest);
}

static void
test_round_trip (void)
{
  g_autoptr (CxManifest) manifest = make_manifest ();
  g_autoptr (CxManifest) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) stored = cx_manifest_serialize (manifest, &error);
  g_autoptr (GBytes) again = NULL;
  const CxManifestFile *file;
  const CxManifestUnit *unit;
  const CxManifestLesson *lesson;
  CxChunkId id, wrong;

  g_assert_no_error (error);
  cx_chunk_id_compute (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), &id);
  parsed = cx_manifest_new_from_bytes (stored, &id, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (cx_manifest_get_package_id (parsed), ==, "math-g3");
  g_assert_cmpuint (cx_manifest_get_version (parsed), ==, 4);
  g_assert_cmpstr (cx_manifest_get_title (parsed), ==, "三年级数学");
  g_assert_cmpstr (cx_manifest_get_subject (parsed), ==, "数学");
  g_assert_cmpstr (cx_manifest_get_grade (parsed), ==, "三年级");
  g_assert_cmpstr (cx_manifest_get_edition (parsed), ==, "2024 人教版");
  g_assert_cmpuint (cx_manifest_get_files (parsed)->len, ==, 3);
  g_assert_cmpuint (cx_manifest_get_packs (parsed)->len, ==, 1);
  g_assert_cmpuint (cx_manifest_get_install_size (parsed), ==,
                    cx_manifest_get_install_size (manifest));

  file = cx_manifest_lookup_file (parsed, "unit1/lesson1/课件.pptx");
  g_assert_nonnull (file);
  g_assert_cmpuint (file->size, ==, strlen ("slides for the first lesson"));
  g_assert_cmpuint (file->mode, ==, 0644);
  g_assert_cmpuint (file->chunks->len, ==, 2);

  g_assert_cmpuint (cx_manifest_get_units (parsed)->len, ==, 1);
  unit = g_ptr_array_index (cx_manifest_get_units (parsed), 0);
  g_assert_cmpstr (unit->title, ==, "第一单元");
  g_assert_cmpuint (unit->files->len, ==, 1);
  g_assert_cmpuint (unit->lessons->len, ==, 1);
  lesson = g_ptr_array_index (unit->lessons, 0);
  g_assert_cmpstr (lesson->id, ==, "lesson1");
  g_assert_cmpuint (lesson->files->len, ==, 2);

  /* Serializing the parsed copy gives the same bytes, hence the same id. */
  again = cx_manifest_serialize (parsed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, again));

  /* The id from the index is checked before anything else. */
  wrong = id;
  wrong.bytes[0] ^= 1;
  g_clear_object (&parsed);
  parsed = cx_manifest_new_from_bytes (stored, &wrong, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);
  g_assert_null (parsed);
}

static void
test_bad_paths (void)
{
  const char *bad[] = {
    "",          "/etc/passwd", "..",       ".",  "../escape", "a/../../escape",
    "a/..",      "a/./b",       "a//b",     "a/", "a\\..\\b",  "C:/windows",
    "tab\there", "new\nline",   "\xff\xfe",
  };
  g_autofree char *long_component = g_strnfill (256, 'x');
  g_autofree char *long_path = NULL;
  g_autoptr (GString) deep = g_string_new ("");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (cx_manifest_validate_path (bad[i], -1, &error));
      g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH);
    }

  {
    g_autoptr (GError) error = NULL;

    /* A NUL inside, visible only with an explicit length. */
    g_assert_false (cx_manifest_validate_path ("a\0/../../x", 10, &error));
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH);
    g_clear_error (&error);
    g_assert_false (cx_manifest_validate_path (long_component, -1, &error));
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH);
    g_clear_error (&error);
    while (deep->len <= CX_MANIFEST_MAX_PATH)
      g_string_append (deep, "abcdefg/");
    g_string_append (deep, "f");
    g_assert_false (cx_manifest_validate_path (deep->str, -1, &error));
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH);
  }

  /* What is fine: nested relative paths, Chinese names, dots inside names. */
  g_assert_true (cx_manifest_validate_path ("a/b/c.pdf", -1, NULL));
  g_assert_true (cx_manifest_validate_path ("第一单元/课件 1.pptx", -1, NULL));
  g_assert_true (cx_manifest_validate_path ("..hidden/...", -1, NULL));
}

static GBytes *
compress_json (const char *json)
{
  gsize len = strlen (json);
  size_t bound = ZSTD_compressBound (len);
  g_autofree guint8 *buf = g_malloc (bound);
  size_t n = ZSTD_compress (buf, bound, json, len, 3);

  g_assert_false (ZSTD_isError (n));
  return g_bytes_new (buf, n);
}

#define PKG                                                                                  \
  "\"package\":{\"id\":\"p\",\"version\":1,\"title\":\"t\",\"subject\":\"\",\"grade\":\"\"," \
  "\"edition\":\"\"},\"packs\":[]"
#define SHA   "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\""
#define CHUNK "[\"1111111111111111111111111111111111111111111111111111111111111111\",5]"

static void
assert_manifest_refused (const char *json, int code)
{
  g_autoptr (GBytes) stored = compress_json (json);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxManifest) manifest = cx_manifest_new_from_bytes (stored, NULL, &error);

  g_assert_error (error, CX_SYNC_ERROR, code);
  g_assert_null (manifest);
}

static void
test_bad_manifests (void)
{
  const char *bad_paths[] = { "../x", "/x", "a//b", "a\\\\b", "a/./b", "a\\u0000b" };
  g_autoptr (CxManifest) manifest = cx_manifest_new ("p", 1);
  g_autoptr (GError) error = NULL;
  CxChunkId sha = { { 0 } };
  CxChunkRef ref = { { { 0 } }, 5 };
  g_autoptr (GBytes) garbage = g_bytes_new_static ("garbage!", 8);
  g_autoptr (CxManifest) parsed = NULL;

  /* Every bad path form is refused inside a stored manifest too. */
  for (gsize i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"format\":1," PKG ",\"files\":[{\"path\":\"%s\",\"mode\":420,\"size\":5," SHA
          ",\"chunks\":[" CHUNK "]}]}",
          bad_paths[i]);

      assert_manifest_refused (json, i == G_N_ELEMENTS (bad_paths) - 1 ? CX_SYNC_ERROR_MALFORMED
                                                                       : CX_SYNC_ERROR_BAD_PATH);
    }

  /* Chunks that do not add up, set-uid modes, duplicates, file/dir clash. */
  assert_manifest_refused ("{\"format\":1," PKG ",\"files\":[{\"path\":\"a\",\"mode\":420,"
                           "\"size\":6," SHA ",\"chunks\":[" CHUNK "]}]}",
                           CX_SYNC_ERROR_MALFORMED);
  assert_manifest_refused ("{\"format\":1," PKG ",\"files\":[{\"path\":\"a\",\"mode\":2541,"
                           "\"size\":5," SHA ",\"chunks\":[" CHUNK "]}]}",
                           CX_SYNC_ERROR_MALFORMED);
  assert_manifest_refused ("{\"format\":1," PKG ",\"files\":[{\"path\":\"a\",\"mode\":420,"
                           "\"size\":5," SHA ",\"chunks\":[" CHUNK "]},{\"path\":\"a\","
                           "\"mode\":420,\"size\":5," SHA ",\"chunks\":[" CHUNK "]}]}",
                           CX_SYNC_ERROR_BAD_PATH);
  assert_manifest_refused ("{\"format\":1," PKG ",\"files\":[{\"path\":\"a\",\"mode\":420,"
                           "\"size\":5," SHA ",\"chunks\":[" CHUNK "]},{\"path\":\"a/b\","
                           "\"mode\":420,\"size\":5," SHA ",\"chunks\":[" CHUNK "]}]}",
                           CX_SYNC_ERROR_BAD_PATH);
  assert_manifest_refused ("{\"format\":1," PKG ",\"files\":[],\"units\":[{\"id\":\"u\","
                           "\"title\":\"u\",\"files\":[\"missing\"]}]}",
                           CX_SYNC_ERROR_MALFORMED);
  assert_manifest_refused ("{\"format\":9," PKG ",\"files\":[]}",
                           CX_SYNC_ERROR_UNSUPPORTED_VERSION);

  parsed = cx_manifest_new_from_bytes (garbage, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED);
  g_assert_null (parsed);
  g_clear_error (&error);

  /* The builder refuses the same paths. */
  g_assert_false (cx_manifest_add_file (manifest, "../x", 0644, &sha, &ref, 1, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_BAD_PATH);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/sync/manifest/round-trip", test_round_trip);
  g_test_add_func ("/cx/sync/manifest/bad-paths", test_bad_paths);
  g_test_add_func ("/cx/sync/manifest/bad-manifests", test_bad_manifests);

  return g_test_run ();
}
