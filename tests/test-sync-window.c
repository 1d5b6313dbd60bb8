/* test-sync-window.c: the daily sync window, and the conditions for an automatic sync */
#include "config.h"

#include <string.h>

#include "cx-sync-service.h"
#include "cx-test-util.h"

static void
test_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  CxSyncWindow w;
  const char *bad[] = { "",
                        "18:00",
                        "18-07",
                        "25:00-07:00",
                        "18:60-07:00",
                        "18:0-07:00",
                        "a:00-07:00",
                        "18:00-07:00-09:00",
                        "24:01-01:00",
                        NULL };

  g_assert_true (cx_sync_window_parse ("18:00-07:00", &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (w.start, ==, 18 * 60);
  g_assert_cmpuint (w.end, ==, 7 * 60);
  text = cx_sync_window_to_string (&w);
  g_assert_cmpstr (text, ==, "18:00-07:00");

  g_assert_true (cx_sync_window_parse ("all-day", &w, &error));
  g_assert_true (cx_sync_window_is_all_day (&w));
  g_assert_true (cx_sync_window_parse ("24:00-06:30", &w, &error));
  g_assert_cmpuint (w.start, ==, 0);
  g_assert_cmpuint (w.end, ==, 390);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr (GError) local = NULL;

      g_assert_false (cx_sync_window_parse (bad[i], &w, &local));
      g_assert_nonnull (local);
      g_assert_nonnull (strstr (local->message, "18:00-07:00"));
    }
}

static void
test_contains (void)
{
  CxSyncWindow day = { 9 * 60, 17 * 60 };
  CxSyncWindow night = { 18 * 60, 7 * 60 };
  CxSyncWindow all = CX_SYNC_WINDOW_ALL_DAY;

  g_assert_true (cx_sync_window_contains (&day, 9 * 60));
  g_assert_true (cx_sync_window_contains (&day, 16 * 60 + 59));
  g_assert_false (cx_sync_window_contains (&day, 17 * 60));
  g_assert_false (cx_sync_window_contains (&day, 3 * 60));
  g_assert_cmpuint (cx_sync_window_minutes_until_open (&day, 8 * 60), ==, 60);
  g_assert_cmpuint (cx_sync_window_minutes_until_open (&day, 17 * 60), ==, 16 * 60);
  g_assert_cmpuint (cx_sync_window_minutes_until_open (&day, 10 * 60), ==, 0);

  /* Past midnight. */
  g_assert_true (cx_sync_window_contains (&night, 23 * 60));
  g_assert_true (cx_sync_window_contains (&night, 2 * 60));
  g_assert_false (cx_sync_window_contains (&night, 7 * 60));
  g_assert_false (cx_sync_window_contains (&night, 12 * 60));
  g_assert_cmpuint (cx_sync_window_minutes_until_open (&night, 12 * 60), ==, 6 * 60);

  for (guint m = 0; m < 24 * 60; m += 7)
    {
      g_assert_true (cx_sync_window_contains (&all, m));
      g_assert_cmpuint (cx_sync_window_minutes_until_open (&all, m), ==, 0);
    }
}

/* The settings are kept in the store; a shut window holds automatic syncs. */
static void
test_conditions (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (CxSyncService) service = cx_sync_service_new (store);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GError) error = NULL;
  guint minute = (guint) (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now));
  CxSyncWindow shut = { (minute + 120) % (24 * 60), (minute + 180) % (24 * 60) };
  CxSyncWindow open = { (minute + 24 * 60 - 60) % (24 * 60), (minute + 120) % (24 * 60) };
  CxSyncWindow read;
  g_autofree char *reason = NULL;
  g_autofree char *none = NULL;
  guint wait = 0;

  /* Defaults: all day, metered links avoided. */
  g_assert_true (cx_sync_service_get_window (service, &read));
  g_assert_true (cx_sync_window_is_all_day (&read));
  g_assert_true (cx_sync_service_get_avoid_metered (service));

  g_assert_true (cx_sync_service_set_window (service, &shut, &error));
  g_assert_no_error (error);
  reason = cx_sync_service_check_conditions (service, NULL, &wait);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "sync window"));
  g_assert_cmpuint (wait, >, 60 * 60);
  g_assert_cmpuint (wait, <=, 120 * 60);

  g_assert_true (cx_sync_service_set_window (service, &open, &error));
  none = cx_sync_service_check_conditions (service, NULL, &wait);
  g_assert_null (none);
  g_assert_cmpuint (wait, ==, 0);

  g_assert_true (cx_sync_service_set_avoid_metered (service, FALSE, &error));
  g_assert_false (cx_sync_service_get_avoid_metered (service));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sync-window/parse", test_parse);
  g_test_add_func ("/sync-window/contains", test_contains);
  g_test_add_func ("/sync-window/conditions", test_conditions);

  return g_test_run ();
}
