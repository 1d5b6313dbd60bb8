/* test-search.c: full-text search finds Chinese substrings and English words */
#include "config.h"

#include "cx-test-util.h"

#include "cx-search-index.h"
#include "cx-store-catalog.h"

typedef struct
{
  char *dir;
  CxStore *store;
  gint64 installed_version;
  gint64 pending_version;
} Fixture;

static const struct
{
  const char *title;
  const char *subject;
  const char *unit;
  const char *lesson;
  const char *kind;
} installed[] = {
  { "两位数乘法练习", "数学", "第四单元 表内乘法", "两位数乘两位数", "pdf" },
  { "乘法口诀表", "数学", "第四单元 表内乘法", "口诀", "image" },
  { "口算练习", "数学", "第四单元 表内乘法", "口算", "pdf" },
  { "古诗两首", "语文", "第八单元", "静夜思", "audio" },
  { "Multiplication practice", "Math", "Unit 4", "Times tables", "video" },
  { "Reading: The Little Tadpole 100%", "English", "Unit 2", "Tadpoles", "html" },
};

static void
add_resource (Fixture *fixture,
              gint64 version_id,
              const char *title,
              const char *subject,
              const char *unit,
              const char *lesson,
              const char *kind)
{
  g_autoptr (GError) error = NULL;
  static guint serial; /* titles may repeat; paths may not */
  g_autofree char *path = g_strdup_printf ("files/%u/%s.%s", serial++, title, kind);
  CxResource resource = {
    .version_id = version_id,
    .title = (char *) title,
    .subject = (char *) subject,
    .grade = 1,
    .edition = (char *) "人教版",
    .unit = (char *) unit,
    .lesson = (char *) lesson,
    .kind = (char *) kind,
    .size = 1024,
    .hash = (char *) "0000000000000000000000000000000000000000000000000000000000000000",
    .path = path,
  };

  g_assert_cmpint (cx_store_add_resource (fixture->store, &resource, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  CxPackage package = { .package_key = (char *) "math-g1", .title = (char *) "一年级数学" };
  gint64 hub_id, package_id;

  fixture->dir = cx_test_make_dir ();
  fixture->store = cx_store_create (fixture->dir, &error);
  g_assert_no_error (error);

  hub_id = cx_store_add_hub (fixture->store, "http://127.0.0.1:1/", "ed25519:AAAA", &error);
  package.hub_id = hub_id;
  package_id = cx_store_save_package (fixture->store, &package, &error);
  fixture->installed_version =
      cx_store_add_package_version (fixture->store, package_id, 1, "m1", 6144, &error);
  fixture->pending_version =
      cx_store_add_package_version (fixture->store, package_id, 2, "m2", 1024, &error);
  g_assert_no_error (error);
  g_assert_true (cx_store_set_package_version_state (fixture->store, fixture->installed_version,
                                                     CX_VERSION_INSTALLED, &error));

  for (guint i = 0; i < G_N_ELEMENTS (installed); i++)
    add_resource (fixture, fixture->installed_version, installed[i].title, installed[i].subject,
                  installed[i].unit, installed[i].lesson, installed[i].kind);

  /* Not installed yet: must never show up. */
  add_resource (fixture, fixture->pending_version, "九九乘法歌", "数学", "第四单元", "", "audio");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->dir);
}

static GPtrArray *
search (Fixture *fixture, const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *results = cx_store_search_resources (fixture->store, text, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static char *
titles (GPtrArray *results)
{
  g_autoptr (GString) joined = g_string_new (NULL);

  for (guint i = 0; i < results->len; i++)
    g_string_append_printf (joined, "%s%s", i ? "|" : "",
                            ((CxResource *) g_ptr_array_index (results, i))->title);
  return g_strdup (joined->str);
}

static void
assert_titles (Fixture *fixture, const char *text, const char *expected)
{
  g_autoptr (GPtrArray) results = search (fixture, text);
  g_autofree char *found = titles (results);

  g_assert_cmpstr (found, ==, expected);
}

static void
test_chinese_substring (Fixture *fixture, gconstpointer data)
{
  /* Two characters: shorter than a trigram, found all the same. Title hits
   * first (earlier position first), then unit-only hits. */
  assert_titles (fixture, "乘法", "乘法口诀表|两位数乘法练习|口算练习");
  /* Three characters and more go through the trigram index. */
  assert_titles (fixture, "两位数乘法", "两位数乘法练习");
  assert_titles (fixture, "乘法练", "两位数乘法练习");
  assert_titles (fixture, "静夜思", "古诗两首");
  /* Several terms must all match, in any field. */
  assert_titles (fixture, "乘法 练习", "两位数乘法练习|口算练习");
  assert_titles (fixture, "乘法　口诀", "乘法口诀表"); /* ideographic space */
  assert_titles (fixture, "除法", "");
}

static void
test_english_words (Fixture *fixture, gconstpointer data)
{
  assert_titles (fixture, "multiplication", "Multiplication practice");
  assert_titles (fixture, "MULTIPLICATION", "Multiplication practice");
  assert_titles (fixture, "tadpole", "Reading: The Little Tadpole 100%");
  assert_titles (fixture, "unit 4", "Multiplication practice");
  assert_titles (fixture, "Unit", "Multiplication practice|Reading: The Little Tadpole 100%");
  assert_titles (fixture, "math", "Multiplication practice");
}

static void
test_awkward_input (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) invalid = NULL;

  /* Characters with a meaning in FTS or LIKE are taken literally. */
  assert_titles (fixture, "100%", "Reading: The Little Tadpole 100%");
  assert_titles (fixture, "%", "Reading: The Little Tadpole 100%");
  assert_titles (fixture, "_", "");
  assert_titles (fixture, "\"tadpole", "");
  assert_titles (fixture, "tad* OR NOT", "");
  assert_titles (fixture, "", "");
  assert_titles (fixture, "   ", "");

  invalid = cx_store_search_resources (fixture->store, "\xff\xfe", 10, &error);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_null (invalid);
}

static void
test_only_installed_versions (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  assert_titles (fixture, "九九", "");
  g_assert_true (cx_store_set_package_version_state (fixture->store, fixture->pending_version,
                                                     CX_VERSION_INSTALLED, &error));
  assert_titles (fixture, "九九", "九九乘法歌");
  g_assert_true (cx_store_set_package_version_state (fixture->store, fixture->installed_version,
                                                     CX_VERSION_SUPERSEDED, &error));
  assert_titles (fixture, "乘法", "九九乘法歌");
}

static void
test_ranking_is_stable (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) first = search (fixture, "练习");
  g_autofree char *first_titles = titles (first);
  g_autoptr (GPtrArray) limited = NULL;

  /* Same order every time, and after reopening the store. */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr (GPtrArray) again = search (fixture, "练习");
      g_autofree char *again_titles = titles (again);

      g_assert_cmpstr (again_titles, ==, first_titles);
    }

  g_clear_object (&fixture->store);
  fixture->store = cx_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  assert_titles (fixture, "练习", first_titles);

  /* Equal-looking titles tie-break by id, so the limit cuts deterministically. */
  limited = cx_store_search_resources (fixture->store, "乘法", 2, &error);
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpstr (((CxResource *) g_ptr_array_index (limited, 0))->title, ==, "乘法口诀表");
}

static char *
ids_from_store (Fixture *fixture, const char *text, guint limit)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = cx_store_search_resources (fixture->store, text, limit, &error);
  g_autoptr (GString) ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (ids, "%" G_GINT64_FORMAT " ",
                            ((CxResource *) g_ptr_array_index (found, i))->id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
ids_from_index (CxSearchIndex *index, const char *text, guint limit)
{
  g_autoptr (GArray) found = cx_search_index_find (index, text, limit);
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (ids, "%" G_GINT64_FORMAT " ", g_array_index (found, gint64, i));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The library searches in memory; it must find what the store finds, in
 * the same order, whatever the limit cuts. */
static void
test_memory_index_agrees (Fixture *fixture, gconstpointer data)
{
  static const char *const syllables[] = { "乘", "法", "练", "习", "口", "算", "Ab", "ab", "x" };
  static const char *const queries[] = {
    "乘",   "乘法", "练习",    "法 乘",  "口算练习", "ab",       "AB",  "x",    "乘法练习",
    "数学", "单元", "multi",   "UNIT 4", "tadpole",  "100%",     "a_b", "静夜", "两位数乘法",
    "不在", "人教", "第四 口", "练 x",   "法法",     "times ta", NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSearchIndex) index = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *later = NULL;
  guint32 seed = 7;

  /* Many near-equal titles: ties on position and length, repeats. */
  for (int i = 0; i < 300; i++)
    {
      g_autoptr (GString) title = g_string_new (NULL);
      int n = 1 + i % 5;

      for (int k = 0; k < n; k++)
        {
          seed = seed * 1103515245 + 12345;
          g_string_append (title, syllables[(seed >> 16) % G_N_ELEMENTS (syllables)]);
        }
      add_resource (fixture, fixture->installed_version, title->str, i % 2 ? "数学" : "语文",
                    i % 3 ? "第四单元" : "Unit 4", i % 7 ? "口算" : "a_b", "pdf");
    }
  /* Not installed: found by neither. */
  add_resource (fixture, fixture->pending_version, "乘法不在", "数学", "", "", "pdf");

  index = cx_search_index_new (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cx_search_index_get_size (index), ==, G_N_ELEMENTS (installed) + 300);
  for (guint q = 0; queries[q] != NULL; q++)
    for (guint limit = 1; limit <= 400; limit *= 20)
      {
        g_autofree char *want = ids_from_store (fixture, queries[q], limit);
        g_autofree char *got = ids_from_index (index, queries[q], limit);

        g_test_message ("“%s”, limit %u: %s", queries[q], limit, want);
        g_assert_cmpstr (got, ==, want);
      }

  /* Installing anything changes the stamp the library compares with. */
  stamp = cx_store_get_catalog_stamp (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stamp, ==, cx_search_index_get_stamp (index));
  add_resource (fixture, fixture->installed_version, "新课", "数学", "", "", "pdf");
  later = cx_store_get_catalog_stamp (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (later, !=, stamp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cx/search/chinese-substring", Fixture, NULL, fixture_set_up, test_chinese_substring,
              fixture_tear_down);
  g_test_add ("/cx/search/english-words", Fixture, NULL, fixture_set_up, test_english_words,
              fixture_tear_down);
  g_test_add ("/cx/search/awkward-input", Fixture, NULL, fixture_set_up, test_awkward_input,
              fixture_tear_down);
  g_test_add ("/cx/search/only-installed-versions", Fixture, NULL, fixture_set_up,
              test_only_installed_versions, fixture_tear_down);
  g_test_add ("/cx/search/ranking-is-stable", Fixture, NULL, fixture_set_up, test_ranking_is_stable,
              fixture_tear_down);
  g_test_add ("/cx/search/memory-index-agrees", Fixture, NULL, fixture_set_up,
              test_memory_index_agrees, fixture_tear_down);

  return g_test_run ();
}
