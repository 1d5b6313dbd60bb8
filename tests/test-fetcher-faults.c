/* test-fetcher-faults.c: CxFetcher through tests/fault-proxy
 *
 * The proxy sits between the fetcher and the real hub on loopback, and
 * drops, stalls and corrupts replies, or answers with error statuses.  A
 * fetch must either finish with every chunk verified or fail with the
 * right error.
 */
#include "config.h"

#include "cx-sync-error.h"
#include "cx-test-fetcher.h"

typedef CxTestFetchFixture Fixture;

static guint32
largest_frame (Fixture *fx)
{
  guint32 largest = 0;

  for (guint i = 0; i < CX_TEST_N_CHUNKS; i++)
    largest = MAX (largest, cx_pack_index_get_entry (fx->index, i)->compressed_size);
  return largest;
}

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
  g_autofree CxChunkId *ids = cx_test_all_ids (fx);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxFetcher) fetcher = NULL;
  CxFetchProgress progress = { 0 };
  Proxy proxy;
  CxTestSink sink;

  if (!start_proxy (fx, &proxy, options))
    return progress;
  fetcher = cx_test_new_fetcher (proxy.base_url, NULL);
  cx_fetcher_set_retry_policy (fetcher, 6, 20, 100);
  if (low_speed_seconds > 0)
    cx_fetcher_set_low_speed (fetcher, 1024, low_speed_seconds);

  cx_test_sink_init (&sink, fx);
  g_assert_true (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                        CX_TEST_N_CHUNKS, cx_test_sink_chunk_cb, &sink, NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (sink.got), ==, CX_TEST_N_CHUNKS);
  cx_test_sink_clear (&sink);

  progress = cx_test_get_progress (fetcher);
  g_test_message ("%s: %" G_GUINT64_FORMAT " bytes, %u requests, %u retries", options[1],
                  progress.bytes_received, progress.requests, progress.retries);
  stop_proxy (&proxy);
  return progress;
}

/* Faults that cut or damage replies: the fetch retries, and asks again for
 * hardly more than the frames that were in flight. */
static void
assert_refetches_little (Fixture *fx, const char *const *options)
{
  CxFetchProgress progress = fetch_all_through (fx, options, 0);

  if (progress.requests == 0)
    return;
  g_assert_cmpuint (progress.retries, >=, 1);
  g_assert_cmpuint (progress.bytes_received, <=,
                    g_bytes_get_size (fx->pack) + 2 * largest_frame (fx));
}

static void
test_fault_drop (Fixture *fx, gconstpointer data)
{
  const char *const options[] = { "--fault", "1:drop=300000", "--fault", "2:drop=200000", NULL };

  /* Resumed, losing at most the chunk in flight at each of the two cuts. */
  assert_refetches_little (fx, options);
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

  assert_refetches_little (fx, options);
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
  fetcher = cx_test_new_fetcher (proxy.base_url, NULL);
  bytes = cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, CX_TEST_FILE_SIZE,
                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, fx->file));
  progress = cx_test_get_progress (fetcher);
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
      fetcher = cx_test_new_fetcher (proxy.base_url, NULL);
      if (refusals[i].whole_file)
        {
          g_autoptr (GBytes) bytes =
              cx_fetcher_get_file (fetcher, CX_TEST_FILE_PATH, CX_TEST_FILE_SIZE, -1, NULL, &error);

          g_assert_null (bytes);
        }
      else
        {
          g_autofree CxChunkId *ids = cx_test_all_ids (fx);
          CxTestSink sink;

          cx_test_sink_init (&sink, fx);
          g_assert_false (cx_fetcher_get_chunks (fetcher, CX_TEST_PACK_PATH, fx->index, ids,
                                                 CX_TEST_N_CHUNKS, cx_test_sink_chunk_cb, &sink,
                                                 NULL, &error));
          /* A reply that is not the range asked for is never read as one. */
          if (refusals[i].code == CX_SYNC_ERROR_RANGE_IGNORED)
            g_assert_cmpuint (g_hash_table_size (sink.got), ==, 0);
          cx_test_sink_clear (&sink);
        }
      g_test_message ("%s: %s", refusals[i].fault, error->message);
      g_assert_error (error, refusals[i].domain, refusals[i].code);
      if (refusals[i].requests > 0)
        g_assert_cmpuint (cx_test_get_progress (fetcher).requests, ==, refusals[i].requests);
      if (refusals[i].code != CX_SYNC_ERROR_HASH_MISMATCH && refusals[i].requests != 4)
        g_assert_cmpuint (cx_test_get_progress (fetcher).retries, ==, 0);
      stop_proxy (&proxy);
    }
}

int
main (int argc, char **argv)
{
  cx_test_fetch_init (&argc, &argv);

  cx_test_fetch_add ("/fetcher/fault/drop", test_fault_drop);
  cx_test_fetch_add ("/fetcher/fault/drop-every", test_fault_drop_every);
  cx_test_fetch_add ("/fetcher/fault/stall", test_fault_stall);
  cx_test_fetch_add ("/fetcher/fault/corrupt", test_fault_corrupt);
  cx_test_fetch_add ("/fetcher/fault/status-503", test_fault_status_503);
  cx_test_fetch_add ("/fetcher/fault/refused", test_fault_refused);

  return g_test_run ();
}
