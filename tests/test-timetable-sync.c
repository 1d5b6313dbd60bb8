/* test-timetable-sync.c: the shared timetable between the hub and two laptops
 *
 * The district publishes; each school's own entries go up with the revision
 * they were changed from; an entry changed on two laptops before either
 * synced ends up as a conflict kept on the second, never dropped, and the
 * choice made there reaches the hub.
 */
#include "config.h"

#include <string.h>

#include "cx-store-packages.h"
#include "cx-store-timetable.h"
#include "cx-sync-service.h"
#include "cx-test-repo.h"

#define ENTRY_1 "6f9619ff-8b86-d011-b42d-00c04fc964ff"
#define ENTRY_2 "7f9619ff-8b86-d011-b42d-00c04fc964ff"

typedef struct
{
  char *dir;
  char *repo;
  char *hub_data;
  char *url;
  char *laptops[2];
  gint64 tomorrow; /* fixed once, so publishing again changes only what it means to */
  GSubprocess *hub;
} Fixture;

static void
enroll (Fixture *fx, const char *laptop)
{
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "enroll", "--data", fx->hub_data, "--school", "石桥小学", NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpint (cx_test_run (argv, &out, NULL), ==, 0);
  code = g_strndup (strrchr (out, ':') + 2, 14);
  g_assert_cmpint (cx_test_cli (laptop, NULL, NULL, "init", NULL), ==, 0);
  g_assert_cmpint (cx_test_cli (laptop, NULL, NULL, "enroll", fx->url, code, NULL), ==, 0);
}

/* The district's timetable: two entries, tomorrow. */
static void
publish (Fixture *fx, const char *subject_1)
{
  gint64 t = fx->tomorrow;
  g_autofree char *json = g_strdup_printf (
      "[{\"uuid\":\"" ENTRY_1 "\",\"form\":\"sync-classroom\",\"subject\":\"%s\","
      "\"class\":\"三年级\",\"teacher\":\"李老师\",\"partner_school\":\"县一小\","
      "\"starts_at\":%lld,\"ends_at\":%lld},"
      "{\"uuid\":\"" ENTRY_2 "\",\"form\":\"master-classroom\",\"subject\":\"英语\","
      "\"starts_at\":%lld,\"ends_at\":%lld}]",
      subject_1, (long long) t, (long long) t + 2400, (long long) t + 3600, (long long) t + 6000);
  g_autofree char *path = g_build_filename (fx->dir, "timetable.json", NULL);
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "timetable", "--data", fx->hub_data, "--import", path, NULL
  };

  cx_test_write_file (path, json, strlen (json));
  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
}

/* Publishes @json, a JSON array of district entries. */
static void
import (Fixture *fx, const char *json)
{
  g_autofree char *path = g_build_filename (fx->dir, "import.json", NULL);
  const char *argv[] = {
    g_getenv ("CUNXIAO_HUB"), "timetable", "--data", fx->hub_data, "--import", path, NULL
  };

  cx_test_write_file (path, json, strlen (json));
  g_assert_cmpint (cx_test_run (argv, NULL, NULL), ==, 0);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = cx_test_make_dir ();
  fx->repo = g_build_filename (fx->dir, "repo", NULL);
  fx->hub_data = g_build_filename (fx->dir, "hub", NULL);
  fx->tomorrow = g_get_real_time () / G_USEC_PER_SEC + 24 * 3600;
  g_assert_cmpint (g_mkdir_with_parents (fx->repo, 0700), ==, 0);
  fx->hub = cx_test_start_hub_full (fx->repo, fx->hub_data, 0, &fx->url);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("laptop-%u", i);

      fx->laptops[i] = g_build_filename (fx->dir, name, NULL);
      enroll (fx, fx->laptops[i]);
    }
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_free (cx_test_stop_hub (fx->hub));
  g_object_unref (fx->hub);
  for (guint i = 0; i < 2; i++)
    g_free (fx->laptops[i]);
  g_free (fx->url);
  g_free (fx->hub_data);
  g_free (fx->repo);
  g_free (fx->dir);
}

static void
sync_laptop (Fixture *fx, guint i, char **out)
{
  g_assert_cmpint (cx_test_cli (fx->laptops[i], out, NULL, "sync", "--once", NULL), ==, 0);
}

/* The laptop's entry @uuid, or NULL. */
static CxTimetableEntry *
entry_of (Fixture *fx, guint i, const char *uuid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptops[i], &error);
  g_autoptr (GPtrArray) all = cx_store_list_timetable (store, 0, G_MAXINT64, &error);

  g_assert_no_error (error);
  for (guint k = 0; k < all->len; k++)
    {
      CxTimetableEntry *e = all->pdata[k];

      if (g_strcmp0 (e->uuid, uuid) == 0)
        return g_ptr_array_steal_index (all, k);
    }
  return NULL;
}

static guint
count_entries (Fixture *fx, guint i)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptops[i], &error);
  g_autoptr (GPtrArray) all = cx_store_list_timetable (store, 0, G_MAXINT64, &error);

  return all->len;
}

/* Changes the laptop's entry @uuid offline, as a teacher would. */
static void
edit (Fixture *fx, guint i, const char *uuid, const char *subject)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (fx->laptops[i], &error);
  g_autoptr (CxTimetableEntry) e = entry_of (fx, i, uuid);
  CxTimetableEntry changed;

  g_assert_nonnull (e);
  changed = *e;
  changed.subject = (char *) subject;
  changed.dirty = TRUE;
  g_assert_cmpint (cx_store_save_timetable_entry (store, &changed, &error), >, 0);
  g_assert_no_error (error);
}

/* The school's own entry, made on laptop 0 with the CLI and synced. */
static char *
add_school_entry (Fixture *fx)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) start = g_date_time_add_days (now, 1);
  g_autofree char *when = g_date_time_format (start, "%Y-%m-%dT10:00");
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (GPtrArray) mine = NULL;

  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "add", "--form", "local",
                                "--subject", "数学", "--class", "三年级", "--start", when, NULL),
                   ==, 0);
  store = cx_store_open (fx->laptops[0], &error);
  mine = cx_store_list_timetable_to_push (store, &error);
  g_assert_cmpuint (mine->len, ==, 1);
  return g_strdup (((CxTimetableEntry *) mine->pdata[0])->uuid);
}

static void
test_both_ways (Fixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr (CxTimetableEntry) district = NULL;
  g_autoptr (CxTimetableEntry) school = NULL;
  g_autoptr (CxTimetableEntry) updated = NULL;

  publish (fx, "语文");
  sync_laptop (fx, 0, &out);
  g_assert_nonnull (strstr (out, "2 entries received"));
  district = entry_of (fx, 0, ENTRY_1);
  g_assert_nonnull (district);
  g_assert_cmpint (district->origin, ==, CX_TIMETABLE_FROM_HUB);
  g_assert_cmpint (district->form, ==, CX_ACTIVITY_SYNC_CLASSROOM);
  g_assert_cmpstr (district->partner_school, ==, "县一小");
  g_assert_cmpint (district->revision, ==, 1);

  /* The school's own entry goes up and reaches the other laptop. */
  uuid = add_school_entry (fx);
  g_clear_pointer (&out, g_free);
  sync_laptop (fx, 0, &out);
  g_assert_nonnull (strstr (out, "1 sent"));
  sync_laptop (fx, 1, NULL);
  g_assert_cmpuint (count_entries (fx, 1), ==, 3);
  school = entry_of (fx, 1, uuid);
  g_assert_cmpint (school->origin, ==, CX_TIMETABLE_FROM_SCHOOL);
  g_assert_cmpint (school->revision, ==, 1);
  g_assert_false (school->dirty);

  /* A change by the district comes down incrementally; nothing else does. */
  publish (fx, "语文（改）");
  g_clear_pointer (&out, g_free);
  sync_laptop (fx, 1, &out);
  g_assert_nonnull (strstr (out, "1 entries received"));
  updated = entry_of (fx, 1, ENTRY_1);
  g_assert_cmpstr (updated->subject, ==, "语文（改）");
  g_assert_cmpint (updated->revision, ==, 2);
}

static void
test_conflict (Fixture *fx, gconstpointer data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *out = NULL;
  g_autofree char *list = NULL;
  g_autoptr (CxTimetableEntry) kept = NULL;
  g_autoptr (CxTimetableEntry) settled = NULL;
  g_autoptr (CxTimetableEntry) other = NULL;
  g_autoptr (GError) error = NULL;

  uuid = add_school_entry (fx);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);

  /* Both change it offline; laptop 0 syncs first. */
  edit (fx, 0, uuid, "数学（王老师）");
  edit (fx, 1, uuid, "数学（赵老师）");
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, &out);
  g_assert_nonnull (strstr (out, "changed both here and at the hub"));

  /* Nothing dropped: laptop 1 keeps its change with the hub's beside it. */
  kept = entry_of (fx, 1, uuid);
  g_assert_cmpstr (kept->subject, ==, "数学（赵老师）");
  g_assert_true (kept->dirty);
  g_assert_nonnull (kept->conflict);
  g_assert_nonnull (strstr (kept->conflict, "数学（王老师）"));
  g_assert_cmpint (cx_test_cli (fx->laptops[1], &list, NULL, "timetable", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "CONFLICT"));

  /* Syncing again neither loses it nor sends it over the other. */
  sync_laptop (fx, 1, NULL);
  g_clear_pointer (&kept, cx_timetable_entry_free);
  kept = entry_of (fx, 1, uuid);
  g_assert_nonnull (kept->conflict);

  /* Laptop 1 keeps its own; the choice reaches the hub and laptop 0. */
  {
    g_autoptr (CxStore) store = cx_store_open (fx->laptops[1], &error);
    g_autoptr (CxSyncService) service = cx_sync_service_new (store);

    g_assert_true (cx_sync_service_resolve_timetable_conflict (service, uuid, TRUE, &error));
    g_assert_no_error (error);
  }
  sync_laptop (fx, 1, NULL);
  settled = entry_of (fx, 1, uuid);
  g_assert_null (settled->conflict);
  g_assert_false (settled->dirty);
  g_assert_cmpint (settled->revision, ==, 3);
  sync_laptop (fx, 0, NULL);
  other = entry_of (fx, 0, uuid);
  g_assert_cmpstr (other->subject, ==, "数学（赵老师）");
  g_assert_cmpint (other->revision, ==, 3);
  g_assert_null (other->conflict);
}

/* The other choice, through the command line: laptop 1 takes the hub's
 * version, so its own change is dropped there and never sent. */
static void
test_conflict_take_hub (Fixture *fx, gconstpointer data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *conflicts = NULL;
  g_autofree char *none = NULL;
  g_autoptr (CxTimetableEntry) settled = NULL;
  g_autoptr (CxTimetableEntry) other = NULL;

  uuid = add_school_entry (fx);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);
  edit (fx, 0, uuid, "数学（王老师）");
  edit (fx, 1, uuid, "数学（赵老师）");
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);

  g_assert_cmpint (cx_test_cli (fx->laptops[1], &conflicts, NULL, "timetable", "conflicts", NULL),
                   ==, 0);
  g_test_message ("%s", conflicts);
  g_assert_nonnull (strstr (conflicts, "数学（赵老师）"));
  g_assert_nonnull (strstr (conflicts, "数学（王老师）"));
  g_assert_nonnull (strstr (conflicts, uuid));
  g_assert_cmpint (cx_test_cli (fx->laptops[1], NULL, NULL, "timetable", "resolve", uuid, NULL), ==,
                   2);
  g_assert_cmpint (
      cx_test_cli (fx->laptops[1], NULL, NULL, "timetable", "resolve", uuid, "--take-hub", NULL),
      ==, 0);
  settled = entry_of (fx, 1, uuid);
  g_assert_cmpstr (settled->subject, ==, "数学（王老师）");
  g_assert_false (settled->dirty);
  g_assert_null (settled->conflict);
  g_assert_cmpint (settled->revision, ==, 2);
  g_assert_cmpint (cx_test_cli (fx->laptops[1], &none, NULL, "timetable", "conflicts", NULL), ==,
                   0);
  g_assert_null (strstr (none, uuid));

  /* Nothing of laptop 1's change reaches the hub or laptop 0. */
  sync_laptop (fx, 1, NULL);
  sync_laptop (fx, 0, NULL);
  other = entry_of (fx, 0, uuid);
  g_assert_cmpstr (other->subject, ==, "数学（王老师）");
  g_assert_cmpint (other->revision, ==, 2);
  g_clear_pointer (&settled, cx_timetable_entry_free);
  settled = entry_of (fx, 1, uuid);
  g_assert_cmpint (settled->revision, ==, 2);
}

/* Removed on one laptop, changed on the other: the removal is kept beside
 * the change, and keeping it removes the entry everywhere. */
static void
test_conflict_delete (Fixture *fx, gconstpointer data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *conflicts = NULL;
  g_autoptr (CxTimetableEntry) kept = NULL;

  uuid = add_school_entry (fx);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);
  edit (fx, 0, uuid, "数学（王老师）");
  g_assert_cmpint (cx_test_cli (fx->laptops[1], NULL, NULL, "timetable", "delete", uuid, NULL), ==,
                   0);
  g_assert_null (entry_of (fx, 1, uuid)); /* hidden at once */
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);

  g_assert_cmpint (cx_test_cli (fx->laptops[1], &conflicts, NULL, "timetable", "conflicts", NULL),
                   ==, 0);
  g_test_message ("%s", conflicts);
  g_assert_nonnull (strstr (conflicts, "数学（王老师）"));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CxStore) store = cx_store_open (fx->laptops[1], &error);

    kept = cx_store_get_timetable_entry (store, uuid, &error);
    g_assert_no_error (error);
    g_assert_true (kept->deleted);
    g_assert_nonnull (kept->conflict);
  }
  g_assert_cmpint (
      cx_test_cli (fx->laptops[1], NULL, NULL, "timetable", "resolve", uuid, "--keep-mine", NULL),
      ==, 0);
  sync_laptop (fx, 1, NULL);
  sync_laptop (fx, 0, NULL);
  g_assert_null (entry_of (fx, 0, uuid));
  g_assert_null (entry_of (fx, 1, uuid));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CxStore) store = cx_store_open (fx->laptops[1], &error);

    g_assert_null (cx_store_get_timetable_entry (store, uuid, &error)); /* no tombstone left */
  }
}

/* The live-class address and its fallback, from the district and from the
 * school, through the hub to every laptop. */
static void
test_live_and_fallback (Fixture *fx, gconstpointer data)
{
  g_autofree char *json = g_strdup_printf (
      "[{\"uuid\":\"" ENTRY_1 "\",\"form\":\"sync-classroom\",\"subject\":\"语文\","
      "\"class\":\"一年级\",\"package\":\"yuwen-1a\",\"unit\":\"unit-2\","
      "\"live_url\":\"http://127.0.0.1:9/live\",\"fallback\":\"unit-2/lesson-2/静夜思.webm\","
      "\"starts_at\":%lld,\"ends_at\":%lld}]",
      (long long) fx->tomorrow, (long long) fx->tomorrow + 2400);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) start = g_date_time_add_days (now, 1);
  g_autofree char *when = g_date_time_format (start, "%Y-%m-%dT14:00");
  g_autofree char *list = NULL;
  g_autoptr (CxTimetableEntry) district = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  const CxTimetableEntry *school = NULL;

  import (fx, json);
  sync_laptop (fx, 0, NULL);
  district = entry_of (fx, 0, ENTRY_1);
  g_assert_cmpstr (district->live_url, ==, "http://127.0.0.1:9/live");
  g_assert_cmpstr (district->fallback, ==, "unit-2/lesson-2/静夜思.webm");

  /* Refused before anything is stored: not http, or outside the package. */
  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "add", "--start", when,
                                "--live-url", "file:///etc/passwd", NULL),
                   ==, 1);
  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "add", "--start", when,
                                "--fallback", "../../x.webm", NULL),
                   ==, 1);
  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "add", "--form",
                                "sync-classroom", "--subject", "音乐", "--class", "一年级",
                                "--start", when, "--package", "yinyue-1", "--live-url",
                                "https://live.example.cn/room/7", "--fallback", "unit-1/唱歌.mp4",
                                NULL),
                   ==, 0);
  g_assert_cmpint (cx_test_cli (fx->laptops[0], &list, NULL, "timetable", "list", NULL), ==, 0);
  g_test_message ("%s", list);
  g_assert_nonnull (strstr (list, "https://live.example.cn/room/7"));
  g_assert_nonnull (strstr (list, "unit-1/唱歌.mp4"));
  g_assert_nonnull (strstr (list, "http://127.0.0.1:9/live"));
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CxStore) store = cx_store_open (fx->laptops[1], &error);

    theirs = cx_store_list_timetable (store, 0, G_MAXINT64, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (theirs->len, ==, 2);
  for (guint i = 0; i < theirs->len; i++)
    if (((CxTimetableEntry *) theirs->pdata[i])->origin == CX_TIMETABLE_FROM_SCHOOL)
      school = theirs->pdata[i];
  g_assert_nonnull (school);
  g_assert_cmpstr (school->live_url, ==, "https://live.example.cn/room/7");
  g_assert_cmpstr (school->fallback, ==, "unit-1/唱歌.mp4");
  g_assert_cmpstr (school->package_key, ==, "yinyue-1");
}

/* A school's entry changed on one laptop and removed on another reaches
 * the other; the district's entries cannot be changed here and go when
 * the district removes them. */
static void
test_edit_delete (Fixture *fx, gconstpointer data)
{
  g_autofree char *uuid = NULL;
  g_autofree char *err = NULL;
  g_autofree char *removal = g_strdup_printf (
      "[{\"uuid\":\"" ENTRY_2 "\",\"form\":\"master-classroom\",\"subject\":\"英语\","
      "\"deleted\":true,\"starts_at\":%lld,\"ends_at\":%lld}]",
      (long long) fx->tomorrow + 3600, (long long) fx->tomorrow + 6000);
  g_autoptr (CxTimetableEntry) changed = NULL;
  g_autoptr (CxTimetableEntry) district = NULL;

  publish (fx, "语文");
  uuid = add_school_entry (fx);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);
  g_assert_cmpuint (count_entries (fx, 1), ==, 3);

  g_assert_cmpint (cx_test_cli (fx->laptops[1], NULL, NULL, "timetable", "edit", uuid, "--subject",
                                "数学（改）", "--minutes", "45", "--live-url",
                                "https://live.example.cn/9", NULL),
                   ==, 0);
  sync_laptop (fx, 1, NULL);
  sync_laptop (fx, 0, NULL);
  changed = entry_of (fx, 0, uuid);
  g_assert_cmpstr (changed->subject, ==, "数学（改）");
  g_assert_cmpint (changed->ends_at - changed->starts_at, ==, 45 * 60);
  g_assert_cmpstr (changed->live_url, ==, "https://live.example.cn/9");
  g_assert_cmpstr (changed->class_name, ==, "三年级"); /* not given: kept */
  g_assert_cmpint (changed->revision, ==, 2);

  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, &err, "timetable", "edit", ENTRY_1,
                                "--subject", "美术", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "district"));
  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "delete", ENTRY_1, NULL),
                   ==, 1);
  district = entry_of (fx, 0, ENTRY_1);
  g_assert_cmpstr (district->subject, ==, "语文");

  g_assert_cmpint (cx_test_cli (fx->laptops[0], NULL, NULL, "timetable", "delete", uuid, NULL), ==,
                   0);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);
  g_assert_null (entry_of (fx, 1, uuid));
  g_assert_cmpuint (count_entries (fx, 1), ==, 2);

  import (fx, removal);
  sync_laptop (fx, 0, NULL);
  sync_laptop (fx, 1, NULL);
  g_assert_null (entry_of (fx, 0, ENTRY_2));
  g_assert_null (entry_of (fx, 1, ENTRY_2));
  g_assert_cmpuint (count_entries (fx, 1), ==, 1);
}

/* The hub took a change but its reply was lost: the next sync finds the
 * hub holding that very change and takes it as sent, not as a conflict. */
static void
test_lost_reply (Fixture *fx, gconstpointer data)
{
  g_autofree char *uuid = add_school_entry (fx);
  g_autoptr (CxTimetableEntry) sent = NULL;
  g_autoptr (CxTimetableEntry) after = NULL;

  sync_laptop (fx, 0, NULL);
  sent = entry_of (fx, 0, uuid);
  g_assert_cmpint (sent->revision, ==, 1);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (CxStore) store = cx_store_open (fx->laptops[0], &error);
    CxTimetableEntry as_before = *sent;

    as_before.revision = 0;
    as_before.dirty = TRUE;
    g_assert_cmpint (cx_store_save_timetable_entry (store, &as_before, &error), >, 0);
  }
  sync_laptop (fx, 0, NULL);
  after = entry_of (fx, 0, uuid);
  g_assert_null (after->conflict);
  g_assert_false (after->dirty);
  g_assert_cmpint (after->revision, ==, 1);
}

/* A timetable entry naming a unit of a package not installed: the next
 * sync fetches that unit, and only that. */
static void
test_prefetch (Fixture *fx, gconstpointer data)
{
  g_autofree char *src = g_build_filename (fx->dir, "src", NULL);
  g_autofree char *key_file = g_build_filename (fx->dir, "repo.key", NULL);
  g_autofree char *public_key = cx_test_keygen (key_file);
  g_autofree char *json_path = g_build_filename (src, "package.json", NULL);
  g_autofree char *lesson_1 = g_build_filename (src, "u1", "lesson.bin", NULL);
  g_autofree char *lesson_2 = g_build_filename (src, "u2", "lesson.bin", NULL);
  g_autofree char *timetable = g_build_filename (fx->dir, "timetable.json", NULL);
  g_autofree char *entries = g_strdup_printf (
      "[{\"uuid\":\"" ENTRY_1 "\",\"form\":\"remote-delivery\",\"subject\":\"数学\","
      "\"package\":\"shuxue-3\",\"unit\":\"u2\",\"starts_at\":%lld,\"ends_at\":%lld}]",
      (long long) fx->tomorrow, (long long) fx->tomorrow + 2400);
  const char *package =
      "{\"id\":\"shuxue-3\",\"title\":\"数学 三年级\",\"subject\":\"数学\","
      "\"grade\":\"3\",\"edition\":\"测试\",\"units\":["
      "{\"id\":\"u1\",\"title\":\"一\",\"files\":[\"u1/lesson.bin\"],\"lessons\":[]},"
      "{\"id\":\"u2\",\"title\":\"二\",\"files\":[\"u2/lesson.bin\"],\"lessons\":[]}]}";
  const char *import[] = {
    g_getenv ("CUNXIAO_HUB"), "timetable", "--data", fx->hub_data, "--import", timetable, NULL
  };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxPackageStatus) status = NULL;

  g_assert_cmpint (g_mkdir_with_parents (src, 0700), ==, 0);
  cx_test_write_file (json_path, package, strlen (package));
  cx_test_write_random_file (lesson_1, 300 * 1024, 1);
  cx_test_write_random_file (lesson_2, 300 * 1024, 2);
  cx_test_publish (src, fx->repo, key_file, "prefetch-test");
  g_assert_cmpint (
      cx_test_cli (fx->laptops[0], NULL, NULL, "hub", "add", fx->url, "--key", public_key, NULL),
      ==, 0);
  cx_test_write_file (timetable, entries, strlen (entries));
  g_assert_cmpint (cx_test_run (import, NULL, NULL), ==, 0);

  sync_laptop (fx, 0, &out);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "1 packages updated"));
  store = cx_store_open (fx->laptops[0], &error);
  status = cx_store_lookup_package_status (store, "shuxue-3", &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->installed_version, ==, 1);
  g_assert_false (status->installed_whole);
  g_assert_true (g_strv_contains ((const char *const *) status->installed_units, "u2"));
  g_assert_false (g_strv_contains ((const char *const *) status->installed_units, "u1"));
}

static void
add (const char *path, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  add ("/timetable-sync/both-ways", test_both_ways);
  add ("/timetable-sync/conflict", test_conflict);
  add ("/timetable-sync/conflict-take-hub", test_conflict_take_hub);
  add ("/timetable-sync/conflict-delete", test_conflict_delete);
  add ("/timetable-sync/live-and-fallback", test_live_and_fallback);
  add ("/timetable-sync/edit-delete", test_edit_delete);
  add ("/timetable-sync/lost-reply", test_lost_reply);
  add ("/timetable-sync/prefetch", test_prefetch);

  return g_test_run ();
}
