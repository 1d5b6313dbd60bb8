/* test-fetcher.c: CxFetcher against the real hub, directly and through the fault proxy
 *
 * Each test publishes nothing: it writes a pack (and a plain file) into a
 * fresh folder, serves it with `cunxiao-hub serve` on loopback and fetches
 * from it.  The fault tests put tests/fault-proxy in between to drop, stall
 * and corrupt replies, or to answer with error statuses.  Every chunk handed
 * out is compared with what was packed, so a spliced or damaged chunk can
 * never pass.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cx-fetcher.h"
#include "cx-sync-error.h"
#include "cx-test-repo.h"

#define N_CHUNKS  64
#define PACK_PATH "v1/packs/test.pack"
#define FILE_PATH "v1/file"
#define FILE_SIZE (1024 * 1024 + 17)

typedef struct
{
  char *repo_dir;
  GSubprocess *hub;
  char *hub_url;  /* http://127.0.0.1:PORT/ */
  char *base_url; /* where the hub serves the folder */
  GBytes *pack;
  CxPackIndex *index;
  GHashTable *chunks; /* CxChunkId → GBytes, what was packed */
  GBytes *file;
} Fixture;

/* --- set-up ---------------------------------------------------------------- */

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

/* Builds a pack of N_CHUNKS chunks from @seed; its chunks go to @chunks. */
static GBytes *
build_pack (guint32 seed, GHashTable *chunks, CxPackIndex **out_index)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (CxPackWriter) writer = cx_pack_writer_new (out, 3);
  g_autoptr (GBytes) index_bytes = NULL;
  g_autoptr (GError) error = NULL;
  CxChunkId pack_id;

  for (guint i = 0; i < N_CHUNKS; i++)
    {
      g_autoptr (GBytes) chunk = make_chunk (rand, i);
      CxChunkId id;

      g_assert_true (cx_pack_writer_add_chunk (writer, g_bytes_get_data (chunk, NULL),
                                               g_bytes_get_size (chunk), &id, NULL, &error));
      g_assert_no_error (error);
      g_hash_table_insert (chunks, cx_chunk_id_dup (&id), g_bytes_ref (chunk));
    }
  g_assert_cmpuint (cx_pack_writer_get_n_entries (writer), ==, N_CHUNKS);

  index_bytes = cx_pack_writer_finish (writer, &pack_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  *out_index = cx_pack_index_new_from_bytes (index_bytes, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

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
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint8 *file = g_malloc (FILE_SIZE);
  g_autofree char *pack_path = NULL;
  g_autofree char *file_path = NULL;

  fx->repo_dir = cx_test_make_dir ();
  fx->chunks = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free,
                                      (GDestroyNotify) g_bytes_unref);
  fx->pack = build_pack (42, fx->chunks, &fx->index);
  g_assert_cmpuint (g_hash_table_size (fx->chunks), ==, N_CHUNKS);
  g_assert_cmpuint (cx_pack_index_get_pack_size (fx->index), >, 4 * 1024 * 1024);

  for (gsize i = 0; i < FILE_SIZE; i++)
    file[i] = (guint8) g_rand_int (rand);
  fx->file = g_bytes_new_take (file, FILE_SIZE);

  pack_path = g_build_filename (fx->repo_dir, PACK_PATH, NULL);
  file_path = g_build_filename (fx->repo_dir, FILE_PATH, NULL);
  cx_test_write_file (pack_path, g_bytes_get_data (fx->pack, NULL), g_bytes_get_size (fx->pack));
  cx_test_write_file (file_path, file, FILE_SIZE);

  fx->hub = cx_test_start_hub (fx->repo_dir, &fx->hub_url);
  fx->base_url = g_strconcat (fx->hub_url, "repo/", NULL);
  wait_until_serving (fx->base_url);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
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

/* --- helpers --------------------------------------------------------------- */

typedef struct
{
  guint calls;
  guint forced_gaps; /* reports closer together than the throttle allows */
  gint64 last_time;
  CxFetchProgress last;
} ProgressLog;

static void
progress_cb (const CxFetchProgress *progress, gpointer user_data)
{
  ProgressLog *log = user_data;
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
static CxFetcher *
new_fetcher (const char *base_url, ProgressLog *log)
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

static CxFetchProgress
get_progress (CxFetcher *fetcher)
{
  CxFetchProgress progress;

  cx_fetcher_get_progress (fetcher, &progress);
  return progress;
}

typedef struct
{
  Fixture *fx;
  GHashTable *got; /* ids delivered */
  guint fail_at;   /* the on_chunk call that fails, 1-based; 0 for none */
  GQuark fail_domain;
  int fail_code;
} Sink;

static void
sink_init (Sink *sink, Fixture *fx)
{
  memset (sink, 0, sizeof *sink);
  sink->fx = fx;
  sink->got = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);
}

static void
sink_clear (Sink *sink)
{
  g_clear_pointer (&sink->got, g_hash_table_unref);
}

static gboolean
on_chunk_cb (const CxPackEntry *entry, GBytes *chunk, gpointer user_data, GError **error)
{
  Sink *sink = user_data;
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
static CxChunkId *
ids_at (Fixture *fx, const guint *positions, guint n)
{
  CxChunkId *ids = g_new (CxChunkId, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    ids[i] = cx_pack_index_get_entry (fx->index, positions[i])->id;
  return ids;
}

static CxChunkId *
all_ids (Fixture *fx)
{
  g_autofree guint *positions = g_new (guint, N_CHUNKS);

  for (guint i = 0; i < N_CHUNKS; i++)
    positions[i] = i;
  return ids_at (fx, positions, N_CHUNKS);
}

static guint64
wanted_bytes (Fixture *fx, const CxChunkId *ids, guint n)
{
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    total += cx_pack_index_lookup (fx->index, &ids[i], NULL)->compressed_size;
  return total;
}

static guint32
largest_frame (Fixture *fx)
{
  guint32 largest = 0;

  for (guint i = 0; i < N_CHUNKS; i++)
    largest = MAX (largest, cx_pack_index_get_entry (fx->index, i)->compressed_size);
  return largest;
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
  ProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, &log);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) again = NULL;
  CxFetchProgress progress;

  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, 2 * FILE_SIZE, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, fx->file));

  /* Exactly the expected size, and exactly the cap, are fine. */
  again = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, FILE_SIZE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, fx->file));

  progress = get_progress (fetcher);
  g_assert_cmpuint (progress.bytes_received, ==, 2 * FILE_SIZE);
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
  ProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, &log);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  bytes = cx_fetcher_get_file (fetcher, "v1/missing", 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "v1/missing"));
  g_assert_nonnull (strstr (error->message, "404"));
  g_assert_null (bytes);
  /* Not retried. */
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 1);
  g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);
  g_assert_cmpuint (log.calls, >=, 1);
}

/* A batch: each file succeeds or fails on its own. */
static void
test_file_batch (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) requests = g_array_new (FALSE, TRUE, sizeof (CxFetchFileRequest));
  CxFetchFileRequest batch[] = {
    { FILE_PATH, FILE_SIZE, FILE_SIZE },
    { "v1/missing", 1024, -1 },
    { FILE_PATH, FILE_SIZE - 1, -1 },
    { FILE_PATH, 2 * FILE_SIZE, -1 },
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
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 4);
  g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);

  /* Nothing to fetch is not an error. */
  g_assert_true (cx_fetcher_get_files (fetcher, NULL, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_file_too_large (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GBytes) bytes2 = NULL;

  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, 64 * 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, FILE_PATH));
  g_assert_null (bytes);
  /* Refused from the announced length: hardly any of the body was read,
   * and it was not asked for again. */
  g_assert_cmpuint (get_progress (fetcher).bytes_received, <, 128 * 1024);
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 1);

  /* One byte short of the file is still too small a cap. */
  bytes2 = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE - 1, -1, NULL, &error2);
  g_assert_error (error2, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_null (bytes2);
  g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);
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
    { FILE_SIZE - 1, 1 },
    { 0, 1 },
    /* Shorter: retried (a cut can look like the end), then refused. */
    { FILE_SIZE + 1, 4 },
  };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GBytes) local_bytes = NULL;
      CxFetchProgress before = get_progress (fetcher);
      CxFetchProgress after;

      local_bytes = cx_fetcher_get_file (fetcher, FILE_PATH, 2 * FILE_SIZE, cases[i].expected, NULL,
                                         &local_error);
      g_assert_error (local_error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
      g_assert_nonnull (strstr (local_error->message, FILE_PATH));
      g_assert_null (local_bytes);

      after = get_progress (fetcher);
      g_assert_cmpuint (after.requests - before.requests, ==, cases[i].requests);
      /* Never more read than expected, give or take one network read. */
      g_assert_cmpuint (after.bytes_received - before.bytes_received, <=,
                        cases[i].requests * ((guint64) cases[i].expected + 64 * 1024));
    }

  /* An expected size beyond the cap is refused without asking. */
  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, 1024, FILE_SIZE, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_assert_null (bytes);
}

static void
test_file_refused_connection (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/repo/", closed_port ());
  g_autoptr (CxFetcher) fetcher = new_fetcher (url, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  cx_fetcher_set_retry_policy (fetcher, 3, 10, 20);
  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, 1024, -1, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NETWORK);
  g_assert_null (bytes);
  /* Retried up to the attempt limit. */
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 3);
  g_assert_cmpuint (get_progress (fetcher).retries, ==, 2);
}

/* --- pack chunks ----------------------------------------------------------- */

static void
test_chunks_subset (Fixture *fx, gconstpointer data)
{
  /* Neighbours coalesce; far-apart chunks get their own ranges. */
  const guint positions[] = { 3, 4, 6, 20, 21, 40, 63 };
  ProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = ids_at (fx, positions, G_N_ELEMENTS (positions));
  g_autoptr (GArray) ranges = NULL;
  g_autoptr (GError) error = NULL;
  guint64 range_bytes = 0;
  CxFetchProgress progress;
  Sink sink;

  ranges = cx_pack_index_coalesce (fx->index, ids, G_N_ELEMENTS (positions),
                                   CX_PACK_DEFAULT_MAX_GAP, CX_PACK_DEFAULT_MAX_RANGE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, <, G_N_ELEMENTS (positions));
  for (guint i = 0; i < ranges->len; i++)
    range_bytes += g_array_index (ranges, CxPackRange, i).length;

  sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids,
                                        G_N_ELEMENTS (positions), on_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (positions));

  /* One request per coalesced range, and only those bytes. */
  progress = get_progress (fetcher);
  g_assert_cmpuint (progress.requests, ==, ranges->len);
  g_assert_cmpuint (progress.retries, ==, 0);
  g_assert_cmpuint (progress.bytes_received, ==, range_bytes);
  g_assert_cmpuint (log.last.requests, ==, ranges->len);
  sink_clear (&sink);
}

static void
test_chunks_all (Fixture *fx, gconstpointer data)
{
  ProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = all_ids (fx);
  g_autoptr (GError) error = NULL;
  CxFetchProgress progress;
  Sink sink;

  sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, N_CHUNKS, on_chunk_cb,
                                        &sink, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, N_CHUNKS);

  /* The whole pack in ranges of at most 4 MiB, each byte once. */
  progress = get_progress (fetcher);
  g_assert_cmpuint (progress.bytes_received, ==, g_bytes_get_size (fx->pack));
  g_assert_cmpuint (progress.requests, ==,
                    (g_bytes_get_size (fx->pack) + CX_PACK_DEFAULT_MAX_RANGE - 1) /
                        CX_PACK_DEFAULT_MAX_RANGE);
  g_assert_cmpuint (progress.retries, ==, 0);
  sink_clear (&sink);

  /* Nothing wanted, nothing asked for. */
  sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, 0, on_chunk_cb, &sink,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (get_progress (fetcher).requests, ==, progress.requests);
  sink_clear (&sink);
}

static void
test_chunks_unknown (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autoptr (GError) error = NULL;
  CxChunkId ids[2];
  Sink sink;

  ids[0] = cx_pack_index_get_entry (fx->index, 0)->id;
  cx_chunk_id_compute ("not packed", 10, &ids[1]);
  sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, 2, on_chunk_cb, &sink,
                                         NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 0);
  sink_clear (&sink);
}

static void
test_chunks_pack_missing (Fixture *fx, gconstpointer data)
{
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autofree CxChunkId *ids = all_ids (fx);
  g_autoptr (GError) error = NULL;
  Sink sink;

  sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, "v1/packs/gone.pack", fx->index, ids, 3,
                                         on_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "v1/packs/gone.pack"));
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
  g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);
  sink_clear (&sink);
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
      g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
      g_autofree CxChunkId *ids = all_ids (fx);
      g_autoptr (GError) error = NULL;
      Sink sink;

      sink_init (&sink, fx);
      sink.fail_at = 3;
      sink.fail_domain = errors[i].domain;
      sink.fail_code = errors[i].code;
      g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, N_CHUNKS,
                                             on_chunk_cb, &sink, NULL, &error));
      g_assert_error (error, errors[i].domain, errors[i].code);
      g_assert_cmpstr (error->message, ==, "the disk is unhappy");
      /* Nothing more was handed out, and nothing retried. */
      g_assert_cmpuint (g_hash_table_size (sink.got), ==, 3);
      g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);
      sink_clear (&sink);
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
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  g_autofree CxChunkId *first_ids = ids_at (fx, first, G_N_ELEMENTS (first));
  g_autofree CxChunkId *second_ids = ids_at (fx, second, G_N_ELEMENTS (second));
  g_autoptr (GHashTable) other_chunks = g_hash_table_new_full (
      cx_chunk_id_hash, cx_chunk_id_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr (CxPackIndex) other_index = NULL;
  g_autoptr (GBytes) other_pack = build_pack (4242, other_chunks, &other_index);
  g_autoptr (GError) error = NULL;
  Sink sink;

  sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, first_ids,
                                        G_N_ELEMENTS (first), on_chunk_cb, &sink, NULL, &error));
  g_assert_no_error (error);

  /* Same bytes, new file: the ETag differs, so the fetcher cannot know. */
  replace_served_file (fx, PACK_PATH, fx->pack);
  g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, second_ids,
                                         G_N_ELEMENTS (second), on_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, PACK_PATH));
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (first));
  g_clear_error (&error);

  /* Asked again, it fetches from the new file, which is still right. */
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, second_ids,
                                        G_N_ELEMENTS (second), on_chunk_cb, &sink, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (first) + G_N_ELEMENTS (second));
  sink_clear (&sink);

  /* Now a different pack under the same name. */
  replace_served_file (fx, PACK_PATH, other_pack);
  sink_init (&sink, fx);
  g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, first_ids,
                                         G_N_ELEMENTS (first), on_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_CHANGED);
  g_clear_error (&error);

  /* Its bytes never verify as the chunks of the old index. */
  g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, first_ids,
                                         G_N_ELEMENTS (first), on_chunk_cb, &sink, NULL, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
  sink_clear (&sink);
}

/* --- bandwidth, cancellation ------------------------------------------- */

static void
test_rate_limit (Fixture *fx, gconstpointer data)
{
  /* Four chunks far apart: four ranges in flight, sharing the cap. */
  const guint positions[] = { 0, 16, 32, 48 };
  ProgressLog log = { 0 };
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, &log);
  g_autofree CxChunkId *ids = ids_at (fx, positions, G_N_ELEMENTS (positions));
  g_autoptr (GBytes) small = g_bytes_new_from_bytes (fx->file, 0, 256 * 1024);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  guint64 total = wanted_bytes (fx, ids, G_N_ELEMENTS (positions));
  /* A cap that makes the chunks take 2.5 s. */
  guint64 cap = total * 2 / 5;
  gint64 start, elapsed;
  Sink sink;

  cx_fetcher_set_rate_limit (fetcher, cap);
  sink_init (&sink, fx);
  start = g_get_monotonic_time ();
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids,
                                        G_N_ELEMENTS (positions), on_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, G_N_ELEMENTS (positions));
  g_assert_cmpuint (get_progress (fetcher).requests, ==, G_N_ELEMENTS (positions));
  g_test_message ("%" G_GUINT64_FORMAT " bytes at %" G_GUINT64_FORMAT " B/s took %.2f s", total,
                  cap, elapsed / 1e6);
  g_assert_cmpint (elapsed, >=, 3 * G_USEC_PER_SEC / 2);
  /* Throttled reports: about four a second, plus the final one. */
  g_assert_cmpuint (log.calls, <=, elapsed * 5 / G_USEC_PER_SEC + 2);
  g_assert_cmpuint (log.forced_gaps, <=, 1);
  g_assert_cmpuint (log.last.rate, >, 0);
  sink_clear (&sink);

  /* A whole file: 256 KiB at 128 KiB/s. */
  replace_served_file (fx, FILE_PATH, small);
  cx_fetcher_set_rate_limit (fetcher, 128 * 1024);
  start = g_get_monotonic_time ();
  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, 256 * 1024, NULL, &error);
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("256 KiB at 128 KiB/s took %.2f s", elapsed / 1e6);
  g_assert_cmpint (elapsed, >=, 3 * G_USEC_PER_SEC / 2);

  /* And no cap again. */
  cx_fetcher_set_rate_limit (fetcher, 0);
  g_clear_pointer (&bytes, g_bytes_unref);
  start = g_get_monotonic_time ();
  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, 256 * 1024, NULL, &error);
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
      g_autoptr (GBytes) bytes = cx_fetcher_get_file (job->fetcher, FILE_PATH, FILE_SIZE, -1,
                                                      job->cancellable, &job->error);

      job->ok = bytes != NULL;
    }
  else
    {
      g_autofree CxChunkId *ids = all_ids (job->fx);
      Sink sink;

      sink_init (&sink, job->fx);
      job->ok = cx_fetcher_get_chunks (job->fetcher, PACK_PATH, job->fx->index, ids, N_CHUNKS,
                                       on_chunk_cb, &sink, job->cancellable, &job->error);
      sink_clear (&sink);
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
  g_autoptr (CxFetcher) fetcher = new_fetcher (fx->base_url, NULL);
  CancelJob job = { fx, fetcher };
  gint64 took;

  /* Slow enough that the pack takes over a minute. */
  cx_fetcher_set_rate_limit (fetcher, 64 * 1024);
  took = run_and_cancel (&job, 400);
  g_test_message ("gave up %.3f s after the cancel", took / 1e6);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  g_assert_cmpuint (get_progress (fetcher).bytes_received, <, g_bytes_get_size (fx->pack));

  /* The fetcher is still good afterwards. */
  cx_fetcher_set_rate_limit (fetcher, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes =
        cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (bytes, fx->file));
  }

  /* Already cancelled: nothing happens. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = NULL;

    g_cancellable_cancel (cancellable);
    bytes = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, -1, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (bytes);
  }
}

static void
test_cancel_backoff (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/repo/", closed_port ());
  g_autoptr (CxFetcher) fetcher = new_fetcher (url, NULL);
  CancelJob job = { NULL, fetcher, NULL, TRUE };
  gint64 took;

  /* The first retry waits 10 s. */
  cx_fetcher_set_retry_policy (fetcher, 8, 20000, 20000);
  took = run_and_cancel (&job, 400);
  g_test_message ("gave up %.3f s after the cancel", took / 1e6);
  g_assert_cmpint (took, <, G_USEC_PER_SEC);
  g_assert_cmpuint (get_progress (fetcher).requests, ==, 1);
}

/* --- faults, through tests/fault-proxy ---------------------------------- */

typedef struct
{
  GSubprocess *proxy;
  char *base_url;
} Proxy;

static gboolean
start_proxy (Fixture *fx, Proxy *proxy, const char *const *options)
{
  g_autofree char *url = NULL;

  if (g_getenv ("CUNXIAO_FAULT_PROXY") == NULL)
    {
      g_test_skip ("CUNXIAO_FAULT_PROXY is not set");
      return FALSE;
    }
  proxy->proxy = cx_test_start_proxy (fx->hub_url, options, &url);
  proxy->base_url = g_strconcat (url, "repo/", NULL);
  return TRUE;
}

static void
stop_proxy (Proxy *proxy)
{
  cx_test_stop_proxy (proxy->proxy);
  g_clear_object (&proxy->proxy);
  g_clear_pointer (&proxy->base_url, g_free);
}

/* Fetches every chunk through a proxy with @options; the fetch must
 * complete with every chunk verified. */
static CxFetchProgress
fetch_all_through (Fixture *fx, const char *const *options, guint low_speed_seconds)
{
  g_autofree CxChunkId *ids = all_ids (fx);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxFetcher) fetcher = NULL;
  CxFetchProgress progress = { 0 };
  Proxy proxy;
  Sink sink;

  if (!start_proxy (fx, &proxy, options))
    return progress;
  fetcher = new_fetcher (proxy.base_url, NULL);
  cx_fetcher_set_retry_policy (fetcher, 6, 20, 100);
  if (low_speed_seconds > 0)
    cx_fetcher_set_low_speed (fetcher, 1024, low_speed_seconds);

  sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, N_CHUNKS, on_chunk_cb,
                                        &sink, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, N_CHUNKS);
  sink_clear (&sink);

  progress = get_progress (fetcher);
  g_test_message ("%s: %" G_GUINT64_FORMAT " bytes, %u requests, %u retries", options[1],
                  progress.bytes_received, progress.requests, progress.retries);
  stop_proxy (&proxy);
  return progress;
}

static void
test_fault_drop (Fixture *fx, gconstpointer data)
{
  const char *const options[] = { "--fault", "1:drop=300000", "--fault", "2:drop=200000", NULL };
  CxFetchProgress progress = fetch_all_through (fx, options, 0);

  if (progress.requests == 0)
    return;
  /* Resumed, losing at most the chunk in flight at each of the two cuts. */
  g_assert_cmpuint (progress.retries, >=, 1);
  g_assert_cmpuint (progress.bytes_received, <=,
                    g_bytes_get_size (fx->pack) + 2 * largest_frame (fx));
}

static void
test_fault_drop_every (Fixture *fx, gconstpointer data)
{
  /* A link that keeps dropping: every round gets somewhat further. */
  const char *const options[] = { "--drop-every-bytes", "600000", NULL };
  CxFetchProgress progress = fetch_all_through (fx, options, 0);

  if (progress.requests == 0)
    return;
  /* At least seven cuts, at most four in one round: two rounds or more. */
  g_assert_cmpuint (progress.retries, >=, 2);
  /* Each cut ends one request; the start of the chunk it was in is kept
   * and only the rest asked for, so nothing that arrived is fetched twice. */
  g_test_message ("%u requests, %u retries, %llu of %llu bytes", (guint) progress.requests,
                  (guint) progress.retries, (unsigned long long) progress.bytes_received,
                  (unsigned long long) g_bytes_get_size (fx->pack));
  g_assert_cmpuint (progress.bytes_received, ==, g_bytes_get_size (fx->pack));
}

static void
test_fault_stall (Fixture *fx, gconstpointer data)
{
  const char *const options[] = { "--fault", "1:stall=100000", NULL };
  gint64 start = g_get_monotonic_time ();
  CxFetchProgress progress = fetch_all_through (fx, options, 1);

  if (progress.requests == 0)
    return;
  /* The stalled range timed out and was asked for again. */
  g_assert_cmpuint (progress.retries, >=, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_fault_corrupt (Fixture *fx, gconstpointer data)
{
  const char *const options[] = { "--fault", "1:corrupt=150000", NULL };
  CxFetchProgress progress = fetch_all_through (fx, options, 0);

  if (progress.requests == 0)
    return;
  g_assert_cmpuint (progress.retries, >=, 1);
  g_assert_cmpuint (progress.bytes_received, <=,
                    g_bytes_get_size (fx->pack) + 2 * largest_frame (fx));
}

static void
test_fault_status_503 (Fixture *fx, gconstpointer data)
{
  const char *const options[] = { "--fault", "1:status=503", "--fault", "2:status=502", NULL };
  g_autoptr (CxFetcher) fetcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  CxFetchProgress progress;
  Proxy proxy;

  if (!start_proxy (fx, &proxy, options))
    return;
  fetcher = new_fetcher (proxy.base_url, NULL);
  bytes = cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, FILE_SIZE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, fx->file));
  progress = get_progress (fetcher);
  g_assert_cmpuint (progress.requests, ==, 3);
  g_assert_cmpuint (progress.retries, ==, 2);
  stop_proxy (&proxy);

  /* And for ranges. */
  progress = fetch_all_through (fx, options, 0);
  g_assert_cmpuint (progress.retries, >=, 1);
}

typedef struct
{
  const char *fault;
  gboolean whole_file;
  GQuark domain;
  int code;
  guint requests; /* 0: do not check */
} Refusal;

static void
test_fault_refused (Fixture *fx, gconstpointer data)
{
  const Refusal refusals[] = {
    { "1:status=404", TRUE, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND, 1 },
    { "1:status=403", TRUE, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP, 1 },
    { "*:status=503", TRUE, CX_SYNC_ERROR, CX_SYNC_ERROR_HTTP, 4 },
    { "1:status=404", FALSE, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND, 0 },
    { "*:ignore-range", FALSE, CX_SYNC_ERROR, CX_SYNC_ERROR_RANGE_IGNORED, 0 },
    { "*:corrupt=10", FALSE, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const char *const options[] = { "--fault", refusals[i].fault, NULL };
      g_autoptr (CxFetcher) fetcher = NULL;
      g_autoptr (GError) error = NULL;
      Proxy proxy;

      if (!start_proxy (fx, &proxy, options))
        return;
      fetcher = new_fetcher (proxy.base_url, NULL);
      if (refusals[i].whole_file)
        {
          g_autoptr (GBytes) bytes =
              cx_fetcher_get_file (fetcher, FILE_PATH, FILE_SIZE, -1, NULL, &error);

          g_assert_null (bytes);
        }
      else
        {
          g_autofree CxChunkId *ids = all_ids (fx);
          Sink sink;

          sink_init (&sink, fx);
          g_assert_false (cx_fetcher_get_chunks (fetcher, PACK_PATH, fx->index, ids, N_CHUNKS,
                                                 on_chunk_cb, &sink, NULL, &error));
          /* A reply that is not the range asked for is never read as one. */
          if (refusals[i].code == CX_SYNC_ERROR_RANGE_IGNORED)
            g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
          sink_clear (&sink);
        }
      g_test_message ("%s: %s", refusals[i].fault, error->message);
      g_assert_error (error, refusals[i].domain, refusals[i].code);
      if (refusals[i].requests > 0)
        g_assert_cmpuint (get_progress (fetcher).requests, ==, refusals[i].requests);
      if (refusals[i].code != CX_SYNC_ERROR_HASH_MISMATCH && refusals[i].requests != 4)
        g_assert_cmpuint (get_progress (fetcher).retries, ==, 0);
      stop_proxy (&proxy);
    }
}

/* --- main ------------------------------------------------------------------ */

static void
add_fixture_test (const char *path, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The hub is on loopback: a proxy from the environment must not be used. */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  g_test_add_func ("/fetcher/bad-address", test_bad_address);
  add_fixture_test ("/fetcher/file/whole", test_file_whole);
  add_fixture_test ("/fetcher/file/not-found", test_file_not_found);
  add_fixture_test ("/fetcher/file/batch", test_file_batch);
  add_fixture_test ("/fetcher/file/too-large", test_file_too_large);
  add_fixture_test ("/fetcher/file/size-mismatch", test_file_size_mismatch);
  g_test_add_func ("/fetcher/file/refused-connection", test_file_refused_connection);
  add_fixture_test ("/fetcher/chunks/subset", test_chunks_subset);
  add_fixture_test ("/fetcher/chunks/all", test_chunks_all);
  add_fixture_test ("/fetcher/chunks/unknown", test_chunks_unknown);
  add_fixture_test ("/fetcher/chunks/pack-missing", test_chunks_pack_missing);
  add_fixture_test ("/fetcher/chunks/callback-error", test_chunks_callback_error);
  add_fixture_test ("/fetcher/chunks/changed", test_chunks_changed);
  add_fixture_test ("/fetcher/rate-limit", test_rate_limit);
  add_fixture_test ("/fetcher/cancel/transfer", test_cancel_transfer);
  g_test_add_func ("/fetcher/cancel/backoff", test_cancel_backoff);
  add_fixture_test ("/fetcher/fault/drop", test_fault_drop);
  add_fixture_test ("/fetcher/fault/drop-every", test_fault_drop_every);
  add_fixture_test ("/fetcher/fault/stall", test_fault_stall);
  add_fixture_test ("/fetcher/fault/corrupt", test_fault_corrupt);
  add_fixture_test ("/fetcher/fault/status-503", test_fault_status_503);
  add_fixture_test ("/fetcher/fault/refused", test_fault_refused);

  return g_test_run ();
}
