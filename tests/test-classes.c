/* test-classes.c: classes, their grades, rosters and courses */
#include "config.h"

#include <string.h>

#include "cx-test-util.h"

#include "cx-store-classes.h"
#include "cx-store-lessons.h"
#include "cx-store-packages.h"

static void
test_guess_grade (void)
{
  static const struct
  {
    const char *name;
    int grade;
  } cases[] = {
    { "一年级", 1 },   { "三年二班", 3 }, { "三年级(2)班", 3 }, { "5年级（1）班", 5 },
    { "六年级", 6 },   { "初一", 7 },     { "初三(4)班", 9 },   { "七年级", 7 },
    { "高二", 11 },    { "Grade 3", 3 },  { "grade 12 B", 12 }, { "十二年级", 12 },
    { "兴趣小组", 0 }, { "初五", 0 },     { "十三年级", 0 },    { "2024级", 0 },
    { "", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (cx_class_guess_grade (cases[i].name), ==, cases[i].grade);
    }
}

static void
test_name_order (void)
{
  g_assert_cmpint (cx_class_name_compare ("二年级", "十年级"), <, 0);
  g_assert_cmpint (cx_class_name_compare ("三年(2)班", "三年(10)班"), <, 0);
  g_assert_cmpint (cx_class_name_compare ("三年(10)班", "三年(2)班"), >, 0);
  g_assert_cmpint (cx_class_name_compare ("一年级", "一年级"), ==, 0);
}

static void
test_set_grade (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxClass) klass = NULL;
  g_autoptr (GPtrArray) classes = NULL;
  CxLessonPlan plan = { .title = (char *) "认识钟表", .class_name = (char *) "二年级" };
  CxClass *first, *last;

  /* A name the store does not know yet: a class without pupils, its grade guessed. */
  klass = cx_store_get_class (store, "三年二班", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (klass->name, ==, "三年二班");
  g_assert_cmpint (klass->grade, ==, 3);
  g_assert_false (klass->grade_set);
  g_assert_cmpuint (klass->n_pupils, ==, 0);
  g_clear_pointer (&klass, cx_class_free);

  g_assert_true (cx_store_set_class_grade (store, "三年二班", 4, &error));
  g_assert_no_error (error);
  klass = cx_store_get_class (store, "三年二班", &error);
  g_assert_cmpint (klass->grade, ==, 4);
  g_assert_true (klass->grade_set);
  g_clear_pointer (&klass, cx_class_free);

  /* 0 gives the guess back. */
  g_assert_true (cx_store_set_class_grade (store, "三年二班", 0, &error));
  klass = cx_store_get_class (store, "三年二班", &error);
  g_assert_cmpint (klass->grade, ==, 3);
  g_assert_false (klass->grade_set);
  g_clear_pointer (&klass, cx_class_free);

  g_assert_false (cx_store_set_class_grade (store, "三年二班", 13, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_store_set_class_grade (store, "三年二班", -1, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_store_set_class_grade (store, "", 2, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "class name"));
  g_clear_error (&error);

  /* Classes named by lesson plans are listed too; those without a grade last. */
  g_assert_cmpint (cx_store_create_lesson_plan (store, &plan, &error), >, 0);
  g_assert_true (cx_store_set_class_grade (store, "兴趣小组", 0, &error));
  g_assert_true (cx_store_set_class_grade (store, "初一", 0, &error));
  classes = cx_store_list_classes (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (classes->len, ==, 4);
  first = g_ptr_array_index (classes, 0);
  last = g_ptr_array_index (classes, 3);
  g_assert_cmpstr (first->name, ==, "二年级");
  g_assert_cmpint (first->grade, ==, 2);
  g_assert_cmpstr (((CxClass *) g_ptr_array_index (classes, 1))->name, ==, "三年二班");
  g_assert_cmpstr (((CxClass *) g_ptr_array_index (classes, 2))->name, ==, "初一");
  g_assert_cmpstr (last->name, ==, "兴趣小组");
  g_assert_cmpint (last->grade, ==, 0);
}

static char *
joined_pupils (CxStore *store, const char *class_name)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) pupils = cx_store_list_pupils (store, class_name, &error);

  g_assert_no_error (error);
  return g_strjoinv (",", pupils);
}

static void
test_roster (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxClass) klass = NULL;
  g_autofree char *list = NULL;
  g_autofree char *too_long = NULL;
  g_autoptr (GString) long_name = g_string_new (NULL);

  list = joined_pupils (store, "一年级");
  g_assert_cmpstr (list, ==, "");
  g_clear_pointer (&list, g_free);

  g_assert_true (cx_store_add_pupil (store, "一年级", "王小明", &error));
  g_assert_true (cx_store_add_pupil (store, "一年级", "李红", &error));
  g_assert_true (cx_store_add_pupil (store, "二年级", "王小明", &error));
  g_assert_no_error (error);

  list = joined_pupils (store, "一年级");
  g_assert_true (g_str_equal (list, "李红,王小明") || g_str_equal (list, "王小明,李红"));
  g_clear_pointer (&list, g_free);
  klass = cx_store_get_class (store, "一年级", &error);
  g_assert_cmpuint (klass->n_pupils, ==, 2);

  g_assert_false (cx_store_add_pupil (store, "一年级", "李红", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "李红"));
  g_clear_error (&error);

  g_assert_false (cx_store_add_pupil (store, "一年级", "", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pupil"));
  g_clear_error (&error);
  g_assert_false (cx_store_add_pupil (store, "一年级", " 李红", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_store_add_pupil (store, "一年级", "李\n红", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i < CX_PUPIL_NAME_MAX_CHARS; i++)
    g_string_append (long_name, "名");
  g_assert_true (cx_store_add_pupil (store, "一年级", long_name->str, &error));
  g_assert_no_error (error);
  too_long = g_strconcat (long_name->str, "字", NULL);
  g_assert_false (cx_store_add_pupil (store, "一年级", too_long, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_store_add_pupil (store, "", "李红", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cx_store_add_pupil (store, "一年级", "\xff", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (cx_store_remove_pupil (store, "一年级", long_name->str, &error));
  g_assert_true (cx_store_remove_pupil (store, "一年级", "王小明", &error));
  g_assert_no_error (error);
  list = joined_pupils (store, "一年级");
  g_assert_cmpstr (list, ==, "李红");
  g_clear_pointer (&list, g_free);
  list = joined_pupils (store, "二年级");
  g_assert_cmpstr (list, ==, "王小明");

  g_assert_false (cx_store_remove_pupil (store, "一年级", "王小明", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cx_store_remove_pupil (store, "", "王小明", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cx_store_list_pupils (store, "", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
}

/* A package of @grade; installed when @installed. */
static void
add_package (CxStore *store, gint64 hub_id, const char *key, int grade, gboolean installed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  g_autofree char *tree = g_strconcat ("tree-", key, NULL);
  CxPackage package = {
    .hub_id = hub_id, .package_key = (char *) key, .title = (char *) key, .grade = grade
  };
  gint64 package_id, version_id;

  package_id = cx_store_save_package (store, &package, &error);
  g_assert_no_error (error);
  version_id = cx_store_add_package_version (store, package_id, 1, "m", 10, &error);
  g_assert_no_error (error);
  if (installed)
    g_assert_true (cx_store_commit_install (store, package_id, version_id, tree, TRUE, NULL, none,
                                            NULL, 0, &error));
  g_assert_no_error (error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
class_package_keys (CxStore *store, const char *class_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) packages = cx_store_list_class_packages (store, class_name, &error);
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < packages->len; i++)
    g_ptr_array_add (keys, ((CxPackageStatus *) g_ptr_array_index (packages, i))->package_key);
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return g_strjoinv (",", (char **) keys->pdata);
}

static void
test_class_packages (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *keys = NULL;
  gint64 hub_id = cx_store_add_hub (store, "http://127.0.0.1:1/", "ed25519:AAAA", &error);

  g_assert_no_error (error);
  add_package (store, hub_id, "yuwen-1", 1, TRUE);
  add_package (store, hub_id, "shuxue-1", 1, TRUE);
  add_package (store, hub_id, "kexue-1", 1, FALSE);
  add_package (store, hub_id, "yuwen-3", 3, TRUE);

  keys = class_package_keys (store, "一年级");
  g_assert_cmpstr (keys, ==, "shuxue-1,yuwen-1");
  g_clear_pointer (&keys, g_free);
  keys = class_package_keys (store, "三年二班");
  g_assert_cmpstr (keys, ==, "yuwen-3");
  g_clear_pointer (&keys, g_free);
  keys = class_package_keys (store, "初一");
  g_assert_cmpstr (keys, ==, "");
  g_clear_pointer (&keys, g_free);

  /* The set grade wins over the name. */
  g_assert_true (cx_store_set_class_grade (store, "一年级", 3, &error));
  keys = class_package_keys (store, "一年级");
  g_assert_cmpstr (keys, ==, "yuwen-3");
  g_clear_pointer (&keys, g_free);

  /* Grade unknown: every installed package. */
  keys = class_package_keys (store, "兴趣小组");
  g_assert_cmpstr (keys, ==, "shuxue-1,yuwen-1,yuwen-3");
  g_clear_pointer (&keys, g_free);

  g_assert_null (cx_store_list_class_packages (store, "", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/classes/guess-grade", test_guess_grade);
  g_test_add_func ("/cx/classes/name-order", test_name_order);
  g_test_add_func ("/cx/classes/set-grade", test_set_grade);
  g_test_add_func ("/cx/classes/roster", test_roster);
  g_test_add_func ("/cx/classes/class-packages", test_class_packages);

  return g_test_run ();
}
