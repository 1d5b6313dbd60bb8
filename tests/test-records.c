/* test-records.c: lesson plans, timetable, hand-ins and sync state */
#include "config.h"

#include <string.h>

#include "cx-test-util.h"

#include "cx-store-assignments.h"
#include "cx-store-hand-ins.h"
#include "cx-store-lessons.h"
#include "cx-store-sync-state.h"
#include "cx-store-timetable.h"
#include "cx-sync-error.h"
#include "cx-timetable-record.h"

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

static CxTimetableRecord *
record_with (const char *member, const char *value, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, "7a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93");
  json_builder_set_member_name (b, "form");
  json_builder_add_string_value (b, "sync-classroom");
  json_builder_set_member_name (b, "starts_at");
  json_builder_add_int_value (b, 1000);
  json_builder_set_member_name (b, "ends_at");
  json_builder_add_int_value (b, 3400);
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return cx_timetable_record_new_from_json (json_node_get_object (node), error);
}

/* The live-class address is an http(s) URL and the fallback a file inside
 * the package, on the wire as in the store. */
static void
test_timetable_links (void)
{
  const char *good_urls[] = {
    "http://127.0.0.1:9/live",
    "https://live.example.cn/room/3?k=v",
    "HTTPS://a.b/",
    "",
  };
  const char *bad_urls[] = {
    "ftp://a.b/x",  "javascript:alert(1)", "file:///etc/passwd", "//a.b/x",       "a.b/x",
    "http:///path", "http://a b/",         "http://u:p@a.b/",    "http://a.b/\t", "https://",
  };
  const char *good_paths[] = { "unit-2/lesson-2/静夜思.webm", "a.pdf", "" };
  const char *bad_paths[] = { "../x.webm", "unit/../../x", "/etc/passwd", "a//b",
                              "a/./b",     "C:\\x",        "a\\b" };
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (CxTimetableRecord) parsed = NULL;
  g_autofree char *long_url = NULL;
  g_autofree char *json = NULL;
  CxTimetableEntry entry = { .form = CX_ACTIVITY_SYNC_CLASSROOM,
                             .starts_at = 1000,
                             .ends_at = 3400,
                             .origin = CX_TIMETABLE_FROM_SCHOOL };

  for (guint i = 0; i < G_N_ELEMENTS (good_urls); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CxTimetableRecord) r = record_with ("live_url", good_urls[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (r->live_url, ==, good_urls[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) store_error = NULL;
      g_autoptr (CxTimetableRecord) r = record_with ("live_url", bad_urls[i], &error);

      g_test_message ("%s: %s", bad_urls[i], error != NULL ? error->message : "accepted");
      g_assert_null (r);
      g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED);
      entry.live_url = (char *) bad_urls[i];
      g_assert_cmpint (cx_store_save_timetable_entry (store, &entry, &store_error), ==, 0);
      g_assert_error (store_error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
    }
  long_url = g_strnfill (CX_TIMETABLE_URL_MAX + 1, 'a');
  memcpy (long_url, "http://a/", 9);
  g_assert_false (cx_timetable_check_live_url (long_url, NULL));
  long_url[CX_TIMETABLE_URL_MAX] = '\0';
  g_assert_true (cx_timetable_check_live_url (long_url, NULL));

  entry.live_url = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (good_paths); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CxTimetableRecord) r = record_with ("fallback", good_paths[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (r->fallback, ==, good_paths[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) store_error = NULL;
      g_autoptr (CxTimetableRecord) r = record_with ("fallback", bad_paths[i], &error);

      g_test_message ("%s: %s", bad_paths[i], error != NULL ? error->message : "accepted");
      g_assert_null (r);
      g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED);
      entry.fallback = (char *) bad_paths[i];
      g_assert_cmpint (cx_store_save_timetable_entry (store, &entry, &store_error), ==, 0);
      g_assert_error (store_error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
    }

  /* Both survive the round trip through the wire and the store. */
  parsed = record_with ("live_url", "https://live.example.cn/3", NULL);
  g_free (parsed->fallback);
  parsed->fallback = g_strdup ("unit-2/lesson-2/静夜思.webm");
  parsed->deleted = TRUE;
  json = cx_timetable_record_to_json (parsed);
  {
    g_autoptr (JsonNode) node = json_from_string (json, NULL);
    g_autoptr (CxTimetableRecord) again =
        cx_timetable_record_new_from_json (json_node_get_object (node), NULL);

    g_assert_true (cx_timetable_record_same_content (parsed, again));
    g_assert_true (again->deleted);
    g_free (again->fallback);
    again->fallback = g_strdup ("unit-2/lesson-3/春晓.html");
    g_assert_false (cx_timetable_record_same_content (parsed, again));
  }
  entry.live_url = (char *) "https://live.example.cn/3";
  entry.fallback = (char *) "unit-2/lesson-2/静夜思.webm";
  entry.uuid = (char *) "7a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93";
  g_assert_cmpint (cx_store_save_timetable_entry (store, &entry, NULL), >, 0);
  {
    g_autoptr (CxTimetableEntry) stored = cx_store_get_timetable_entry (store, entry.uuid, NULL);

    g_assert_cmpstr (stored->live_url, ==, entry.live_url);
    g_assert_cmpstr (stored->fallback, ==, entry.fallback);
  }
}

/* People change and remove the school's own entries; the district's stay
 * as the district published them. */
static void
test_timetable_edit_delete (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableEntry) got = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GPtrArray) to_push = NULL;
  CxTimetableEntry district = { .uuid = (char *) "7a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93",
                                .form = CX_ACTIVITY_SYNC_CLASSROOM,
                                .subject = (char *) "语文",
                                .starts_at = 1000,
                                .ends_at = 3400,
                                .origin = CX_TIMETABLE_FROM_HUB,
                                .revision = 2 };
  CxTimetableEntry sent = { .uuid = (char *) "8a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93",
                            .form = CX_ACTIVITY_LOCAL,
                            .subject = (char *) "数学",
                            .starts_at = 5000,
                            .ends_at = 7000,
                            .origin = CX_TIMETABLE_FROM_SCHOOL,
                            .revision = 1 };
  CxTimetableEntry unsent = { .uuid = (char *) "9a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93",
                              .form = CX_ACTIVITY_LOCAL,
                              .starts_at = 8000,
                              .ends_at = 9000,
                              .origin = CX_TIMETABLE_FROM_SCHOOL,
                              .dirty = TRUE };
  CxTimetableEntry change;

  g_assert_cmpint (cx_store_save_timetable_entry (store, &district, &error), >, 0);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &sent, &error), >, 0);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &unsent, &error), >, 0);

  /* The district's entry is read-only here. */
  change = district;
  change.subject = (char *) "音乐";
  g_assert_false (cx_store_edit_timetable_entry (store, &change, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cx_store_delete_timetable_entry (store, district.uuid, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  got = cx_store_get_timetable_entry (store, district.uuid, &error);
  g_assert_cmpstr (got->subject, ==, "语文");
  g_clear_pointer (&got, cx_timetable_entry_free);

  /* An edit keeps the revision it started from and waits to be sent. */
  change = sent;
  change.subject = (char *) "数学（改）";
  change.revision = 99;
  change.live_url = (char *) "https://live.example.cn/7";
  g_assert_true (cx_store_edit_timetable_entry (store, &change, &error));
  g_assert_no_error (error);
  got = cx_store_get_timetable_entry (store, sent.uuid, &error);
  g_assert_cmpstr (got->subject, ==, "数学（改）");
  g_assert_cmpstr (got->live_url, ==, "https://live.example.cn/7");
  g_assert_cmpint (got->revision, ==, 1);
  g_assert_true (got->dirty);
  g_clear_pointer (&got, cx_timetable_entry_free);

  /* Removing: one the hub knows stays as a tombstone to push, hidden from
   * the timetable; one it never had goes at once. */
  g_assert_true (cx_store_delete_timetable_entry (store, sent.uuid, &error));
  g_assert_true (cx_store_delete_timetable_entry (store, unsent.uuid, &error));
  g_assert_no_error (error);
  list = cx_store_list_timetable (store, 0, G_MAXINT64, &error);
  g_assert_cmpuint (list->len, ==, 1);
  to_push = cx_store_list_timetable_to_push (store, &error);
  g_assert_cmpuint (to_push->len, ==, 1);
  g_assert_cmpstr (((CxTimetableEntry *) to_push->pdata[0])->uuid, ==, sent.uuid);
  g_assert_true (((CxTimetableEntry *) to_push->pdata[0])->deleted);
  g_assert_null (cx_store_get_timetable_entry (store, unsent.uuid, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A removed entry cannot be changed or removed again. */
  g_assert_false (cx_store_edit_timetable_entry (store, &change, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cx_store_delete_timetable_entry (store, sent.uuid, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Once the hub took the removal, nothing is left of it. */
  g_assert_true (cx_store_timetable_entry_pushed (store, sent.uuid, 2, &error));
  g_assert_null (cx_store_get_timetable_entry (store, sent.uuid, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

/* What the hub sends: changes, removals, and a change of ours it had
 * already taken. */
static void
test_timetable_apply (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxTimetableEntry) got = NULL;
  g_autoptr (CxTimetableEntry) hub = NULL;
  CxTimetableEntry mine = { .uuid = (char *) "8a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93",
                            .form = CX_ACTIVITY_LOCAL,
                            .subject = (char *) "数学",
                            .starts_at = 5000,
                            .ends_at = 7000,
                            .origin = CX_TIMETABLE_FROM_SCHOOL,
                            .revision = 1 };
  CxTimetableEntry remote = mine;
  gboolean conflict = TRUE;

  g_assert_cmpint (cx_store_save_timetable_entry (store, &mine, &error), >, 0);

  /* Changed here; the hub's revision 2 says the same: no conflict. */
  mine.subject = (char *) "数学（改）";
  g_assert_true (cx_store_edit_timetable_entry (store, &mine, &error));
  remote.subject = (char *) "数学（改）";
  remote.revision = 2;
  g_assert_true (cx_store_apply_hub_timetable_entry (store, &remote, "{}", &conflict, &error));
  g_assert_false (conflict);
  got = cx_store_get_timetable_entry (store, mine.uuid, &error);
  g_assert_false (got->dirty);
  g_assert_cmpint (got->revision, ==, 2);
  g_clear_pointer (&got, cx_timetable_entry_free);

  /* Removed here while the hub changed it: a conflict, with the hub's
   * version readable beside ours. */
  g_assert_true (cx_store_delete_timetable_entry (store, mine.uuid, &error));
  remote.subject = (char *) "英语";
  remote.revision = 3;
  g_assert_true (cx_store_apply_hub_timetable_entry (
      store, &remote,
      "{\"uuid\":\"8a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93\",\"revision\":3,\"form\":\"local\","
      "\"subject\":\"英语\",\"starts_at\":5000,\"ends_at\":7000,\"own\":true}",
      &conflict, &error));
  g_assert_true (conflict);
  {
    g_autoptr (GPtrArray) conflicts = cx_store_list_timetable_conflicts (store, &error);

    g_assert_cmpuint (conflicts->len, ==, 1);
    got = cx_timetable_entry_copy (conflicts->pdata[0]);
  }
  g_assert_true (got->deleted);
  hub = cx_timetable_entry_get_hub_version (got);
  g_assert_nonnull (hub);
  g_assert_cmpstr (hub->subject, ==, "英语");
  g_assert_cmpint (hub->revision, ==, 3);
  g_assert_false (hub->deleted);
  g_clear_pointer (&got, cx_timetable_entry_free);

  /* The hub removes an entry not changed here: it goes. */
  {
    CxTimetableEntry other = remote;

    other.uuid = (char *) "9a0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93";
    other.revision = 1;
    g_assert_cmpint (cx_store_save_timetable_entry (store, &other, &error), >, 0);
    other.revision = 2;
    other.deleted = TRUE;
    g_assert_true (cx_store_apply_hub_timetable_entry (store, &other, "{}", &conflict, &error));
    g_assert_false (conflict);
    g_assert_null (cx_store_get_timetable_entry (store, other.uuid, NULL));

    /* A tombstone of an entry never seen here leaves nothing behind. */
    other.uuid = (char *) "aa0e2d4c-1b8f-4c3e-9d5a-2f6b8c1e0d93";
    g_assert_true (cx_store_apply_hub_timetable_entry (store, &other, "{}", &conflict, &error));
    g_assert_null (cx_store_get_timetable_entry (store, other.uuid, NULL));
  }
  g_assert_no_error (error);
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

static gint64
add_plan (CxStore *store, const char *title, const char *class_name, const char *date)
{
  g_autoptr (GError) error = NULL;
  CxLessonPlan plan = { .title = (char *) title,
                        .class_name = (char *) class_name,
                        .lesson_date = (char *) date };
  gint64 id = cx_store_create_lesson_plan (store, &plan, &error);

  g_assert_no_error (error);
  return id;
}

static gint64
add_assignment (CxStore *store, gint64 plan_id, const char *title, const char *instructions)
{
  g_autoptr (GError) error = NULL;
  gint64 id = cx_store_add_assignment (store, plan_id, title, instructions, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_assignments (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (CxAssignment) got = NULL;
  g_autoptr (GString) long_title = g_string_new (NULL);
  gint64 monday = add_plan (store, "认识钟表", "二年级", "2026-11-23");
  gint64 tuesday = add_plan (store, "认识人民币", "二年级", "2026-11-24");
  gint64 other = add_plan (store, "古诗两首", "三年级", "2026-11-25");
  gint64 a, b, c, d;
  CxAssignment *item;

  a = add_assignment (store, monday, "画一个钟面", "画出 3:30");
  b = add_assignment (store, monday, "课后练习", NULL);
  c = add_assignment (store, tuesday, "买文具", "");
  d = add_assignment (store, other, "背诵", NULL);

  got = cx_store_get_assignment (store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->plan_id, ==, monday);
  g_assert_cmpstr (got->title, ==, "画一个钟面");
  g_assert_cmpstr (got->instructions, ==, "画出 3:30");
  g_assert_cmpstr (got->plan_title, ==, "认识钟表");
  g_assert_cmpstr (got->class_name, ==, "二年级");
  g_assert_cmpstr (got->lesson_date, ==, "2026-11-23");
  g_assert_cmpuint (got->n_hand_ins, ==, 0);
  g_assert_cmpint (got->created_at, >, 0);
  g_clear_pointer (&got, cx_assignment_free);
  got = cx_store_get_assignment (store, c, &error);
  g_assert_null (got->instructions);
  g_clear_pointer (&got, cx_assignment_free);

  list = cx_store_list_assignments (store, monday, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((CxAssignment *) list->pdata[0])->id, ==, a);
  g_assert_cmpint (((CxAssignment *) list->pdata[1])->id, ==, b);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Open for the class: its plans only, the most recent lesson first. */
  list = cx_store_list_class_assignments (store, "二年级", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (((CxAssignment *) list->pdata[0])->id, ==, c);
  g_assert_cmpint (((CxAssignment *) list->pdata[1])->id, ==, a);
  g_assert_cmpint (((CxAssignment *) list->pdata[2])->id, ==, b);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cx_store_list_class_assignments (store, "三年级", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((CxAssignment *) list->pdata[0])->id, ==, d);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cx_store_list_class_assignments (store, "五年级", &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_null (cx_store_list_class_assignments (store, "", &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Bad input adds nothing. */
  g_assert_cmpint (cx_store_add_assignment (store, monday, "", NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cx_store_add_assignment (store, monday, "   ", NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i <= CX_ASSIGNMENT_TITLE_MAX_CHARS; i++)
    g_string_append (long_title, "题");
  g_assert_cmpint (cx_store_add_assignment (store, monday, long_title->str, NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cx_store_add_assignment (store, other + 100, "x", NULL, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cx_store_list_assignments (store, other + 100, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = cx_store_list_assignments (store, monday, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (cx_store_remove_assignment (store, b, &error));
  g_assert_no_error (error);
  g_assert_null (cx_store_get_assignment (store, b, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cx_store_remove_assignment (store, b, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = cx_store_list_assignments (store, monday, &error);
  g_assert_cmpuint (list->len, ==, 1);
  item = list->pdata[0];
  g_assert_cmpint (item->id, ==, a);
}

static void
test_assignment_hand_ins (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (CxAssignment) got = NULL;
  gint64 plan = add_plan (store, "认识钟表", "二年级", "2026-11-23");
  gint64 other_plan = add_plan (store, "古诗两首", "三年级", "2026-11-25");
  gint64 clock = add_assignment (store, plan, "画一个钟面", NULL);
  gint64 practice = add_assignment (store, plan, "课后练习", NULL);
  CxHandIn hand_in = { .assignment_id = clock,
                       .class_name = (char *) "二年级",
                       .pupil = (char *) "王小明",
                       .file_name = (char *) "钟面.jpg",
                       .content_hash = (char *) SHA256_OF_EMPTY };
  CxHandIn free_text = { .assignment = (char *) "自由作业",
                         .class_name = (char *) "二年级",
                         .file_name = (char *) "x.jpg",
                         .content_hash = (char *) SHA256_OF_EMPTY };
  CxHandIn *first;
  gint64 id, second;

  /* The assignment gives the text (for the hub) and the lesson plan. */
  id = cx_store_add_hand_in (store, &hand_in, &error);
  g_assert_no_error (error);
  hand_in.pupil = (char *) "李红";
  hand_in.assignment = (char *) "画钟";
  second = cx_store_add_hand_in (store, &hand_in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cx_store_add_hand_in (store, &free_text, &error), >, 0);
  g_assert_true (cx_store_mark_hand_in_uploaded (store, id, &error));

  list = cx_store_list_assignment_hand_ins (store, clock, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  first = list->pdata[0];
  g_assert_cmpint (first->id, ==, id);
  g_assert_cmpint (first->assignment_id, ==, clock);
  g_assert_cmpint (first->lesson_plan_id, ==, plan);
  g_assert_cmpstr (first->assignment, ==, "画一个钟面");
  g_assert_cmpstr (first->pupil, ==, "王小明");
  g_assert_true (first->uploaded);
  g_assert_cmpint (((CxHandIn *) list->pdata[1])->id, ==, second);
  g_assert_cmpstr (((CxHandIn *) list->pdata[1])->assignment, ==, "画钟");
  g_assert_false (((CxHandIn *) list->pdata[1])->uploaded);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = cx_store_list_assignment_hand_ins (store, practice, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  got = cx_store_get_assignment (store, clock, &error);
  g_assert_cmpuint (got->n_hand_ins, ==, 2);

  /* An unknown assignment, or one of another plan, records nothing. */
  hand_in.assignment_id = practice + 100;
  g_assert_cmpint (cx_store_add_hand_in (store, &hand_in, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hand_in.assignment_id = clock;
  hand_in.lesson_plan_id = other_plan;
  g_assert_cmpint (cx_store_add_hand_in (store, &hand_in, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Removing the assignment keeps the work, with its text. */
  g_assert_true (cx_store_remove_assignment (store, clock, &error));
  list = cx_store_list_hand_ins (store, FALSE, &error);
  g_assert_cmpuint (list->len, ==, 3);
  first = list->pdata[0];
  g_assert_cmpint (first->assignment_id, ==, 0);
  g_assert_cmpstr (first->assignment, ==, "画一个钟面");
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
  g_test_add_func ("/cx/records/timetable-links", test_timetable_links);
  g_test_add_func ("/cx/records/timetable-edit-delete", test_timetable_edit_delete);
  g_test_add_func ("/cx/records/timetable-apply", test_timetable_apply);
  g_test_add_func ("/cx/records/hand-ins", test_hand_ins);
  g_test_add_func ("/cx/records/assignments", test_assignments);
  g_test_add_func ("/cx/records/assignment-hand-ins", test_assignment_hand_ins);
  g_test_add_func ("/cx/records/sync-state", test_sync_state);

  return g_test_run ();
}
