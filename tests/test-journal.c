/* test-journal.c: the usage journal is append-only, gapless and durable */
#include "config.h"

#include "cx-test-util.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <gio/gunixinputstream.h>

#include "cx-store-journal.h"
#include "cx-store-private.h"

#define KILL_RUNS 50

static void
test_append_and_read (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  CxJournalEntry *entry;

  g_assert_cmpint (cx_store_journal_append (store, "resource-opened", "{ \"id\" : 7 }", &error), ==,
                   1);
  g_assert_cmpint (
      cx_store_journal_append (store, "lesson-taught", "{\"class\":\"一年级\"}", &error), ==, 2);
  g_assert_no_error (error);

  entries = cx_store_journal_read (store, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->seq, ==, 1);
  g_assert_cmpstr (entry->kind, ==, "resource-opened");
  g_assert_cmpstr (entry->payload, ==, "{\"id\":7}");
  g_assert_cmpint (entry->time_us, >, 0);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->payload, ==, "{\"class\":\"一年级\"}");

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = cx_store_journal_read (store, 1, 10, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((CxJournalEntry *) g_ptr_array_index (entries, 0))->seq, ==, 2);
}

static void
test_bad_input_keeps_sequence_gapless (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (cx_store_journal_append (store, "a", "{}", &error), ==, 1);
  g_assert_cmpint (cx_store_journal_append (store, "a", "{not json", &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "JSON"));
  g_clear_error (&error);
  g_assert_cmpint (cx_store_journal_append (store, "", "{}", &error), ==, 0);
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (cx_store_journal_append (store, "a", "[1,2]", &error), ==, 2);
  g_assert_cmpint (cx_store_journal_get_last_seq (store, &error), ==, 2);
}

static void
test_append_only (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  sqlite3 *db = _cx_store_get_db (store);
  char *message = NULL;

  g_assert_cmpint (cx_store_journal_append (store, "a", "{}", NULL), ==, 1);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE journal SET kind = 'b'", NULL, NULL, &message), !=,
                   SQLITE_OK);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);

  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM journal", NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "unacknowledged"));
  sqlite3_free (message);

  g_assert_cmpint (cx_store_journal_get_last_seq (store, NULL), ==, 1);
}

static void
test_acknowledge_and_prune (void)
{
  g_autoptr (CxStore) store = cx_test_new_store (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  CxStoreCounts counts;

  for (int i = 0; i < 5; i++)
    g_assert_cmpint (cx_store_journal_append (store, "a", "{}", NULL), ==, i + 1);

  g_assert_false (cx_store_journal_acknowledge (store, 6, &error));
  g_assert_error (error, CX_STORE_ERROR, CX_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (cx_store_journal_get_acknowledged (store, NULL), ==, 0);

  g_assert_true (cx_store_journal_acknowledge (store, 3, &error));
  g_assert_no_error (error);
  /* A stale, lower mark from a retried reply never moves it back. */
  g_assert_true (cx_store_journal_acknowledge (store, 2, &error));
  g_assert_cmpint (cx_store_journal_get_acknowledged (store, NULL), ==, 3);

  g_assert_true (cx_store_get_counts (store, &counts, NULL));
  g_assert_cmpint (counts.journal_unacknowledged, ==, 2);

  /* Pruning touches only acknowledged entries. */
  g_assert_cmpint (cx_store_journal_prune_acknowledged (store, G_MAXINT64, &error), ==, 3);
  entries = cx_store_journal_read (store, 0, 100, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (((CxJournalEntry *) g_ptr_array_index (entries, 0))->seq, ==, 4);

  /* Numbering carries on after a prune; nothing is reused. */
  g_assert_cmpint (cx_store_journal_get_last_seq (store, NULL), ==, 5);
  g_assert_cmpint (cx_store_journal_append (store, "a", "{}", NULL), ==, 6);
}

/* Runs one writer child, kills it at a random moment, and records every
 * append it reported as done. */
static void
run_and_kill_writer (const char *dir, int run, GHashTable *acknowledged)
{
  const char *writer = g_getenv ("CUNXIAO_JOURNAL_WRITER");
  g_autofree char *run_text = g_strdup_printf ("%d", run);
  const char *argv[] = { writer, dir, run_text, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) raw = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  int wanted_acks = g_test_rand_int_range (0, 40);
  int child_stdout;
  GPid pid;
  int status;
  char *line;

  g_assert_nonnull (writer);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                            NULL, &child_stdout, NULL, &error);
  g_assert_no_error (error);

  raw = g_unix_input_stream_new (child_stdout, TRUE);
  lines = g_data_input_stream_new (raw);

  /* Let it get a random number of appends in, then kill it a random few
   * hundred microseconds later: often in the middle of the next append. */
  for (int i = 0;
       i < wanted_acks && (line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)); i++)
    {
      g_auto (GStrv) parts = g_strsplit (line, " ", 2);

      g_hash_table_insert (acknowledged, GINT_TO_POINTER (atoi (parts[0])),
                           g_strdup_printf ("{\"run\":%d,\"n\":%s}", run, parts[1]));
      g_free (line);
    }
  g_usleep (g_test_rand_int_range (0, 3000));
  kill (pid, SIGKILL);

  /* Anything it printed before dying was acknowledged too. */
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (line, " ", 2);

      g_hash_table_insert (acknowledged, GINT_TO_POINTER (atoi (parts[0])),
                           g_strdup_printf ("{\"run\":%d,\"n\":%s}", run, parts[1]));
      g_free (line);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
}

static void
test_survives_sigkill (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (CxStore) store = cx_test_new_store (&dir);
  g_autoptr (GHashTable) acknowledged = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GError) error = NULL;

  g_clear_object (&store);

  for (int run = 0; run < KILL_RUNS; run++)
    {
      g_autoptr (GPtrArray) entries = NULL;
      gint64 last;

      run_and_kill_writer (dir, run, acknowledged);

      store = cx_store_open (dir, &error);
      g_assert_no_error (error);
      g_assert_true (cx_store_check_integrity (store, &error));
      g_assert_no_error (error);

      last = cx_store_journal_get_last_seq (store, &error);
      entries = cx_store_journal_read (store, 0, G_MAXUINT, &error);
      g_assert_no_error (error);

      /* Gapless: entries are exactly 1..last. */
      g_assert_cmpint (entries->len, ==, last);
      for (guint i = 0; i < entries->len; i++)
        {
          CxJournalEntry *entry = g_ptr_array_index (entries, i);
          const char *expected = g_hash_table_lookup (acknowledged, GINT_TO_POINTER (entry->seq));

          g_assert_cmpint (entry->seq, ==, i + 1);
          if (expected != NULL)
            g_assert_cmpstr (entry->payload, ==, expected);
        }

      /* Every acknowledged append is there. */
      g_assert_cmpint (g_hash_table_size (acknowledged), <=, last);
      {
        GHashTableIter iter;
        gpointer key;

        g_hash_table_iter_init (&iter, acknowledged);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_assert_cmpint (GPOINTER_TO_INT (key), <=, last);
      }

      g_clear_object (&store);
    }

  g_test_message ("%u acknowledged appends over %d killed writers",
                  g_hash_table_size (acknowledged), KILL_RUNS);
  g_assert_cmpuint (g_hash_table_size (acknowledged), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/journal/append-and-read", test_append_and_read);
  g_test_add_func ("/cx/journal/bad-input-keeps-sequence-gapless",
                   test_bad_input_keeps_sequence_gapless);
  g_test_add_func ("/cx/journal/append-only", test_append_only);
  g_test_add_func ("/cx/journal/acknowledge-and-prune", test_acknowledge_and_prune);
  g_test_add_func ("/cx/journal/survives-sigkill", test_survives_sigkill);

  return g_test_run ();
}
