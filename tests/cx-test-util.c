/* cx-test-util.c: helpers the core tests share */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "cx-test-util.h"

/* A fresh, empty folder; tests run with G_TEST_OPTION_ISOLATE_DIRS, so it is
 * removed with the test's own temporary tree. */
char *
cx_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("cx-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A new store in a fresh folder; its path goes to @out_dir when given. */
CxStore *
cx_test_new_store (char **out_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = cx_test_make_dir ();
  CxStore *store = cx_store_create (dir, &error);

  g_assert_no_error (error);
  if (out_dir != NULL)
    *out_dir = g_steal_pointer (&dir);
  return store;
}

/* Starts `cunxiao-hub serve` on a free loopback port and waits until it
 * listens; @out_base_url gets its address, such as http://127.0.0.1:41234/ */
GSubprocess *
cx_test_start_hub (const char *repo_dir, char **out_base_url)
{
  const char *hub = g_getenv ("CUNXIAO_HUB");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;
  const char *at;

  g_assert_nonnull (hub);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, hub, "serve", "--repo",
                              repo_dir, "--port", "0", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  at = strstr (first, " at http://");
  g_assert_nonnull (at);
  *out_base_url = g_strdup (at + strlen (" at "));

  /* Keep the reader with the process so the rest of stdout can be read later. */
  g_object_set_data_full (G_OBJECT (process), "cx-test-lines", g_steal_pointer (&lines),
                          g_object_unref);
  return g_steal_pointer (&process);
}

/* Stops the hub with SIGTERM, checks it shut down cleanly, and returns what
 * it logged after its first line. */
char *
cx_test_stop_hub (GSubprocess *hub)
{
  GDataInputStream *lines = g_object_get_data (G_OBJECT (hub), "cx-test-lines");
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) rest = g_string_new (NULL);
  char *line;

  g_subprocess_send_signal (hub, SIGTERM);
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait (hub, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (hub));
  g_assert_cmpint (g_subprocess_get_exit_status (hub), ==, 0);

  return g_strdup (rest->str);
}
