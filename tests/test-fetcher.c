/* test-fetcher.c: CxFetcher against the real hub on loopback
 *
 * Whole files, pack chunks, the bandwidth cap and cancellation; the fault
 * proxy's cases are in test-fetcher-faults.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cx-sync-error.h"
#include "cx-test-fetcher.h"

typedef CxTestFetchFixture Fixture;

/* --- helpers --------------------------------------------------------------- */

/* Replaces @relative in the served folder atomically, as a publisher (or a
 * misconfigured mirror) would: a new file, so a new ETag. */
static void
replace_served_file (Fixture *fx, const char *relative, GBytes *content)
{
  g_autofree char *path = g_build_filename (fx->repo_dir, relative, NULL);
  g_autofree char *temporary = g_strconcat (path, ".new", NULL);

  cx_test_write_file (temporary, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  g_assert_cmpint (g_rename (temporary, path), ==, 0);
}

static guint64
wanted_bytes (Fixture *fx, const CxChunkId *ids, guint n)
{
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    total += cx_pack_index_lookup (fx->index, &ids[i], NULL)->compressed_size;
  return total;
}

/* A loopback port nobody listens on (for as long as nobody takes it). */
static guint16
closed_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A fetcher for that port: every connection is refused. */
static CxFetcher *
new_refused_fetcher (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/repo/", closed_port ());

  return cx_test_new_fetcher (url, NULL);
}

/* --- construction ------------------------------------------------------- */

static void
test_bad_address (void)
{
  const char *bad[] = { "ftp://127.0.0.1/", "http://127.0.0.1/repo", "file:///tmp/", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CxFetcher) fetcher = cx_fetcher_new (bad[i], &error);

      g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
      g_assert_null (fetcher);
    }
}

/* --- whole files ----------------------------------------------------------- */

static void
test_file_whole (Fixture *fx, gconstpointer data)
{
  CxTestProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, &log);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) again = NULL;
  CxFetchProgress progress;

  bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, 2 * CX_TEST_FILE_SIZE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, fx->file));

  /* Exactly the expected size, and exactly the cap, are fine. */
  again = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, CX_TEST_FILE_SIZE,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, fx->file));

  progress = cx_test_get_progress (fetcher);
  g_assert_cmpuint (progress.bytes_received, ==, 2 * CX_TEST_FILE_SIZE);
  g_assert_cmpuint (progress.requests, ==, 2);
  g_assert_cmpuint (progress.retries, ==, 0);
  /* Reported at the end of each call, and it saw the final numbers. */
  g_assert_cmpuint (log.calls, >=, 2);
  g_assert_cmpuint (log.last.bytes_received, ==, progress.bytes_received);
  g_assert_cmpuint (log.last.requests, ==, 2);
}

static void
test_file_not_found (Fixture *fx, gconstpointer data)
{
  CxTestProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, &log);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  bytes = cx_fetcher_get_file (fetcher, "v1/missing", 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "v1/missing"));
  g_assert_nonnull (strstr (error->message, "404"));
  g_assert_null (bytes);
  /* Not retried. */
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 1);
  g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);
  g_assert_cmpuint (log.calls, >=, 1);
}

/* A batch: each file succeeds or fails on its own. */
static void
test_file_batch (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) requests = g_array_new (FALSE, TRUE, sizeof (CxFetchFileRequest));
  CxFetchFileRequest batch[] = {
    { CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, CX_TEST_FILE_SIZE },
    { "v1/missing", 1024, -1 },
    { CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE - 1, -1 },
    { CX_TEST_FILE_PATH, 2 * CX_TEST_FILE_SIZE, -1 },
  };

  g_array_set_clear_func (requests, cx_fetch_file_request_clear);
  g_array_append_vals (requests, batch, G_N_ELEMENTS (batch));
  g_assert_true (cx_fetcher_get_files (fetcher, (CxFetchFileRequest *) requests->data,
                                       requests->len, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_bytes_equal (g_array_index (requests, CxFetchFileRequest, 0).bytes, fx->file));
  g_assert_error (g_array_index (requests, CxFetchFileRequest, 1).error, CX_SYNC_ERROR,
                  CX_SYNC_ERROR_NOT_FOUND);
  g_assert_null (g_array_index (requests, CxFetchFileRequest, 1).bytes);
  g_assert_error (g_array_index (requests, CxFetchFileRequest, 2).error, CX_SYNC_ERROR,
                  CX_SYNC_ERROR_TOO_LARGE);
  g_assert_true (g_bytes_equal (g_array_index (requests, CxFetchFileRequest, 3).bytes, fx->file));
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 4);
  g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);

  /* Nothing to fetch is not an error. */
  g_assert_true (cx_fetcher_get_files (fetcher, NULL, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_file_too_large (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) bytes2 = NULL;

  bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, 64 * 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, CX_TEST_FILE_PATH));
  g_assert_null (bytes);
  /* Refused from the announced length: hardly any of the body was read,
   * and it was not asked for again. */
  g_assert_cmpuint (cx_test_get_progress (fetcher).bytes_received, <, 128 * 1024);
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 1);

  /* One byte short of the file is still too small a cap. */
  bytes2 =
      cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE - 1, -1, NULL, &error2);
  g_assert_error (error2, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_null (bytes2);
  g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);
}

static void
test_file_size_mismatch (Fixture *fx, gconstpointer data)
{
  const struct
  {
    gssize expected;
    guint requests;
  } cases[] = {
    /* Longer than expected: refused at once, reading no further. */
    { CX_TEST_FILE_SIZE - 1, 1 },
    { 0, 1 },
    /* Shorter: retried (a cut can look like the end), then refused. */
    { CX_TEST_FILE_SIZE + 1, 4 },
  };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GBytes) local_bytes = NULL;
      CxFetchProgress before = cx_test_get_progress (fetcher);
      CxFetchProgress after;

      local_bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, 2 * CX_TEST_FILE_SIZE,
                                         cases[i].expected, NULL, &local_error);
      g_assert_error (local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
      g_assert_nonnull (strstr (local_error->message, CX_TEST_FILE_PATH));
      g_assert_null (local_bytes);

      after = cx_test_get_progress (fetcher);
      g_assert_cmpuint (after.requests - before.requests, ==, cases[i].requests);
      /* Never more read than expected, give or take one network read. */
      g_assert_cmpuint (after.bytes_received - before.bytes_received, <=,
                        cases[i].requests * ((guint64) cases[i].expected + 64 * 1024));
    }

  /* An expected size beyond the cap is refused without asking. */
  bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, 1024, CX_TEST_FILE_SIZE, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_null (bytes);
}

static void
test_file_refused_connection (void)
{
  g_autoptr (CxFetcher) fetcher = new_refused_fetcher ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  cx_fetcher_set_retry_policy (fetcher, 3, 10, 20);
  bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK);
  g_assert_null (bytes);
  /* Retried up to the attempt limit. */
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 3);
  g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 2);
}

/* --- pack chunks ----------------------------------------------------------- */

static void
test_chunks_subset (Fixture *fx, gconstpointer data)
{
  /* Neighbours coalesce; far-apart chunks get their own ranges. */
  const guint positions[] = { 3, 4, 6, 20, 21, 40, 63 };
  CxTestProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = cx_test_ids_at (fx, positions, G_N_ELEMENTS (positions));
  g_autoptr (GArray) ranges = NULL;
  g_autoptr (GError) error = NULL;
  guint64 range_bytes = 0;
  CxFetchProgress progress;
  CxTestSink sink;

  ranges = cx_pack_index_coalesce (fx->index, ids, G_N_ELEMENTS (positions),
                                   CX_PACK_DEFAULT_MAX_GAP, CX_PACK_DEFAULT_MAX_RANGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, <, G_N_ELEMENTS (positions));
  for (guint i = 0; i < ranges->len; i++)
    range_bytes += g_array_index (ranges, CxPackRange, i).length;

  cx_test_sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                        G_N_ELEMENTS (positions), cx_test_sink_chunk_cb, &sink,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (positions));

  /* One request per coalesced range, and only those bytes. */
  progress = cx_test_get_progress (fetcher);
  g_assert_cmpuint (progress.requests, ==, ranges->len);
  g_assert_cmpuint (progress.retries, ==, 0);
  g_assert_cmpuint (progress.bytes_received, ==, range_bytes);
  g_assert_cmpuint (log.last.requests, ==, ranges->len);
  cx_test_sink_clear (&sink);
}

static void
test_chunks_all (Fixture *fx, gconstpointer data)
{
  CxTestProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = cx_test_all_ids (fx);
  g_autoptr (GError) error = NULL;
  CxFetchProgress progress;
  CxTestSink sink;

  cx_test_sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                        CX_TEST_N_CHUNKS, cx_test_sink_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, CX_TEST_N_CHUNKS);

  /* The whole pack in ranges of at most 4 MiB, each byte once. */
  progress = cx_test_get_progress (fetcher);
  g_assert_cmpuint (progress.bytes_received, ==, g_bytes_get_size (fx->pack));
  g_assert_cmpuint (progress.requests, ==,
                    (g_bytes_get_size (fx->pack) + CX_PACK_DEFAULT_MAX_RANGE - 1) /
                        CX_PACK_DEFAULT_MAX_RANGE);
  g_assert_cmpuint (progress.retries, ==, 0);
  cx_test_sink_clear (&sink);

  /* Nothing wanted, nothing asked for. */
  cx_test_sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids, 0,
                                        cx_test_sink_chunk_cb, &sink, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, progress.requests);
  cx_test_sink_clear (&sink);
}

static void
test_chunks_unknown (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  CxChunkId ids[2];
  CxTestSink sink;

  ids[0] = cx_pack_index_get_entry (fx->index, 0)->id;
  cx_chunk_id_compute ("not packed", 10, &ids[1]);
  cx_test_sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids, 2,
                                         cx_test_sink_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 0);
  cx_test_sink_clear (&sink);
}

static void
test_chunks_pack_missing (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autofree CxChunkId *ids = cx_test_all_ids (fx);
  g_autoptr (GError) error = NULL;
  CxTestSink sink;

  cx_test_sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, "v1/packs/gone.pack", fx->index, ids, 3,
                                         cx_test_sink_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "v1/packs/gone.pack"));
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
  g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);
  cx_test_sink_clear (&sink);
}

/* An error from on_chunk is the caller's and comes back untouched, even one
 * that looks like damage. */
static void
test_chunks_callback_error (Fixture *fx, gconstpointer data)
{
  const struct
  {
    GQuark domain;
    int code;
  } errors[] = {
    { G_IO_ERROR, G_IO_ERROR_NO_SPACE },
    { CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
      g_autofree CxChunkId *ids = cx_test_all_ids (fx);
      g_autoptr (GError) error = NULL;
      CxTestSink sink;

      cx_test_sink_init (&sink, fx);
      sink.fail_at = 3;
      sink.fail_domain = errors[i].domain;
      sink.fail_code = errors[i].code;
      g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                             CX_TEST_N_CHUNKS, cx_test_sink_chunk_cb, &sink, NULL,
                                             &error));
      g_assert_error (error, errors[i].domain, errors[i].code);
      g_assert_cmpstr (error->message, ==, "the disk is unhappy");
      /* Nothing more was handed out, and nothing retried. */
      g_assert_cmpuint (g_hash_table_size (sink.got), ==, 3);
      g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);
      cx_test_sink_clear (&sink);
    }
}

/* The pack is replaced on the server between two calls: the second call
 * must notice (If-Range) rather than splice two files; a later call may
 * then start afresh, and still only ever hands out verified chunks. */
static void
test_chunks_changed (Fixture *fx, gconstpointer data)
{
  const guint first[] = { 0, 1 };
  const guint second[] = { 30, 31, 50 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  g_autofree CxChunkId *first_ids = cx_test_ids_at (fx, first, G_N_ELEMENTS (first));
  g_autofree CxChunkId *second_ids = cx_test_ids_at (fx, second, G_N_ELEMENTS (second));
  g_autoptr (GHashTable) other_chunks = g_hash_table_new_full (
      cx_chunk_id_hash, cx_chunk_id_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr (CxPackIndex) other_index = NULL;
  g_autoptr (GBytes) other_pack = cx_test_build_pack (4242, other_chunks, &other_index);
  g_autoptr (GError) error = NULL;
  CxTestSink sink;

  cx_test_sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, first_ids,
                                        G_N_ELEMENTS (first), cx_test_sink_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);

  /* Same bytes, new file: the ETag differs, so the fetcher cannot know. */
  replace_served_file (fx, CX_TEST_PACK_PATH, fx->pack);
  g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, second_ids,
                                         G_N_ELEMENTS (second), cx_test_sink_chunk_cb, &sink, NULL,
                                         &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, CX_TEST_PACK_PATH));
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (first));
  g_clear_error (&error);

  /* Asked again, it fetches from the new file, which is still right. */
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, second_ids,
                                        G_N_ELEMENTS (second), cx_test_sink_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (first) + G_N_ELEMENTS (second));
  cx_test_sink_clear (&sink);

  /* Now a different pack under the same name. */
  replace_served_file (fx, CX_TEST_PACK_PATH, other_pack);
  cx_test_sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, first_ids,
                                         G_N_ELEMENTS (first), cx_test_sink_chunk_cb, &sink, NULL,
                                         &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED);
  g_clear_error (&error);

  /* Its bytes never verify as the chunks of the old index. */
  g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, first_ids,
                                         G_N_ELEMENTS (first), cx_test_sink_chunk_cb, &sink, NULL,
                                         &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
  cx_test_sink_clear (&sink);
}

/* --- bandwidth, cancellation ------------------------------------------- */

static void
test_rate_limit (Fixture *fx, gconstpointer data)
{
  /* Four chunks far apart: four ranges in flight, sharing the cap. */
  const guint positions[] = { 0, 16, 32, 48 };
  CxTestProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = cx_test_ids_at (fx, positions, G_N_ELEMENTS (positions));
  g_autoptr (GBytes) small = g_bytes_new_from_bytes (fx->file, 0, 256 * 1024);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  guint64 total = wanted_bytes (fx, ids, G_N_ELEMENTS (positions));
  /* A cap that makes the chunks take 2.5 s. */
  guint64 cap = total * 2 / 5;
  gint64 start, elapsed;
  CxTestSink sink;

  cx_fetcher_set_rate_limit (fetcher, cap);
  cx_test_sink_init (&sink, fx);
  start = g_get_monotonic_time ();
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                        G_N_ELEMENTS (positions), cx_test_sink_chunk_cb, &sink,
                                        NULL, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (positions));
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, G_N_ELEMENTS (positions));
  g_test_message ("%" G_GUINT64_FORMAT " bytes at %" G_GUINT64_FORMAT " B/s took %.2f s", total,
                  cap, elapsed / 1e6);
  g_assert_cmpint (elapsed, >=, 3 * G_USEC_PER_SEC / 2);
  /* Throttled reports: about four a second, plus the final one. */
  g_assert_cmpuint (log.calls, <=, elapsed * 5 / G_USEC_PER_SEC + 2);
  g_assert_cmpuint (log.forced_gaps, <=, 1);
  g_assert_cmpuint (log.last.rate, >, 0);
  cx_test_sink_clear (&sink);

  /* A whole file: 256 KiB at 128 KiB/s. */
  replace_served_file (fx, CX_TEST_FILE_PATH, small);
  cx_fetcher_set_rate_limit (fetcher, 128 * 1024);
  start = g_get_monotonic_time ();
  bytes =
      cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, 256 * 1024, NULL, &error);
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("256 KiB at 128 KiB/s took %.2f s", elapsed / 1e6);
  g_assert_cmpint (elapsed, >=, 3 * G_USEC_PER_SEC / 2);

  /* And no cap again. */
  cx_fetcher_set_rate_limit (fetcher, 0);
  g_clear_pointer (&bytes, g_bytes_unref);
  start = g_get_monotonic_time ();
  bytes =
      cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, 256 * 1024, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

typedef struct
{
  Fixture *fx;
  CxFetcher *fetcher;
  GCancellable *cancellable;
  gboolean whole_file;
  GError *error;
  gboolean ok;
  gint64 finished;
} CancelJob;

static gpointer
cancel_job_thread (gpointer data)
{
  CancelJob *job = data;

  if (job->whole_file)
    {
      g_autoptr (GBytes) bytes = cx_fetcher_get_file (
          job->fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, -1, job->cancellable, &job->error);

      job->ok = bytes != NULL;
    }
  else
    {
      g_autofree CxChunkId *ids = cx_test_all_ids (job->fx);
      CxTestSink sink;

      cx_test_sink_init (&sink, job->fx);
      job->ok = cx_fetcher_get_chunks (job->fetcher, CX_TEST_PACK_PATH, job->fx->index, ids,
                                       CX_TEST_N_CHUNKS, cx_test_sink_chunk_cb, &sink,
                                       job->cancellable, &job->error);
      cx_test_sink_clear (&sink);
    }
  job->finished = g_get_monotonic_time ();
  return NULL;
}

/* Cancels @job's call after @delay_ms from this thread; returns how long the
 * fetcher took to give up. */
static gint64
run_and_cancel (CancelJob *job, guint delay_ms)
{
  GThread *thread;
  gint64 cancelled;

  job->cancellable = g_cancellable_new ();
  thread = g_thread_new ("fetch", cancel_job_thread, job);
  g_usleep (delay_ms * 1000);
  cancelled = g_get_monotonic_time ();
  g_cancellable_cancel (job->cancellable);
  g_thread_join (thread);
  g_clear_object (&job->cancellable);

  g_assert_false (job->ok);
  g_assert_error (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job->error);
  return job->finished - cancelled;
}

static void
test_cancel_transfer (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = cx_test_new_fetcher (fx->base_url, NULL);
  CancelJob job = { fx, fetcher };
  gint64 took;

  /* Slow enough that the pack takes over a minute. */
  cx_fetcher_set_rate_limit (fetcher, 64 * 1024);
  took = run_and_cancel (&job, 400);
  g_test_message ("gave up %.3f s after the cancel", took / 1e6);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  g_assert_cmpuint (cx_test_get_progress (fetcher).bytes_received, <, g_bytes_get_size (fx->pack));

  /* The fetcher is still good afterwards. */
  cx_fetcher_set_rate_limit (fetcher, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes =
        cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (bytes, fx->file));
  }

  /* Already cancelled: nothing happens. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = NULL;

    g_cancellable_cancel (cancellable);
    bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, -1, cancellable,
                                 &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (bytes);
  }
}

static void
test_cancel_backoff (void)
{
  g_autoptr (CxFetcher) fetcher = new_refused_fetcher ();
  CancelJob job = { NULL, fetcher, NULL, TRUE };
  gint64 took;

  /* The first retry waits 10 s. */
  cx_fetcher_set_retry_policy (fetcher, 8, 20000, 20000);
  took = run_and_cancel (&job, 400);
  g_test_message ("gave up %.3f s after the cancel", took / 1e6);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, 1);
}

/* --- main ------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  cx_test_fetch_init (&argc, &argv);

  g_test_add_func ("/fetcher/bad-address", test_bad_address);
  cx_test_fetch_add ("/fetcher/file/whole", test_file_whole);
  cx_test_fetch_add ("/fetcher/file/not-found", test_file_not_found);
  cx_test_fetch_add ("/fetcher/file/batch", test_file_batch);
  cx_test_fetch_add ("/fetcher/file/too-large", test_file_too_large);
  cx_test_fetch_add ("/fetcher/file/size-mismatch", test_file_size_mismatch);
  g_test_add_func ("/fetcher/file/refused-connection", test_file_refused_connection);
  cx_test_fetch_add ("/fetcher/chunks/subset", test_chunks_subset);
  cx_test_fetch_add ("/fetcher/chunks/all", test_chunks_all);
  cx_test_fetch_add ("/fetcher/chunks/unknown", test_chunks_unknown);
  cx_test_fetch_add ("/fetcher/chunks/pack-missing", test_chunks_pack_missing);
  cx_test_fetch_add ("/fetcher/chunks/callback-error", test_chunks_callback_error);
  cx_test_fetch_add ("/fetcher/chunks/changed", test_chunks_changed);
  cx_test_fetch_add ("/fetcher/rate-limit", test_rate_limit);
  cx_test_fetch_add ("/fetcher/cancel/transfer", test_cancel_transfer);
  g_test_add_func ("/fetcher/cancel/backoff", test_cancel_backoff);

  return g_test_run ();
}
