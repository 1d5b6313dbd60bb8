/* test-chunker.c: FastCDC boundaries, sizes and streaming */
#include "config.h"

#include <string.h>

#include "cx-chunker.h"
#include "cx-sync-error.h"

#define BIG_SIZE (8 * 1024 * 1024)

static guint8 *
random_buffer (gsize size, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint8 *buf = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return buf;
}

static GArray *
chunk_all (CxChunker *chunker, const guint8 *data, gsize size)
{
  GArray *chunks = cx_chunk_array_new ();

  cx_chunker_feed (chunker, data, size, chunks);
  cx_chunker_finish (chunker, chunks);
  return chunks;
}

static void
assert_tiles (GArray *chunks, gsize size)
{
  guint64 offset = 0;

  for (guint i = 0; i < chunks->len; i++)
    {
      const CxChunk *c = &g_array_index (chunks, CxChunk, i);

      g_assert_cmpuint (c->offset, ==, offset);
      offset += c->length;
    }
  g_assert_cmpuint (offset, ==, size);
}

/* Field by field: CxChunk has padding that memcmp would read. */
static void
assert_same_chunks (GArray *a, GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const CxChunk *ca = &g_array_index (a, CxChunk, i);
      const CxChunk *cb = &g_array_index (b, CxChunk, i);

      g_assert_cmpuint (ca->offset, ==, cb->offset);
      g_assert_cmpuint (ca->length, ==, cb->length);
      g_assert_true (cx_chunk_id_equal (&ca->id, &cb->id));
    }
}

static void
test_resync_after_insert (void)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autofree guint8 *orig = random_buffer (BIG_SIZE, 1);
  g_autofree guint8 *edited = g_malloc (BIG_SIZE + 100);
  g_autoptr (GArray) a = NULL;
  g_autoptr (GArray) b = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (cx_chunk_id_hash, cx_chunk_id_equal);
  guint shared = 0;

  /* 100 bytes inserted 1000 bytes in: only the first chunk or two change. */
  memcpy (edited, orig, 1000);
  memset (edited + 1000, 'x', 100);
  memcpy (edited + 1100, orig + 1000, BIG_SIZE - 1000);

  a = chunk_all (chunker, orig, BIG_SIZE);
  b = chunk_all (chunker, edited, BIG_SIZE + 100);
  assert_tiles (a, BIG_SIZE);
  assert_tiles (b, BIG_SIZE + 100);
  g_assert_cmpuint (a->len, >, 50);

  for (guint i = 0; i < a->len; i++)
    g_hash_table_add (ids, &g_array_index (a, CxChunk, i).id);
  for (guint i = 0; i < b->len; i++)
    if (g_hash_table_contains (ids, &g_array_index (b, CxChunk, i).id))
      shared++;

  g_test_message ("%u of %u chunks unchanged after the insertion", shared, b->len);
  g_assert_cmpuint (shared, >=, b->len - 3);
}

static void
check_sizes (CxChunker *chunker, GArray *chunks, gboolean check_average)
{
  guint64 total = 0;

  for (guint i = 0; i < chunks->len; i++)
    {
      const CxChunk *c = &g_array_index (chunks, CxChunk, i);

      g_assert_cmpuint (c->length, <=, cx_chunker_get_max_size (chunker));
      if (i + 1 < chunks->len)
        g_assert_cmpuint (c->length, >=, cx_chunker_get_min_size (chunker));
      total += c->length;
    }

  if (check_average)
    {
      guint64 mean = total / chunks->len;

      g_test_message ("mean chunk size %" G_GUINT64_FORMAT, mean);
      g_assert_cmpuint (mean, >=, cx_chunker_get_avg_size (chunker) / 2);
      g_assert_cmpuint (mean, <=, cx_chunker_get_avg_size (chunker) * 2);
    }
}

static void
test_sizes_random (void)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autoptr (CxChunker) small = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *data = random_buffer (BIG_SIZE, 2);
  g_autoptr (GArray) chunks = NULL;
  g_autoptr (GArray) small_chunks = NULL;

  chunks = chunk_all (chunker, data, BIG_SIZE);
  check_sizes (chunker, chunks, TRUE);

  /* Configurable sizes obey their own bounds. */
  small = cx_chunker_new_full (1024, 4096, 16384, &error);
  g_assert_no_error (error);
  small_chunks = chunk_all (small, data, BIG_SIZE);
  check_sizes (small, small_chunks, TRUE);
  g_assert_cmpuint (small_chunks->len, >, chunks->len * 8);
}

static void
test_sizes_zero (void)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autofree guint8 *data = g_malloc0 (BIG_SIZE + 12345);
  g_autoptr (GArray) chunks = chunk_all (chunker, data, BIG_SIZE + 12345);

  assert_tiles (chunks, BIG_SIZE + 12345);
  check_sizes (chunker, chunks, FALSE);
  /* Uniform data has one boundary pattern: all full chunks are equal. */
  g_assert_cmpuint (chunks->len, >=, 3);
  for (guint i = 1; i + 1 < chunks->len; i++)
    {
      g_assert_cmpuint (g_array_index (chunks, CxChunk, i).length, ==,
                        g_array_index (chunks, CxChunk, 0).length);
      g_assert_true (cx_chunk_id_equal (&g_array_index (chunks, CxChunk, i).id,
                                        &g_array_index (chunks, CxChunk, 0).id));
    }
}

static void
test_bad_parameters (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxChunker) chunker = NULL;

  chunker = cx_chunker_new_full (1024, 3000, 16384, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_assert_null (chunker);
  g_clear_error (&error);
  chunker = cx_chunker_new_full (8192, 4096, 16384, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_assert_null (chunker);
}

static gboolean
collect_cb (const CxChunk *chunk, const guint8 *data, gpointer user_data, GError **error)
{
  CxChunkId id;

  /* The bytes handed over are exactly the chunk's. */
  cx_chunk_id_compute (data, chunk->length, &id);
  g_assert_true (cx_chunk_id_equal (&id, &chunk->id));
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_streaming (void)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  gsize size = 3 * 1024 * 1024 + 17;
  g_autofree guint8 *data = random_buffer (size, 3);
  g_autoptr (GArray) whole = chunk_all (chunker, data, size);
  g_autoptr (GArray) pieces = cx_chunk_array_new ();
  g_autoptr (GArray) streamed = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  gsize offset = 0;
  guint step = 1;
  guint n_callbacks = 0;

  /* Odd piece sizes: 1, 4, 9, ... 7919 bytes, wrapping round. */
  while (offset < size)
    {
      gsize n = MIN ((gsize) (step * step) % 7919 + 1, size - offset);

      cx_chunker_feed (chunker, data + offset, n, pieces);
      offset += n;
      step++;
    }
  cx_chunker_finish (chunker, pieces);

  assert_same_chunks (pieces, whole);

  stream = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  streamed = cx_chunker_chunk_stream (chunker, stream, collect_cb, &n_callbacks, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_callbacks, ==, whole->len);
  assert_same_chunks (streamed, whole);
}

static void
test_empty (void)
{
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autoptr (GArray) chunks = cx_chunk_array_new ();

  cx_chunker_finish (chunker, chunks);
  g_assert_cmpuint (chunks->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cx/sync/chunker/resync-after-insert", test_resync_after_insert);
  g_test_add_func ("/cx/sync/chunker/sizes-random", test_sizes_random);
  g_test_add_func ("/cx/sync/chunker/sizes-zero", test_sizes_zero);
  g_test_add_func ("/cx/sync/chunker/bad-parameters", test_bad_parameters);
  g_test_add_func ("/cx/sync/chunker/streaming", test_streaming);
  g_test_add_func ("/cx/sync/chunker/empty", test_empty);

  return g_test_run ();
}
