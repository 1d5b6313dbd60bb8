/* test-pack.c: pack writer/reader, coalescing, and refusal of bad data */
#include "config.h"

#include <string.h>

#include <zstd.h>

#include "cx-pack.h"
#include "cx-sync-error.h"

#define N_CHUNKS 40

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_CCtx, ZSTD_freeCCtx)

typedef struct
{
  GBytes *pack;
  CxPackIndex *index;
  CxChunkId ids[N_CHUNKS];
  GBytes *chunks[N_CHUNKS];
} Fixture;

/* Even chunks are random (zstd stores them raw, so a flipped byte survives
 * decompression and only the hash can catch it); odd ones compress well. */
static GBytes *
make_chunk (GRand *rand, guint i)
{
  gsize size = 1000 + (gsize) g_rand_int_range (rand, 0, 20000);
  guint8 *buf = g_malloc (size);

  for (gsize j = 0; j < size; j++)
    buf[j] = i % 2 == 0 ? (guint8) g_rand_int_range (rand, 0, 256) : (guint8) ('a' + (j + i) % 7);
  return g_bytes_new_take (buf, size);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (CxPackWriter) writer = cx_pack_writer_new (out, 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) index_bytes = NULL;
  CxChunkId pack_id, index_id;

  for (guint i = 0; i < N_CHUNKS; i++)
    {
      CxChunkId again;

      fx->chunks[i] = make_chunk (rand, i);
      g_assert_true (cx_pack_writer_add_chunk (writer, g_bytes_get_data (fx->chunks[i], NULL),
                                               g_bytes_get_size (fx->chunks[i]), &fx->ids[i], NULL,
                                               &error));
      g_assert_no_error (error);
      /* A repeated chunk is stored once. */
      g_assert_true (cx_pack_writer_add_chunk (writer, g_bytes_get_data (fx->chunks[i], NULL),
                                               g_bytes_get_size (fx->chunks[i]), &again, NULL,
                                               &error));
      g_assert_true (cx_chunk_id_equal (&again, &fx->ids[i]));
    }
  g_assert_cmpuint (cx_pack_writer_get_n_entries (writer), ==, N_CHUNKS);

  index_bytes = cx_pack_writer_finish (writer, &pack_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  fx->pack = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));

  fx->index = cx_pack_index_new_from_bytes (index_bytes, &error);
  g_assert_no_error (error);
  cx_pack_index_get_id (fx->index, &index_id);
  g_assert_true (cx_chunk_id_equal (&pack_id, &index_id));
  g_assert_cmpuint (cx_pack_index_get_pack_size (fx->index), ==, g_bytes_get_size (fx->pack));
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_pointer (&fx->pack, g_bytes_unref);
  g_clear_pointer (&fx->index, cx_pack_index_unref);
  for (guint i = 0; i < N_CHUNKS; i++)
    g_clear_pointer (&fx->chunks[i], g_bytes_unref);
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (fx->pack);

  /* Read in reverse to exercise seeking. */
  for (guint i = N_CHUNKS; i-- > 0;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) chunk = cx_pack_read_chunk (fx->index, in, &fx->ids[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (chunk, fx->chunks[i]));
    }
}

static void
test_not_found (Fixture *fx, gconstpointer data)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (fx->pack);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;
  CxChunkId absent;

  cx_chunk_id_compute ("absent", 6, &absent);
  chunk = cx_pack_read_chunk (fx->index, in, &absent, NULL, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_null (chunk);
}

/* Checks that the ranges are sorted, disjoint, within the cap (unless one
 * chunk alone exceeds it), start and end on wanted chunks, and contain
 * every wanted chunk whole. */
static void
check_ranges (Fixture *fx,
              GArray *ranges,
              const guint *wanted,
              guint n_wanted,
              guint64 max_gap,
              guint64 max_range)
{
  gboolean is_wanted[N_CHUNKS] = { FALSE };
  guint covered = 0;

  for (guint i = 0; i < n_wanted; i++)
    is_wanted[wanted[i]] = TRUE;

  for (guint r = 0; r < ranges->len; r++)
    {
      const CxPackRange *range = &g_array_index (ranges, CxPackRange, r);
      const CxPackEntry *first = cx_pack_index_get_entry (fx->index, range->first_entry);
      const CxPackEntry *last =
          cx_pack_index_get_entry (fx->index, range->first_entry + range->n_entries - 1);

      g_assert_cmpuint (range->offset, ==, first->offset);
      g_assert_cmpuint (range->offset + range->length, ==, last->offset + last->compressed_size);
      g_assert_true (is_wanted[range->first_entry]);
      g_assert_true (is_wanted[range->first_entry + range->n_entries - 1]);
      g_assert_true (range->length <= max_range || range->n_entries == 1);
      if (r > 0)
        {
          const CxPackRange *prev = &g_array_index (ranges, CxPackRange, r - 1);

          g_assert_cmpuint (prev->offset + prev->length, <=, range->offset);
        }

      for (guint e = range->first_entry; e < range->first_entry + range->n_entries; e++)
        {
          if (is_wanted[e])
            covered++;
          else
            {
              /* Unwanted bytes only as a filler shorter than the gap. */
              const CxPackEntry *entry = cx_pack_index_get_entry (fx->index, e);

              g_assert_cmpuint (entry->compressed_size, <=, max_gap);
            }
        }
    }
  g_assert_cmpuint (covered, ==, n_wanted);
}

static void
test_coalesce (Fixture *fx, gconstpointer data)
{
  const guint wanted[] = { 0, 1, 2, 5, 6, 9, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 39 };
  CxChunkId ids[G_N_ELEMENTS (wanted) + 1];
  struct
  {
    guint64 gap;
    guint64 range;
  } settings[] = { { 0, G_MAXUINT64 }, { 30000, G_MAXUINT64 }, { 30000, 40000 }, { 1, 1 } };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    ids[i] = fx->ids[wanted[i]];
  ids[G_N_ELEMENTS (wanted)] = fx->ids[5]; /* wanted twice */

  for (guint s = 0; s < G_N_ELEMENTS (settings); s++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GArray) ranges = cx_pack_index_coalesce (
          fx->index, ids, G_N_ELEMENTS (ids), settings[s].gap, settings[s].range, &error);

      g_assert_no_error (error);
      check_ranges (fx, ranges, wanted, G_N_ELEMENTS (wanted), settings[s].gap, settings[s].range);
      if (s == 0)
        {
          /* No gap allowed: exactly the contiguous runs of wanted chunks. */
          g_assert_cmpuint (ranges->len, ==, 5);
        }
      if (s == 3)
        g_assert_cmpuint (ranges->len, ==, G_N_ELEMENTS (wanted));
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GArray) ranges = NULL;
    CxChunkId absent;

    cx_chunk_id_compute ("absent", 6, &absent);
    ranges = cx_pack_index_coalesce (fx->index, &absent, 1, 0, 0, &error);
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
    g_assert_null (ranges);
  }
}

static void
test_corrupt_byte (Fixture *fx, gconstpointer data)
{
  const CxPackEntry *entry = cx_pack_index_lookup (fx->index, &fx->ids[4], NULL);
  gsize len;
  const guint8 *pack = g_bytes_get_data (fx->pack, &len);
  g_autofree guint8 *copy = g_memdup2 (pack, len);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (GBytes) good = NULL;

  good = cx_pack_decode_chunk (entry, pack + entry->offset, entry->compressed_size, &error);
  g_assert_no_error (error);

  /* A byte in the middle of the stored (raw) block of a random chunk. */
  copy[entry->offset + entry->compressed_size / 2] ^= 0x20;
  chunk = cx_pack_decode_chunk (entry, copy + entry->offset, entry->compressed_size, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);
  g_assert_null (chunk);
  g_clear_error (&error);

  /* A short read is refused before decompression. */
  chunk = cx_pack_decode_chunk (entry, pack + entry->offset, entry->compressed_size - 1, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED);
  g_assert_null (chunk);
}

static void
test_oversized_decompression (Fixture *fx, gconstpointer data)
{
  const CxPackEntry *real = cx_pack_index_lookup (fx->index, &fx->ids[3], NULL);
  const guint8 *pack = g_bytes_get_data (fx->pack, NULL);
  CxPackEntry lying = *real;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (ZSTD_CCtx) cctx = NULL;
  gsize size = 200000;
  g_autofree guint8 *plain = g_malloc0 (size);
  g_autofree guint8 *frame = g_malloc (ZSTD_compressBound (size));
  size_t n;

  /* The frame header states more than the index declares. */
  lying.size = real->size - 1;
  chunk = cx_pack_decode_chunk (&lying, pack + real->offset, real->compressed_size, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
  g_assert_null (chunk);
  g_clear_error (&error);

  /* A frame that hides its size (a "zip bomb" shape): decompression stops
   * at the declared size instead of allocating whatever the frame wants. */
  cctx = ZSTD_createCCtx ();
  ZSTD_CCtx_setParameter (cctx, ZSTD_c_contentSizeFlag, 0);
  {
    ZSTD_outBuffer ob = { frame, ZSTD_compressBound (size), 0 };
    ZSTD_inBuffer ib = { plain, size, 0 };

    n = ZSTD_compressStream2 (cctx, &ob, &ib, ZSTD_e_end);
    g_assert_false (ZSTD_isError (n));
    g_assert_cmpuint (n, ==, 0);
    n = ob.pos;
  }
  g_assert_cmpuint (ZSTD_getFrameContentSize (frame, n), ==, ZSTD_CONTENTSIZE_UNKNOWN);
  cx_chunk_id_compute (plain, size, &lying.id);
  lying.compressed_size = (guint32) n;
  lying.size = 4096;
  chunk = cx_pack_decode_chunk (&lying, frame, n, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
  g_assert_null (chunk);
  g_clear_error (&error);

  /* The same frame with the true size is accepted. */
  lying.size = (guint32) size;
  chunk = cx_pack_decode_chunk (&lying, frame, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (chunk), ==, size);
}

static void
test_bad_index (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) junk = g_bytes_new_static ("CXPACKY\n\1\0\0\0\0\0\0\0", 16);
  g_autoptr (GBytes) short_count = g_bytes_new_static ("CXPACKX\n\1\0\0\0\2\0\0\0", 16);
  CxPackIndex *index;

  index = cx_pack_index_new_from_bytes (empty, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED);
  g_assert_null (index);
  g_clear_error (&error);
  index = cx_pack_index_new_from_bytes (junk, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_MALFORMED);
  g_assert_null (index);
  g_clear_error (&error);
  index = cx_pack_index_new_from_bytes (short_count, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED);
  g_assert_null (index);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/cx/sync/pack/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("not-found", test_not_found);
  ADD ("coalesce", test_coalesce);
  ADD ("corrupt-byte", test_corrupt_byte);
  ADD ("oversized-decompression", test_oversized_decompression);
#undef ADD
  g_test_add_func ("/cx/sync/pack/bad-index", test_bad_index);

  return g_test_run ();
}
