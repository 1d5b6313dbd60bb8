/* test-student-events.c: student mode's usage events, with and without pupils' names */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cx-test-util.h"

#include "cx-store-journal.h"
#include "cx-store-settings.h"
#include "cx-store-timetable.h"
#include "cx-student-events.h"

#define SHA256_OF_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define CLASS_UUID      "5b7c8d21-0f3e-4a6b-9c1d-2e3f4a5b6c7d"
#define NOW             ((gint64) 1795000000)

static CxStore *
new_store_with_timetable (void)
{
  g_autoptr (GError) error = NULL;
  CxStore *store = cx_test_new_store (NULL);
  CxTimetableEntry music = {
    .uuid = (char *) CLASS_UUID,
    .form = CX_ACTIVITY_SYNC_CLASSROOM,
    .subject = (char *) "音乐",
    .class_name = (char *) "二年级",
    .starts_at = NOW - 600,
    .ends_at = NOW + 1800,
    .origin = CX_TIMETABLE_FROM_HUB,
    .revision = 1,
  };
  CxTimetableEntry other = { .form = CX_ACTIVITY_REMOTE_DELIVERY,
                             .subject = (char *) "英语",
                             .class_name = (char *) "三年级",
                             .starts_at = NOW - 600,
                             .ends_at = NOW + 1800,
                             .origin = CX_TIMETABLE_FROM_SCHOOL };

  g_assert_cmpint (cx_store_save_timetable_entry (store, &other, &error), >, 0);
  g_assert_cmpint (cx_store_save_timetable_entry (store, &music, &error), >, 0);
  g_assert_no_error (error);
  return store;
}

/* The last journal entry, which must be of @kind, and its payload. */
static JsonObject *
last_event (CxStore *store, const char *kind, char **out_text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (JsonNode) node = NULL;
  const CxJournalEntry *entry;

  entries = cx_store_journal_read (store, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 0);
  entry = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpstr (entry->kind, ==, kind);
  node = json_from_string (entry->payload, &error);
  g_assert_no_error (error);
  *out_text = g_strdup (entry->payload);
  return json_object_ref (json_node_get_object (node));
}

static void
test_resource_opened (void)
{
  g_autoptr (CxStore) store = new_store_with_timetable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) payload = NULL;
  g_autofree char *text = NULL;
  gboolean names = TRUE;

  /* Off unless the school turns it on. */
  g_assert_true (
      cx_store_get_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, FALSE, &names, &error));
  g_assert_false (names);

  g_assert_cmpint (cx_student_events_record_resource_opened (store, "二年级", "王小明", 42,
                                                             "小星星", "audio", NOW, &error),
                   >, 0);
  g_assert_no_error (error);
  payload = last_event (store, CX_STUDENT_EVENT_RESOURCE_OPENED, &text);
  g_assert_cmpstr (json_object_get_string_member (payload, "mode"), ==, "student");
  g_assert_cmpstr (json_object_get_string_member (payload, "class"), ==, "二年级");
  g_assert_cmpint (json_object_get_int_member (payload, "resource"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (payload, "title"), ==, "小星星");
  g_assert_cmpstr (json_object_get_string_member (payload, "kind"), ==, "audio");
  g_assert_cmpstr (json_object_get_string_member (payload, "timetable"), ==, CLASS_UUID);
  g_assert_cmpstr (json_object_get_string_member (payload, "form"), ==, "sync-classroom");
  g_assert_cmpstr (json_object_get_string_member (payload, "subject"), ==, "音乐");
  g_assert_false (json_object_has_member (payload, "pupil"));
  g_assert_null (strstr (text, "王小明"));
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);

  /* With the school's consent the pupil is named. */
  g_assert_true (cx_store_set_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, TRUE, &error));
  g_assert_true (
      cx_store_get_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, FALSE, &names, &error));
  g_assert_true (names);
  g_assert_cmpint (cx_student_events_record_resource_opened (store, "二年级", "王小明", 42,
                                                             "小星星", NULL, NOW, &error),
                   >, 0);
  payload = last_event (store, CX_STUDENT_EVENT_RESOURCE_OPENED, &text);
  g_assert_cmpstr (json_object_get_string_member (payload, "pupil"), ==, "王小明");
  g_assert_false (json_object_has_member (payload, "kind"));
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);

  /* No class of theirs running: no timetable entry; nobody named: no pupil. */
  g_assert_cmpint (cx_student_events_record_resource_opened (store, "二年级", NULL, 7, "画", "pdf",
                                                             NOW + 3600, &error),
                   >, 0);
  payload = last_event (store, CX_STUDENT_EVENT_RESOURCE_OPENED, &text);
  g_assert_false (json_object_has_member (payload, "timetable"));
  g_assert_false (json_object_has_member (payload, "pupil"));
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);

  /* Another class's entry is not this class's. */
  g_assert_cmpint (cx_student_events_record_resource_opened (store, "一年级", "李红", 7, "画",
                                                             "pdf", NOW, &error),
                   >, 0);
  payload = last_event (store, CX_STUDENT_EVENT_RESOURCE_OPENED, &text);
  g_assert_false (json_object_has_member (payload, "timetable"));

  /* However long the texts, the event stays within what the hub takes. */
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);
  {
    g_autoptr (GString) long_text = g_string_new (NULL);

    for (guint i = 0; i < 5000; i++)
      g_string_append (long_text, "长");
    g_assert_cmpint (cx_student_events_record_resource_opened (store, "二年级", long_text->str, 7,
                                                               long_text->str, long_text->str, NOW,
                                                               &error),
                     >, 0);
    payload = last_event (store, CX_STUDENT_EVENT_RESOURCE_OPENED, &text);
    g_assert_cmpuint (strlen (text), <, 8192);
    g_assert_cmpint (g_utf8_strlen (json_object_get_string_member (payload, "title"), -1), ==, 200);
  }

  g_assert_cmpint (
      cx_student_events_record_resource_opened (store, "", NULL, 7, "画", "pdf", NOW, &error), ==,
      0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
}

static void
test_hand_in (void)
{
  g_autoptr (CxStore) store = new_store_with_timetable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) payload = NULL;
  g_autoptr (CxHandIn) recorded = NULL;
  g_autofree char *text = NULL;
  CxHandIn hand_in = { .assignment = (char *) "看图写话",
                       .class_name = (char *) "三年级",
                       .pupil = (char *) "李红",
                       .file_name = (char *) "李红的作文.jpg",
                       .content_hash = (char *) SHA256_OF_EMPTY,
                       .size = 2048 };
  gint64 id = cx_store_add_hand_in (store, &hand_in, &error);

  g_assert_no_error (error);
  recorded = cx_store_get_hand_in (store, id, &error);
  g_assert_no_error (error);

  g_assert_cmpint (cx_student_events_record_hand_in (store, id, NOW, &error), >, 0);
  g_assert_no_error (error);
  payload = last_event (store, CX_STUDENT_EVENT_HAND_IN, &text);
  g_assert_cmpstr (json_object_get_string_member (payload, "class"), ==, "三年级");
  g_assert_cmpstr (json_object_get_string_member (payload, "hand_in"), ==, recorded->uuid);
  g_assert_cmpstr (json_object_get_string_member (payload, "assignment"), ==, "看图写话");
  g_assert_cmpint (json_object_get_int_member (payload, "size"), ==, 2048);
  g_assert_cmpstr (json_object_get_string_member (payload, "form"), ==, "remote-delivery");
  g_assert_true (json_object_has_member (payload, "timetable"));
  g_assert_false (json_object_has_member (payload, "pupil"));
  /* Neither the name nor a file name that carries it. */
  g_assert_null (strstr (text, "李红"));
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);

  g_assert_true (cx_store_set_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, TRUE, &error));
  g_assert_cmpint (cx_student_events_record_hand_in (store, id, NOW, &error), >, 0);
  payload = last_event (store, CX_STUDENT_EVENT_HAND_IN, &text);
  g_assert_cmpstr (json_object_get_string_member (payload, "pupil"), ==, "李红");
  g_assert_null (strstr (text, ".jpg"));

  /* Turned off again, names stop. */
  g_clear_pointer (&payload, json_object_unref);
  g_clear_pointer (&text, g_free);
  g_assert_true (
      cx_store_set_setting_boolean (store, CX_SETTING_RECORD_PUPIL_NAMES, FALSE, &error));
  g_assert_cmpint (cx_student_events_record_hand_in (store, id, NOW, &error), >, 0);
  payload = last_event (store, CX_STUDENT_EVENT_HAND_IN, &text);
  g_assert_false (json_object_has_member (payload, "pupil"));

  g_assert_cmpint (cx_student_events_record_hand_in (store, id + 100, NOW, &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

static void
test_unknown_setting (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  gboolean value;

  g_assert_false (cx_store_set_setting_boolean (store, "record-everything", TRUE, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cx_store_get_setting_boolean (store, "record-everything", FALSE, &value, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/student-events/resource-opened", test_resource_opened);
  g_test_add_func ("/cx/student-events/hand-in", test_hand_in);
  g_test_add_func ("/cx/student-events/unknown-setting", test_unknown_setting);

  return g_test_run ();
}
