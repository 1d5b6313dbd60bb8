/* test-records.c: lesson plans, timetable, hand-ins and sync state */
#include "config.h"

#include "cx-test-util.h"

#include "cx-store-hand-ins.h"
#include "cx-store-lessons.h"
#include "cx-store-sync-state.h"
#include "cx-store-timetable.h"

#define SHA256_OF_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char *
item_titles (CxStore *store, gint64 plan_id)
{
  g_autoptr (GPtrArray) items = cx_store_list_lesson_items (store, plan_id, NULL);
  g_autoptr (GString) joined = g_string_new (NULL);

  g_assert_nonnull (items);
  for (guint i = 0; i < items->len; i++)
    {
      CxLessonItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (item->position, ==, i);
      g_string_append_printf (joined, "%s%s", i ? "," : "", item->title);
    }
  return g_strdup (joined->str);
}

static gint64
add_file_item (CxStore *store, gint64 plan_id, const char *title)
{
  g_autoptr (GError) error = NULL;
  CxLessonItem item = { .plan_id = plan_id,
                        .title = (char *) title,
                        .file_path = (char *) "own/slides.pdf",
                        .notes = (char *) "先复习" };
  gint64 id = cx_store_add_lesson_item (store, &item, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_lesson_plans (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxLessonPlan) plan = NULL;
  g_autoptr (CxLessonPlan) copy = NULL;
  g_autoptr (GPtrArray) plans = NULL;
  g_autofree char *order = NULL;
  CxLessonPlan draft = { .title = (char *) "两位数乘法",
                         .class_name = (char *) "二年级一班",
                         .subject = (char *) "数学",
                         .lesson_date = (char *) "2026-11-23",
                         .objectives = (char *) "会用竖式计算" };
  CxLessonItem neither = { .title = (char *) "x" };
  gint64 plan_id, a, b, c, copy_id;

  plan_id = cx_store_create_lesson_plan (store, &draft, &error);
  g_assert_no_error (error);
  plan = cx_store_get_lesson_plan (store, plan_id, &error);
  g_assert_cmpstr (plan->title, ==, "两位数乘法");
  g_assert_cmpstr (plan->lesson_date, ==, "2026-11-23");
  g_assert_true (g_uuid_string_is_valid (plan->uuid));
  g_assert_true (plan->upload_pending);

  a = add_file_item (store, plan_id, "A");
  b = add_file_item (store, plan_id, "B");
  c = add_file_item (store, plan_id, "C");
  order = item_titles (store, plan_id);
  g_assert_cmpstr (order, ==, "A,B,C");
  g_clear_pointer (&order, g_free);

  g_assert_true (cx_store_move_lesson_item (store, c, 0, &error));
  order = item_titles (store, plan_id);
  g_assert_cmpstr (order, ==, "C,A,B");
  g_clear_pointer (&order, g_free);
  g_assert_true (cx_store_move_lesson_item (store, c, 99, &error));
  order = item_titles (store, plan_id);
  g_assert_cmpstr (order, ==, "A,B,C");
  g_clear_pointer (&order, g_free);
  g_assert_true (cx_store_move_lesson_item (store, a, 1, &error));
  order = item_titles (store, plan_id);
  g_assert_cmpstr (order, ==, "B,A,C");
  g_clear_pointer (&order, g_free);
  g_assert_no_error (error);
  (void) b;

  /* An item is a resource or a file, not neither. */
  neither.plan_id = plan_id;
  g_assert_cmpint (cx_store_add_lesson_item (store, &neither, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  copy_id = cx_store_duplicate_lesson_plan (store, plan_id, "两位数乘法（二）", &error);
  g_assert_no_error (error);
  copy = cx_store_get_lesson_plan (store, copy_id, &error);
  g_assert_cmpstr (copy->title, ==, "两位数乘法（二）");
  g_assert_cmpstr (copy->objectives, ==, "会用竖式计算");
  g_assert_cmpstr (copy->uuid, !=, plan->uuid);
  order = item_titles (store, copy_id);
  g_assert_cmpstr (order, ==, "B,A,C");

  plans = cx_store_list_lesson_plans (store, &error);
  g_assert_cmpuint (plans->len, ==, 2);

  g_assert_cmpint (cx_store_duplicate_lesson_plan (store, 9999, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

static void
test_lesson_plan_upload_state (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxLessonPlan) seen = NULL;
  g_autoptr (CxLessonPlan) after = NULL;
  CxLessonPlan draft = { .title = (char *) "识字", .lesson_date = (char *) "2026-02-30" };
  gint64 plan_id;

  g_assert_cmpint (cx_store_create_lesson_plan (store, &draft, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  draft.lesson_date = (char *) "2026-03-02";
  plan_id = cx_store_create_lesson_plan (store, &draft, &error);
  seen = cx_store_get_lesson_plan (store, plan_id, &error);

  /* Edited while uploading: stays queued. */
  add_file_item (store, plan_id, "A");
  g_assert_true (cx_store_mark_lesson_plan_uploaded (store, plan_id, seen->updated_at, &error));
  after = cx_store_get_lesson_plan (store, plan_id, &error);
  g_assert_true (after->upload_pending);

  g_assert_true (cx_store_mark_lesson_plan_uploaded (store, plan_id, after->updated_at, &error));
  g_clear_pointer (&after, cx_lesson_plan_free);
  after = cx_store_get_lesson_plan (store, plan_id, &error);
  g_assert_false (after->upload_pending);
  g_assert_no_error (error);
}

static void
test_timetable (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) day = NULL;
  CxTimetableEntry entry = {
    .uuid = (char *) "7a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93",
    .form = CX_ACTIVITY_SYNC_CLASSROOM,
    .subject = (char *) "音乐",
    .class_name = (char *) "一年级",
    .teacher = (char *) "陈老师",
    .partner_school = (char *) "城关小学",
    .starts_at = 1000,
    .ends_at = 3400,
    .origin = CX_TIMETABLE_FROM_HUB,
    .revision = 3,
  };
  CxTimetableEntry local = { .form = CX_ACTIVITY_LOCAL,
                             .starts_at = 5000,
                             .ends_at = 7000,
                             .origin = CX_TIMETABLE_FROM_SCHOOL,
                             .dirty = TRUE };
  CxTimetableEntry *first;
  CxActivityForm form;
  gint64 id;

  id = cx_store_save_timetable_entry (store, &entry, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &local, &error), >, 0);

  /* Saving the same uuid again updates in place. */
  entry.revision = 4;
  entry.teacher = (char *) "陈明老师";
  g_assert_cmpint (cx_store_save_timetable_entry (store, &entry, &error), ==, id);

  day = cx_store_list_timetable (store, 0, 4000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, ==, 1);
  first = g_ptr_array_index (day, 0);
  g_assert_cmpint (first->form, ==, CX_ACTIVITY_SYNC_CLASSROOM);
  g_assert_cmpstr (first->teacher, ==, "陈明老师");
  g_assert_cmpint (first->revision, ==, 4);
  g_assert_cmpint (first->origin, ==, CX_TIMETABLE_FROM_HUB);
  g_clear_pointer (&day, g_ptr_array_unref);

  day = cx_store_list_timetable (store, 3000, 6000, &error);
  g_assert_cmpuint (day->len, ==, 2);
  g_assert_true (((CxTimetableEntry *) day->pdata[1])->dirty);

  local.uuid = NULL;
  local.ends_at = local.starts_at;
  g_assert_cmpint (cx_store_save_timetable_entry (store, &local, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  local.ends_at = 9000;
  local.uuid = (char *) "../../etc";
  g_assert_cmpint (cx_store_save_timetable_entry (store, &local, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);

  for (form = CX_ACTIVITY_SYNC_CLASSROOM; form <= CX_ACTIVITY_LOCAL; form++)
    {
      CxActivityForm parsed;

      g_assert_true (cx_activity_form_from_string (cx_activity_form_to_string (form), &parsed));
      g_assert_cmpint (parsed, ==, form);
      g_assert_nonnull (cx_activity_form_get_label (form));
    }
}

static void
test_hand_ins (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pending = NULL;
  CxHandIn hand_in = { .assignment = (char *) "写一写",
                       .class_name = (char *) "一年级",
                       .file_name = (char *) "作业.jpg",
                       .content_hash = (char *) SHA256_OF_EMPTY,
                       .size = 0 };
  CxHandIn bad = hand_in;
  CxStoreCounts counts;
  gint64 id;

  id = cx_store_add_hand_in (store, &hand_in, &error);
  g_assert_no_error (error);

  bad.file_name = (char *) "../escape.jpg";
  g_assert_cmpint (cx_store_add_hand_in (store, &bad, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  bad.file_name = (char *) "ok.jpg";
  bad.content_hash = (char *) "E3B0";
  g_assert_cmpint (cx_store_add_hand_in (store, &bad, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  pending = cx_store_list_hand_ins (store, TRUE, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((CxHandIn *) pending->pdata[0])->file_name, ==, "作业.jpg");
  g_clear_pointer (&pending, g_ptr_array_unref);

  g_assert_true (cx_store_mark_hand_in_uploaded (store, id, &error));
  pending = cx_store_list_hand_ins (store, TRUE, &error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_assert_true (cx_store_get_counts (store, &counts, &error));
  g_assert_cmpint (counts.hand_ins, ==, 1);
  g_assert_cmpint (counts.hand_ins_pending, ==, 0);

  g_assert_false (cx_store_mark_hand_in_uploaded (store, id + 100, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

static void
test_sync_state (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *value = NULL;

  missing = cx_store_get_sync_value (store, "timetable-cursor", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  g_assert_true (cx_store_set_sync_value (store, "timetable-cursor", "r17", &error));
  g_assert_true (cx_store_set_sync_value (store, "timetable-cursor", "r18", &error));
  value = cx_store_get_sync_value (store, "timetable-cursor", &error);
  g_assert_cmpstr (value, ==, "r18");

  g_assert_false (cx_store_set_sync_value (store, "device-id", "forged", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/records/lesson-plans", test_lesson_plans);
  g_test_add_func ("/cx/records/lesson-plan-upload-state", test_lesson_plan_upload_state);
  g_test_add_func ("/cx/records/timetable", test_timetable);
  g_test_add_func ("/cx/records/hand-ins", test_hand_ins);
  g_test_add_func ("/cx/records/sync-state", test_sync_state);

  return g_test_run ();
}
