/* test-library.c: the library models the app shows, and lesson plans with their files
 *
 * The demo package is published and served for real, then installed with
 * only its second unit, so the course tree must tell the units on this
 * computer from those that are not.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cx-lesson-files.h"
#include "cx-library.h"
#include "cx-store-catalog.h"
#include "cx-store-lessons.h"
#include "cx-test-repo.h"

typedef CxTestRepo Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  cx_test_repo_init (fx);
  g_free (fx->src);
  fx->src = g_strdup (g_getenv ("CUNXIAO_DEMO"));
  cx_test_repo_serve (fx, "test-library");
  g_assert_cmpint (cx_test_cli (fx->data_dir, &out, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (cx_test_cli (fx->data_dir, NULL, &err, "hub", "add", fx->hub_url, "--key",
                                fx->public_key, NULL),
                   ==, 0);
  g_assert_cmpint (cx_test_cli (fx->data_dir, NULL, &err, "packages", "install", "yuwen-1a",
                                "--units", "unit-2", NULL),
                   ==, 0);
}

static CxCourseNode *
child (GListModel *model, const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (model, i);

      if (g_strcmp0 (cx_course_node_get_id (node), id) == 0)
        return node;
    }
  g_error ("no course node %s", id);
  return NULL;
}

static void
test_course_tree (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  g_autoptr (CxLibrary) library = cx_library_new (store, &error);
  g_autoptr (GListModel) packages = NULL;
  g_autoptr (GListModel) results = NULL;
  g_autoptr (CxCourseNode) found = NULL;
  g_autofree char *path = NULL;
  g_autofree char *kind = NULL;
  g_auto (GStrv) units = NULL;
  CxCourseNode *package, *unit1, *unit2, *lesson, *poem, *loose;

  g_assert_no_error (error);
  packages = cx_library_list_packages (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (packages), ==, 1);
  package = child (packages, "yuwen-1a");
  g_assert_cmpstr (cx_course_node_get_title (package), ==, "语文 一年级 上册（演示）");
  g_assert_nonnull (strstr (cx_course_node_get_subtitle (package), "语文"));

  unit1 = child (cx_course_node_get_children (package), "unit-1");
  unit2 = child (cx_course_node_get_children (package), "unit-2");
  g_assert_false (cx_course_node_get_on_disk (unit1));
  g_assert_true (cx_course_node_get_on_disk (unit2));
  g_assert_cmpstr (cx_course_node_get_title (unit2), ==, "第二单元 古诗诵读");

  /* A lesson of a unit not on disk lists its files, none of them openable. */
  lesson = child (cx_course_node_get_children (unit1), "lesson-1");
  poem = child (cx_course_node_get_children (lesson), "unit-1/lesson-1/天地人.html");
  g_assert_false (cx_course_node_get_on_disk (poem));
  g_assert_cmpint (cx_course_node_get_resource_id (poem), ==, 0);

  lesson = child (cx_course_node_get_children (unit2), "lesson-2");
  poem = child (cx_course_node_get_children (lesson), "unit-2/lesson-2/静夜思.html");
  g_assert_true (cx_course_node_get_on_disk (poem));
  g_assert_cmpstr (cx_course_node_get_resource_kind (poem), ==, "html");
  child (cx_course_node_get_children (lesson), "unit-2/lesson-2/静夜思.webm");
  child (cx_course_node_get_children (unit2), "unit-2/朗读要求.txt");
  loose = child (cx_course_node_get_children (package), "使用说明.txt");
  g_assert_true (cx_course_node_get_on_disk (loose));

  path = cx_library_get_resource_file (library, cx_course_node_get_resource_id (poem), &kind, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kind, ==, "html");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_suffix (path, "/unit-2/lesson-2/静夜思.html"));

  /* Search finds parts of Chinese words; what is not installed is not found. */
  results = cx_library_search (library, "静夜", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  found = g_list_model_get_item (results, 0);
  g_assert_nonnull (strstr (cx_course_node_get_subtitle (found), "古诗诵读"));
  g_clear_object (&results);
  results = cx_library_search (library, "天地人", 10, &error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);

  units = cx_library_units_with (library, "yuwen-1a", "unit-1");
  g_assert_cmpuint (g_strv_length (units), ==, 2);
  g_assert_true (g_strv_contains ((const char *const *) units, "unit-1"));
  g_assert_true (g_strv_contains ((const char *const *) units, "unit-2"));
}

static gint64
first_resource (CxLibrary *library, const char *text)
{
  g_autoptr (GListModel) results = cx_library_search (library, text, 1, NULL);
  g_autoptr (CxCourseNode) node = g_list_model_get_item (results, 0);

  return cx_course_node_get_resource_id (node);
}

static void
test_lesson_plan (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  g_autoptr (CxLibrary) library = cx_library_new (store, &error);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (CxLessonPlan) saved = NULL;
  g_autofree char *own = g_build_filename (fx->dir, "讲义.PDF", NULL);
  g_autofree char *missing = g_build_filename (fx->dir, "gone.pdf", NULL);
  g_autofree char *item_path = NULL;
  g_autofree char *item_kind = NULL;
  g_autofree char *contents = NULL;
  CxLessonPlan plan = { 0 };
  CxLessonItem item = { 0 };
  gint64 plan_id, own_id;
  gsize length = 0;

  plan.title = (char *) "古诗两首";
  plan.lesson_date = (char *) "2026-11-24";
  plan_id = cx_store_create_lesson_plan (store, &plan, &error);
  g_assert_no_error (error);

  item.plan_id = plan_id;
  item.title = (char *) "静夜思";
  item.resource_id = first_resource (library, "静夜思");
  g_assert_cmpint (cx_store_add_lesson_item (store, &item, &error), >, 0);
  item.title = (char *) "咏鹅";
  item.resource_id = first_resource (library, "咏鹅");
  g_assert_cmpint (cx_store_add_lesson_item (store, &item, &error), >, 0);

  /* The teacher's own file is copied in: it stays when the original goes. */
  g_assert_true (g_file_set_contents (own, "%PDF-1.4 not really\n", -1, NULL));
  own_id = cx_lesson_files_add (store, plan_id, own, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (own), ==, 0);
  g_assert_cmpint (cx_lesson_files_add (store, plan_id, missing, NULL, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  items = cx_store_list_lesson_items (store, plan_id, &error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((CxLessonItem *) items->pdata[2])->title, ==, "讲义");
  item_path = cx_library_get_lesson_item_file (library, items->pdata[2], &item_kind, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item_kind, ==, "pdf");
  g_assert_true (g_file_get_contents (item_path, &contents, &length, NULL));
  g_assert_cmpstr (contents, ==, "%PDF-1.4 not really\n");
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Notes, reordering and removal keep positions 0, 1, 2, … */
  g_assert_true (cx_store_set_lesson_item_notes (store, own_id, "先看讲义", &error));
  g_assert_true (cx_store_move_lesson_item (store, own_id, 0, &error));
  g_assert_true (cx_store_remove_lesson_item (store, ((gint64) 1), &error));
  g_assert_no_error (error);
  items = cx_store_list_lesson_items (store, plan_id, &error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (((CxLessonItem *) items->pdata[0])->notes, ==, "先看讲义");
  g_assert_cmpint (((CxLessonItem *) items->pdata[0])->position, ==, 0);
  g_assert_cmpstr (((CxLessonItem *) items->pdata[1])->title, ==, "咏鹅");
  g_assert_cmpint (((CxLessonItem *) items->pdata[1])->position, ==, 1);
  g_assert_false (cx_store_remove_lesson_item (store, 999, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A bad date is refused and nothing of the update is kept. */
  plan.id = plan_id;
  plan.title = (char *) "改了标题";
  plan.lesson_date = (char *) "24/11/2026";
  g_assert_false (cx_store_update_lesson_plan (store, &plan, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  saved = cx_store_get_lesson_plan (store, plan_id, &error);
  g_assert_cmpstr (saved->title, ==, "古诗两首");
  g_clear_pointer (&saved, cx_lesson_plan_free);

  plan.lesson_date = (char *) "2026-11-25";
  plan.class_name = (char *) "一年级";
  plan.objectives = (char *) "会背诵";
  g_assert_true (cx_store_update_lesson_plan (store, &plan, &error));
  saved = cx_store_get_lesson_plan (store, plan_id, &error);
  g_assert_cmpstr (saved->title, ==, "改了标题");
  g_assert_cmpstr (saved->class_name, ==, "一年级");
  g_assert_cmpstr (saved->objectives, ==, "会背诵");
  g_assert_true (saved->upload_pending);
}

/* A timetable entry's fallback, found among the installed resources, or
 * why not: no fallback, no package, a unit not fetched, no such file. */
static void
test_timetable_fallback (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->data_dir, &error);
  g_autoptr (CxLibrary) library = cx_library_new (store, &error);
  g_autofree char *path = NULL;
  g_autofree char *unit = NULL;
  CxTimetableEntry entry = { .form = CX_ACTIVITY_SYNC_CLASSROOM,
                             .package_key = (char *) "yuwen-1a",
                             .live_url = (char *) "http://127.0.0.1:9/live",
                             .fallback = (char *) "unit-2/lesson-2/静夜思.webm" };
  CxFallbackState state = CX_FALLBACK_NONE;
  gint64 id;

  id = cx_library_find_fallback (library, &entry, &state, &unit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, CX_FALLBACK_READY);
  g_assert_null (unit);
  path = cx_library_get_resource_file (library, id, NULL, NULL, &error);
  g_assert_true (g_str_has_suffix (path, "/unit-2/lesson-2/静夜思.webm"));

  entry.fallback = (char *) "unit-1/lesson-1/生字练习.pdf";
  g_assert_cmpint (cx_library_find_fallback (library, &entry, &state, &unit, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_cmpint (state, ==, CX_FALLBACK_UNIT_MISSING);
  g_assert_cmpstr (unit, ==, "unit-1");
  g_clear_error (&error);
  g_clear_pointer (&unit, g_free);

  entry.fallback = (char *) "unit-2/lesson-2/没有.webm";
  g_assert_cmpint (cx_library_find_fallback (library, &entry, &state, &unit, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (state, ==, CX_FALLBACK_FILE_MISSING);
  g_assert_null (unit);
  g_clear_error (&error);

  entry.package_key = (char *) "shuxue-9";
  g_assert_cmpint (cx_library_find_fallback (library, &entry, &state, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "shuxue-9"));
  g_assert_cmpint (state, ==, CX_FALLBACK_PACKAGE_MISSING);
  g_clear_error (&error);

  entry.fallback = (char *) "";
  g_assert_cmpint (cx_library_find_fallback (library, &entry, &state, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (state, ==, CX_FALLBACK_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  cx_test_repo_add ("/library/course-tree", fixture_set_up, test_course_tree);
  cx_test_repo_add ("/library/lesson-plan", fixture_set_up, test_lesson_plan);
  cx_test_repo_add ("/library/timetable-fallback", fixture_set_up, test_timetable_fallback);
  return g_test_run ();
}
