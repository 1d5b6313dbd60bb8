/* test-hub-report.c: the county table from events real syncs brought to a real hub */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cx-report.h"
#include "cx-store-private.h"
#include "cx-test-repo.h"
#include "cx-test-report-fixture.h"
#include "cx-test-util.h"

typedef struct
{
  char *dir;
  char *repo;
  char *hub_data;
  GSubprocess *hub;
  char *url;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = cx_test_make_dir ();
  fx->repo = g_build_filename (fx->dir, "repo", NULL);
  fx->hub_data = g_build_filename (fx->dir, "hub", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fx->repo, 0700), ==, 0);
  fx->hub = cx_test_start_hub_full (fx->repo, fx->hub_data, 0, &fx->url);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->hub != NULL)
    {
      g_free (cx_test_stop_hub (fx->hub));
      g_object_unref (fx->hub);
    }
  g_free (fx->url);
  g_free (fx->hub_data);
  g_free (fx->repo);
  g_free (fx->dir);
}

static char *
enrolment_code (Fixture *fx, const char *school)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "enroll", "--data", fx->hub_data, "--school", school, NULL
  };
  g_autofree char *out = NULL;

  g_assert_cmpint (cx_test_run (argv, &out, NULL), ==, 0);
  return g_strndup (strrchr (out, ':') + 2, 14);
}

/* A laptop of @school: enrolled, its answers for October given, synced. */
static void
sync_laptop (Fixture *fx, const char *laptop, const char *school, const char *const *answers)
{
  g_autofree char *code = enrolment_code (fx, school);

  g_assert_cmpint (cx_test_cli (laptop, NULL, NULL, "enroll", fx->url, code, NULL), ==, 0);
  for (guint i = 0; answers[i] != NULL; i++)
    g_assert_cmpint (
        cx_test_cli (laptop, NULL, NULL, "report", "--month", "2026-10", "--set", answers[i], NULL),
        ==, 0);
  g_assert_cmpint (cx_test_cli (laptop, NULL, NULL, "sync", "--once", NULL), ==, 0);
}

/* The district's timetable at the hub: the fixture's 同步, 专递 and 名师
 * classes (its 网络研修 is the school's own, and never reached the hub). */
static void
import_timetable (Fixture *fx)
{
  g_autofree char *path = g_build_filename (fx->dir, "timetable.json", NULL);
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "timetable", "--data", fx->hub_data, "--import", path, NULL
  };
  const char *json =
      "[{\"uuid\":\"" CX_TEST_REPORT_T1 "\",\"form\":\"sync-classroom\",\"subject\":\"数学\","
      "\"class\":\"一年级\",\"teacher\":\"王老师\",\"starts_at\":1790000000,\"ends_at\":1790002400}"
      ","
      "{\"uuid\":\"" CX_TEST_REPORT_T2 "\",\"form\":\"remote-delivery\",\"subject\":\"英语\","
      "\"class\":\"一年级\",\"teacher\":\"李老师\",\"starts_at\":1790000000,\"ends_at\":1790002400}"
      ","
      "{\"uuid\":\"" CX_TEST_REPORT_T3 "\",\"form\":\"master-classroom\",\"subject\":\"科学\","
      "\"class\":\"二年级\",\"teacher\":\"张名师\",\"starts_at\":1790000000,"
      "\"ends_at\":1790002400}]";

  cx_test_write_file (path, json, strlen (json));
  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
}

static JsonObject *
find_school (JsonArray *schools, const char *name)
{
  for (guint i = 0; i < json_array_get_length (schools); i++)
    {
      JsonObject *school = json_array_get_object_element (schools, i);

      if (g_str_equal (json_object_get_string_member (school, "school"), name))
        return school;
    }
  g_assert_not_reached ();
}

static void
assert_form (JsonObject *school, int form, gint64 activities, gint64 teachers, gint64 pupils)
{
  JsonObject *row =
      json_array_get_object_element (json_object_get_array_member (school, "forms"), form);

  g_assert_cmpint (json_object_get_int_member (row, "activities"), ==, activities);
  g_assert_cmpint (json_object_get_int_member (row, "teachers"), ==, teachers);
  g_assert_cmpint (json_object_get_int_member (row, "pupils"), ==, pupils);
}

static void
test_county (Fixture *fx, gconstpointer data)
{
  g_autofree char *east = g_build_filename (fx->dir, "east", NULL);
  g_autofree char *west = g_build_filename (fx->dir, "west", NULL);
  g_autofree char *json_path = g_build_filename (fx->dir, "county.json", NULL);
  g_autofree char *csv_path = g_build_filename (fx->dir, "county.csv", NULL);
  g_autofree char *xlsx_path = g_build_filename (fx->dir, "county.xlsx", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *none = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *school, *rates;
  const char *east_answers[] = { "agreement-signed=yes", "equipment-ok=yes", "space-opened=no",
                                 NULL };
  const char *west_answers[] = { "agreement-signed=no", "equipment-ok=yes", "space-opened=yes",
                                 NULL };

  import_timetable (fx);
  {
    g_autoptr (CxStore) store = cx_store_create (east, &error);

    g_assert_no_error (error);
    cx_test_report_fixture_fill (store);
    /* Its files are not here: the hub has them already. */
    _cx_store_exec (store, "UPDATE hand_ins SET upload_state = 'uploaded'", &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr (CxStore) store = cx_store_create (west, &error);

    g_assert_no_error (error);
    cx_test_report_fixture_add_bulk (store, 2026, 10, 1000);
  }
  sync_laptop (fx, east, "东山村小", east_answers);
  sync_laptop (fx, west, "西坡教学点", west_answers);
  /* A school given a code but no computer yet is not in the table. */
  none = enrolment_code (fx, "北岭小学");
  g_free (cx_test_stop_hub (fx->hub));
  g_clear_object (&fx->hub);

  {
    const char *argv[] = { g_getenv ("CUNXIAO_HUB"),
                           "report",
                           "--data",
                           fx->hub_data,
                           "--month",
                           "2026-10",
                           "-o",
                           json_path,
                           "--format",
                           "json",
                           NULL };

    g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
  }
  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "month"), ==, "2026-10");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "schools")), ==, 2);

  /* The fixture as the hub sees it: no rosters, no plan authors, and the
   * school's own 网络研修 entry unknown (docs/report.md). */
  school = find_school (json_object_get_array_member (root, "schools"), "东山村小");
  g_assert_cmpint (json_object_get_int_member (school, "devices"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (school, "agreement_signed"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (school, "space_opened"), ==, "no");
  assert_form (school, CX_ACTIVITY_SYNC_CLASSROOM, 1, 2, 11);
  assert_form (school, CX_ACTIVITY_REMOTE_DELIVERY, 1, 1, 0);
  assert_form (school, CX_ACTIVITY_MASTER_CLASSROOM, 1, 1, 0);
  assert_form (school, CX_ACTIVITY_ONLINE_RESEARCH, 0, 0, 0);
  assert_form (school, CX_ACTIVITY_LOCAL, 1, 0, 0);
  g_assert_cmpint (json_object_get_int_member (school, "lesson_plans"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (school, "hand_ins"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (school, "events"), ==, 24);
  g_assert_cmpint (json_object_get_int_member (school, "skipped"), ==, 6);

  /* The bulk: one event in ten a class joined, of 40 entries, half 专递, half 研修. */
  school = find_school (json_object_get_array_member (root, "schools"), "西坡教学点");
  assert_form (school, CX_ACTIVITY_REMOTE_DELIVERY, 20, 0, 0);
  assert_form (school, CX_ACTIVITY_ONLINE_RESEARCH, 20, 0, 0);
  assert_form (school, CX_ACTIVITY_LOCAL, 100, 7, 100 * 10);
  g_assert_cmpint (json_object_get_int_member (school, "hand_ins"), ==, 100);

  rates = json_object_get_object_member (root, "rates");
  g_assert_cmpfloat (json_object_get_double_member (rates, "agreements_signed"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (rates, "equipment_ok"), ==, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (rates, "spaces_opened"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (root, "answered"), ==, 2);

  {
    const char *argv[] = { g_getenv ("CUNXIAO_HUB"),
                           "report",
                           "--data",
                           fx->hub_data,
                           "--month",
                           "2026-10",
                           "-o",
                           csv_path,
                           "--format",
                           "csv",
                           NULL };
    const char *xlsx[] = { g_getenv ("CUNXIAO_HUB"),
                           "report",
                           "--data",
                           fx->hub_data,
                           "--month",
                           "2026-10",
                           "-o",
                           xlsx_path,
                           NULL };

    g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
    g_assert_cmpint (cx_test_run (xlsx, NULL, NULL), ==, 0);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (csv, "\r\n2,2,50.0%,100.0%,50.0%,0\r\n"));
  g_assert_nonnull (strstr (csv, "\r\n东山村小,1,是,是,否,0,1,2,11,1,1,0,1,1,0,0,0,0,2,2\r\n"));
  g_assert_true (g_file_test (xlsx_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_bad_month (Fixture *fx, gconstpointer data)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "report", "--data", fx->hub_data, "--month", "October", NULL
  };
  g_autofree char *err = NULL;

  g_assert_cmpint (cx_test_run (argv, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "YYYY-MM"));
}

static void
test_empty (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->dir, "empty.csv", NULL);
  const char *argv[] = { g_getenv ("CUNXIAO_HUB"),
                         "report",
                         "--data",
                         fx->hub_data,
                         "--month",
                         "2026-10",
                         "-o",
                         path,
                         NULL };
  g_autofree char *err = NULL;
  g_autofree char *csv = NULL;

  g_assert_cmpint (cx_test_run (argv, NULL, &err), ==, 0);
  g_assert_nonnull (strstr (err, "No school is enrolled"));
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  /* The headings, a total of nothing, and rates of no schools. */
  g_assert_nonnull (strstr (csv, "\r\n合计,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r\n"));
  g_assert_nonnull (strstr (csv, "\r\n0,0,0.0%,0.0%,0.0%,0\r\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/hub/report/county", Fixture, NULL, fixture_set_up, test_county, fixture_tear_down);
  g_test_add ("/hub/report/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/hub/report/bad-month", Fixture, NULL, fixture_set_up, test_bad_month,
              fixture_tear_down);
  return g_test_run ();
}
