/* cx-test-util.c: helpers the core tests share */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>

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

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts a helper process that is stopped when the test dies, so a failed
 * test never leaves a server holding its output open. */
GSubprocess *
cx_test_spawn (const char *const *argv, GSubprocessFlags flags)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr (GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

/* Starts `cunxiao-hub serve` on a free loopback port and waits until it
 * listens; @out_base_url gets its address, such as http://127.0.0.1:41234/ */
GSubprocess *
cx_test_start_hub (const char *repo_dir, char **out_base_url)
{
  return cx_test_start_hub_full (repo_dir, NULL, 0, out_base_url);
}

/* With @data_dir, the hub serves its API too; @port 0 picks a free one,
 * another port lets a restarted hub keep its address. */
GSubprocess *
cx_test_start_hub_full (const char *repo_dir, const char *data_dir, guint port, char **out_base_url)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *args[] = { "--repo", repo_dir, "--port", port_text, "--data", data_dir, NULL };

  if (data_dir == NULL)
    args[4] = NULL;
  return cx_test_start_hub_with (args, out_base_url);
}

/* Starts @argv with cx_test_spawn() and reads the first line it prints,
 * which announces its address right after @lead; @out_url gets the
 * address.  The reader stays with the process, so the rest of its output
 * can be read later. */
GSubprocess *
cx_test_spawn_announced (const char *const *argv, const char *lead, char **out_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *first = NULL;
  g_autofree char *marker = g_strconcat (lead, "http", NULL);
  const char *at;

  process = cx_test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  at = strstr (first, marker);
  g_assert_nonnull (at);
  *out_url = g_strdup (at + strlen (lead));
  g_object_set_data_full (G_OBJECT (process), "cx-test-lines", g_steal_pointer (&lines),
                          g_object_unref);
  return g_steal_pointer (&process);
}

/* `cunxiao-hub serve` with @args; waits until it listens, http or https. */
GSubprocess *
cx_test_start_hub_with (const char *const *args, char **out_base_url)
{
  const char *hub = g_getenv ("CUNXIAO_HUB");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_assert_nonnull (hub);
  g_ptr_array_add (argv, (char *) hub);
  g_ptr_array_add (argv, (char *) "serve");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  /* "Serving REPO at URL" */
  return cx_test_spawn_announced ((const char *const *) argv->pdata, " at ", out_base_url);
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

/* Runs @argv (which inherits the test's environment) to completion; returns
 * its exit status, or 128 + the signal that killed it. */
int
cx_test_run (const char *const *argv, char **out_stdout, char **out_stderr)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  if (g_subprocess_get_if_signaled (process))
    return 128 + g_subprocess_get_term_sig (process);
  return g_subprocess_get_exit_status (process);
}

/* Writes @path, making its folders. */
void
cx_test_write_file (const char *path, const void *data, gsize length)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

/* Incompressible content, the same for the same seed. */
void
cx_test_write_random_file (const char *path, gsize length, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint32 *data = g_new (guint32, length / 4 + 1);

  for (gsize i = 0; i < length / 4 + 1; i++)
    data[i] = g_rand_int (rand);
  cx_test_write_file (path, data, length);
}

static void
collect_files (const char *root, const char *relative, GHashTable *files)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = *relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (root, rel, NULL);

      g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_files (root, rel, files);
      else
        g_hash_table_add (files, g_steal_pointer (&rel));
    }
}

/* Every file of @expected (but those named in @skip) is in @actual with the
 * same bytes, and @actual holds nothing else. */
void
cx_test_assert_same_tree (const char *expected, const char *actual, const char *const *skip)
{
  g_autoptr (GHashTable) want = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) have = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  collect_files (expected, "", want);
  collect_files (actual, "", have);
  for (guint i = 0; skip != NULL && skip[i] != NULL; i++)
    g_hash_table_remove (want, skip[i]);

  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *a = g_build_filename (expected, key, NULL);
      g_autofree char *b = g_build_filename (actual, key, NULL);
      g_autofree char *a_data = NULL;
      g_autofree char *b_data = NULL;
      gsize a_len, b_len;

      if (!g_hash_table_contains (have, key))
        g_error ("%s is missing from %s", (char *) key, actual);
      g_assert_true (g_file_get_contents (a, &a_data, &a_len, NULL));
      g_assert_true (g_file_get_contents (b, &b_data, &b_len, NULL));
      g_assert_cmpmem (a_data, a_len, b_data, b_len);
    }

  g_assert_cmpuint (g_hash_table_size (have), ==, g_hash_table_size (want));
}
