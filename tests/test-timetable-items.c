/* test-timetable-items.c: timetable entries as list items, the school's own
 * checked and saved, and the hub's version of a conflict read back */
#include "config.h"

#include "cx-test-util.h"
#include "cx-timetable-edit.h"
#include "cx-timetable-item.h"

#define UUID_HUB  "6f1c2a0e-93a4-4b1e-9d55-1f2a3b4c5d6e"
#define UUID_MINE "0b7e4c1d-2f3a-4e5b-8c6d-7e8f9a0b1c2d"
#define T0        1795500000 /* a Monday morning in 2026 */

static CxTimetableEntry
school_entry (void)
{
  CxTimetableEntry entry = { 0 };

  entry.form = CX_ACTIVITY_LOCAL;
  entry.subject = (char *) "数学";
  entry.class_name = (char *) "三年级";
  entry.starts_at = T0;
  entry.ends_at = T0 + 2400;
  return entry;
}

static void
test_check (void)
{
  CxTimetableEntry entry = school_entry ();
  g_autofree char *long_name = g_strnfill (201, 'x');
  CxTimetableFields field = 0;
  GError *error = NULL;

  g_assert_true (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpint (field, ==, 0);

  entry.subject = (char *) "  ";
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_SUBJECT);
  g_clear_error (&error);

  entry = school_entry ();
  entry.class_name = NULL;
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_CLASS);
  g_clear_error (&error);

  entry = school_entry ();
  entry.ends_at = entry.starts_at;
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_ENDS);
  g_clear_error (&error);

  /* The hub refuses texts over 200 bytes: so does the form. */
  entry = school_entry ();
  entry.teacher = long_name;
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_TEACHER);
  g_clear_error (&error);
}

static CxTimetableItem *
find (CxStore *store, const char *uuid)
{
  g_autoptr (GError) error = NULL;
  CxTimetableItem *item = cx_timetable_find_item (store, uuid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

/* The live-class address and the file to open instead, checked as the hub
 * checks them, each pointing at its own field. */
static void
test_check_live (void)
{
  CxTimetableEntry entry = school_entry ();
  CxTimetableFields field = 0;
  GError *error = NULL;

  entry.live_url = (char *) "https://live.example.org/class/42";
  entry.package_key = (char *) "yuwen-1a";
  entry.fallback = (char *) "unit-2/lesson-2/静夜思.html";
  g_assert_true (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_no_error (error);

  entry.live_url = (char *) "live.example.org/class/42";
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_LIVE_URL);
  g_clear_error (&error);

  entry = school_entry ();
  entry.package_key = (char *) "yuwen-1a";
  entry.fallback = (char *) "../secret.txt";
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_FALLBACK);
  g_clear_error (&error);

  /* A file of no package cannot be found. */
  entry.fallback = (char *) "unit-2/lesson-2/静夜思.html";
  entry.package_key = NULL;
  g_assert_false (cx_timetable_check_entry (&entry, &field, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_assert_cmpint (field, ==, CX_TIMETABLE_FIELD_FALLBACK);
  g_clear_error (&error);
}

static void
test_save_school_entry (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableItem) saved = NULL;
  g_autoptr (GListModel) week = NULL;
  CxTimetableEntry entry = school_entry ();
  CxTimetableEntry hub = school_entry ();
  const CxTimetableEntry *e;

  /* A new class: the school's own, to be sent, on no revision yet. */
  entry.uuid = (char *) UUID_MINE;
  entry.origin = CX_TIMETABLE_FROM_HUB; /* the caller's word does not count */
  entry.revision = 7;
  g_assert_cmpint (cx_timetable_save_school_entry (store, &entry, &error), >, 0);
  g_assert_no_error (error);
  saved = find (store, UUID_MINE);
  e = cx_timetable_item_get_entry (saved);
  g_assert_cmpint (e->origin, ==, CX_TIMETABLE_FROM_SCHOOL);
  g_assert_true (e->dirty);
  g_assert_cmpint (e->revision, ==, 0);
  g_assert_true (cx_timetable_item_can_edit (saved));
  g_assert_false (cx_timetable_item_is_live (saved));

  /* Changed after the hub took it at revision 3: it stays based on 3. */
  g_assert_true (cx_store_timetable_entry_pushed (store, UUID_MINE, 3, &error));
  entry.subject = (char *) "语文";
  g_assert_cmpint (cx_timetable_save_school_entry (store, &entry, &error), >, 0);
  g_clear_object (&saved);
  saved = find (store, UUID_MINE);
  e = cx_timetable_item_get_entry (saved);
  g_assert_cmpstr (e->subject, ==, "语文");
  g_assert_cmpint (e->revision, ==, 3);
  g_assert_true (e->dirty);

  /* The district's classes are not the school's to change. */
  hub.uuid = (char *) UUID_HUB;
  hub.form = CX_ACTIVITY_SYNC_CLASSROOM;
  hub.origin = CX_TIMETABLE_FROM_HUB;
  hub.starts_at = T0 + 3600;
  hub.ends_at = T0 + 6000;
  hub.revision = 2;
  g_assert_cmpint (cx_store_save_timetable_entry (store, &hub, &error), >, 0);
  hub.subject = (char *) "英语";
  g_assert_cmpint (cx_timetable_save_school_entry (store, &hub, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_clear_object (&saved);
  saved = find (store, UUID_HUB);
  g_assert_cmpstr (cx_timetable_item_get_entry (saved)->subject, ==, "数学");
  g_assert_false (cx_timetable_item_get_entry (saved)->dirty);
  g_assert_true (cx_timetable_item_is_live (saved));

  /* Both in the week, in start order; nothing outside it. */
  week = cx_timetable_list_items (store, T0 - 3600, T0 + 7 * 24 * 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (week), ==, 2);
  g_clear_object (&saved);
  saved = g_list_model_get_item (week, 1);
  g_assert_cmpstr (cx_timetable_item_get_uuid (saved), ==, UUID_HUB);
  g_clear_object (&week);
  week = cx_timetable_list_items (store, T0 + 24 * 3600, T0 + 48 * 3600, &error);
  g_assert_cmpuint (g_list_model_get_n_items (week), ==, 0);

  g_assert_null (cx_timetable_find_item (store, "6e1b2a0e-93a4-4b1e-9d55-1f2a3b4c5d6e", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

static void
test_hub_version (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableItem) mine = NULL;
  g_autoptr (CxTimetableItem) hub = NULL;
  g_autoptr (GListModel) conflicts = NULL;
  g_autofree char *json =
      g_strdup_printf ("{\"uuid\":\"" UUID_MINE "\",\"revision\":4,\"form\":\"sync-classroom\","
                       "\"subject\":\"数学\",\"class\":\"三年级\",\"teacher\":\"李老师\","
                       "\"partner_school\":\"\",\"starts_at\":%d,\"ends_at\":%d,"
                       "\"package\":\"\",\"unit\":\"\",\"own\":true}",
                       T0, T0 + 3000);
  CxTimetableEntry entry = school_entry ();
  CxTimetableFields differ;

  entry.uuid = (char *) UUID_MINE;
  g_assert_cmpint (cx_timetable_save_school_entry (store, &entry, &error), >, 0);
  mine = find (store, UUID_MINE);
  g_assert_null (cx_timetable_item_get_hub_version (mine, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  conflicts = cx_timetable_list_conflicts (store, &error);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 0);
  g_clear_object (&conflicts);

  g_assert_true (cx_store_timetable_entry_conflicts (store, UUID_MINE, json, &error));
  g_clear_object (&mine);
  mine = find (store, UUID_MINE);
  hub = cx_timetable_item_get_hub_version (mine, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cx_timetable_item_get_entry (hub)->revision, ==, 4);
  g_assert_cmpstr (cx_timetable_item_get_entry (hub)->teacher, ==, "李老师");
  g_assert_cmpint (cx_timetable_item_get_entry (hub)->origin, ==, CX_TIMETABLE_FROM_SCHOOL);
  differ = cx_timetable_item_compare (mine, hub);
  g_assert_cmpint (differ, ==,
                   CX_TIMETABLE_FIELD_FORM | CX_TIMETABLE_FIELD_TEACHER | CX_TIMETABLE_FIELD_ENDS);
  g_assert_cmpint (cx_timetable_item_compare (hub, hub), ==, 0);
  conflicts = cx_timetable_list_conflicts (store, &error);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 1);

  /* The hub refused without saying what it holds: no version to show. */
  g_assert_true (cx_store_timetable_entry_conflicts (store, UUID_MINE, "{}", &error));
  g_clear_object (&mine);
  g_clear_object (&hub);
  mine = find (store, UUID_MINE);
  g_assert_null (cx_timetable_item_get_hub_version (mine, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/timetable/check", test_check);
  g_test_add_func ("/cx/timetable/check-live", test_check_live);
  g_test_add_func ("/cx/timetable/save-school-entry", test_save_school_entry);
  g_test_add_func ("/cx/timetable/hub-version", test_hub_version);
  return g_test_run ();
}
