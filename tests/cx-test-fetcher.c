/* cx-test-fetcher.c: a pack and a file served by a real hub, for the fetcher tests
 *
 * Each test publishes nothing: it writes a pack (and a plain file) into a
 * fresh folder, serves it with `cunxiao-hub serve` on loopback and fetches
 * from it.  Every chunk handed out is compared with what was packed, so a
 * spliced or damaged chunk can never pass.
 */
#include "config.h"

#include <string.h>

#include "cx-sync-error.h"
#include "cx-test-fetcher.h"

/* Most chunks are random, so zstd stores them raw and the pack is several
 * MiB; every fourth compresses well, so decoding is exercised too. */
static GBytes *
make_chunk (GRand *rand, guint i)
{
  gsize size = 24 * 1024 + (gsize) g_rand_int_range (rand, 0, 136 * 1024);
  guint8 *data = g_malloc (size);

  for (gsize j = 0; j < size; j++)
    data[j] = i % 4 == 3 ? (guint8) ('a' + (j * 7 + i) % 13) : (guint8) g_rand_int (rand);
  return g_bytes_new_take (data, size);
}

/* Builds a pack of CX_TEST_N_CHUNKS chunks from @seed; its chunks go to @chunks. */
GBytes *
cx_test_build_pack (guint32 seed, GHashTable *chunks, CxPackIndex **out_index)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (CxPackWriter) writer = cx_pack_writer_new (out, 3);
  g_autoptr (GBytes) index_bytes = NULL;
  g_autoptr (GError) error = NULL;
  CxChunkId pack_id;

  for (guint i = 0; i < CX_TEST_N_CHUNKS; i++)
    {
      g_autoptr (GBytes) chunk = make_chunk (rand, i);
      CxChunkId id;

      g_assert_true (cx_pack_writer_add_chunk (writer, g_bytes_get_data (chunk, NULL),
                                               g_bytes_get_size (chunk), &id, NULL, &error));
      g_assert_no_error (error);
      g_hash_table_insert (chunks, cx_chunk_id_dup (&id), g_bytes_ref (chunk));
    }
  g_assert_cmpuint (cx_pack_writer_get_n_entries (writer), ==, CX_TEST_N_CHUNKS);

  index_bytes = cx_pack_writer_finish (writer, &pack_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  *out_index = cx_pack_index_new_from_bytes (index_bytes, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The hub prints its address just before it starts handling signals; a
 * request answered means its main loop runs, so it can be stopped cleanly
 * even by a test that never talks to it. */
static void
wait_until_serving (const char *base_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxFetcher) fetcher = cx_fetcher_new (base_url, &error);
  g_autoptr (GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = cx_fetcher_get_file (fetcher, "v1/ready", 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
}

static void
fixture_set_up (CxTestFetchFixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint8 *file = g_malloc (CX_TEST_FILE_SIZE);
  g_autofree char *pack_path = NULL;
  g_autofree char *file_path = NULL;

  fx->repo_dir = cx_test_make_dir ();
  fx->chunks = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free,
                                      (GDestroyNotify) g_bytes_unref);
  fx->pack = cx_test_build_pack (42, fx->chunks, &fx->index);
  g_assert_cmpuint (g_hash_table_size (fx->chunks), ==, CX_TEST_N_CHUNKS);
  g_assert_cmpuint (cx_pack_index_get_pack_size (fx->index), >, 4 * 1024 * 1024);

  for (gsize i = 0; i < CX_TEST_FILE_SIZE; i++)
    file[i] = (guint8) g_rand_int (rand);
  fx->file = g_bytes_new_take (file, CX_TEST_FILE_SIZE);

  pack_path = g_build_filename (fx->repo_dir, CX_TEST_PACK_PATH, NULL);
  file_path = g_build_filename (fx->repo_dir, CX_TEST_FILE_PATH, NULL);
  cx_test_write_file (pack_path, g_bytes_get_data (fx->pack, NULL), g_bytes_get_size (fx->pack));
  cx_test_write_file (file_path, file, CX_TEST_FILE_SIZE);

  fx->hub = cx_test_start_hub (fx->repo_dir, &fx->hub_url);
  fx->base_url = g_strconcat (fx->hub_url, "repo/", NULL);
  wait_until_serving (fx->base_url);
}

static void
fixture_tear_down (CxTestFetchFixture *fx, gconstpointer data)
{
  g_autofree char *log = cx_test_stop_hub (fx->hub);

  g_clear_object (&fx->hub);
  g_clear_pointer (&fx->index, cx_pack_index_unref);
  g_clear_pointer (&fx->pack, g_bytes_unref);
  g_clear_pointer (&fx->file, g_bytes_unref);
  g_clear_pointer (&fx->chunks, g_hash_table_unref);
  g_free (fx->repo_dir);
  g_free (fx->hub_url);
  g_free (fx->base_url);
}

static void
progress_cb (const CxFetchProgress *progress, gpointer user_data)
{
  CxTestProgressLog *log = user_data;
  gint64 now = g_get_monotonic_time ();

  if (log->calls > 0 && now - log->last_time < G_USEC_PER_SEC / 5)
    log->forced_gaps++;
  /* Counters never go backwards. */
  g_assert_cmpuint (progress->bytes_received, >=, log->last.bytes_received);
  g_assert_cmpuint (progress->requests, >=, log->last.requests);
  g_assert_cmpuint (progress->retries, >=, log->last.retries);
  g_assert_cmpuint (progress->retries, <=, progress->requests);
  log->calls++;
  log->last_time = now;
  log->last = *progress;
}

/* A fetcher with quick retries, so failing tests fail fast. */
CxFetcher *
cx_test_new_fetcher (const char *base_url, CxTestProgressLog *log)
{
  g_autoptr (GError) error = NULL;
  CxFetcher *fetcher = cx_fetcher_new (base_url, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cx_fetcher_get_base_url (fetcher), ==, base_url);
  cx_fetcher_set_retry_policy (fetcher, 4, 20, 100);
  if (log != NULL)
    cx_fetcher_set_progress_func (fetcher, progress_cb, log, NULL);
  return fetcher;
}

CxFetchProgress
cx_test_get_progress (CxFetcher *fetcher)
{
  CxFetchProgress progress;

  cx_fetcher_get_progress (fetcher, &progress);
  return progress;
}

void
cx_test_sink_init (CxTestSink *sink, CxTestFetchFixture *fx)
{
  memset (sink, 0, sizeof *sink);
  sink->fx = fx;
  sink->got = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
}

void
cx_test_sink_clear (CxTestSink *sink)
{
  g_clear_pointer (&sink->got, g_hash_table_unref);
}

gboolean
cx_test_sink_chunk_cb (const CxPackEntry *entry, GBytes *chunk, gpointer user_data, GError **error)
{
  CxTestSink *sink = user_data;
  GBytes *expected = g_hash_table_lookup (sink->fx->chunks, &entry->id);

  /* Only chunks that were packed, byte for byte, each once. */
  g_assert_nonnull (expected);
  g_assert_true (g_bytes_equal (expected, chunk));
  g_assert_false (g_hash_table_contains (sink->got, &entry->id));
  g_hash_table_add (sink->got, cx_chunk_id_dup (&entry->id));

  if (sink->fail_at > 0 && g_hash_table_size (sink->got) == sink->fail_at)
    {
      g_set_error (error, sink->fail_domain, sink->fail_code, "the disk is unhappy");
      return FALSE;
    }
  return TRUE;
}

/* The ids of the entries at @positions (offset order). */
CxChunkId *
cx_test_ids_at (CxTestFetchFixture *fx, const guint *positions, guint n)
{
  CxChunkId *ids = g_new (CxChunkId, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    ids[i] = cx_pack_index_get_entry (fx->index, positions[i])->id;
  return ids;
}

CxChunkId *
cx_test_all_ids (CxTestFetchFixture *fx)
{
  g_autofree guint *positions = g_new (guint, CX_TEST_N_CHUNKS);

  for (guint i = 0; i < CX_TEST_N_CHUNKS; i++)
    positions[i] = i;
  return cx_test_ids_at (fx, positions, CX_TEST_N_CHUNKS);
}

/* g_test_init() for the fetcher tests. */
void
cx_test_fetch_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The hub is on loopback: a proxy from the environment must not be used. */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
}

/* Adds a test that runs on a freshly served pack and file. */
void
cx_test_fetch_add (const char *path, CxTestFetchFunc test)
{
  g_test_add_vtable (path, sizeof (CxTestFetchFixture), NULL, (GTestFixtureFunc) fixture_set_up,
                     (GTestFixtureFunc) test, (GTestFixtureFunc) fixture_tear_down);
}
