/* test-delta.c: delta frames, delta indexes and their refusal of bad data */
#include "config.h"

#include <string.h>

#include "cx-delta.h"
#include "cx-sync-error.h"

#define N_FILES 5

typedef struct
{
  GBytes *bases[N_FILES];
  GBytes *targets[N_FILES];
  char *paths[N_FILES];
  GBytes *pack;
  GBytes *index_bytes;
  CxChunkId id;
  CxDeltaIndex *index;
} Fixture;

/* Text-like content, so that an edit leaves most of a file alone. */
static GBytes *
make_base (GRand *rand, gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (i % 61 == 60) ? '\n' : (guint8) ('a' + g_rand_int_range (rand, 0, 26));
  return g_bytes_new_take (data, size);
}

/* The base with an insertion, a deletion and a few flipped bytes. */
static GBytes *
make_target (GRand *rand, GBytes *base)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (base, &size);
  g_autoptr (GByteArray) out = g_byte_array_new ();

  g_byte_array_append (out, data, (guint) (size / 3));
  g_byte_array_append (out, (const guint8 *) "inserted text\n", 14);
  g_byte_array_append (out, data + size / 3 + 100, (guint) (size - size / 3 - 100));
  for (guint i = 0; i < 8; i++)
    out->data[g_rand_int_range (rand, 0, (gint32) out->len)] ^= 0x20;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (CxDeltaWriter) writer = cx_delta_writer_new (out);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  guint64 pack_size = 0;

  for (guint i = 0; i < N_FILES; i++)
    {
      fx->paths[i] = g_strdup_printf ("课文/第%u课.txt", i);
      fx->bases[i] = make_base (rand, 20000 + 30000 * i);
      fx->targets[i] = make_target (rand, fx->bases[i]);
    }

  /* The writer takes paths in path-hash order. */
  for (guint i = 0; i < N_FILES; i++)
    g_ptr_array_add (order, GUINT_TO_POINTER (i));
  for (guint i = 0; i < N_FILES; i++)
    for (guint j = i + 1; j < N_FILES; j++)
      {
        CxChunkId a, b;

        cx_delta_path_hash (fx->paths[GPOINTER_TO_UINT (order->pdata[i])], &a);
        cx_delta_path_hash (fx->paths[GPOINTER_TO_UINT (order->pdata[j])], &b);
        if (memcmp (a.bytes, b.bytes, CX_CHUNK_ID_LEN) > 0)
          {
            gpointer t = order->pdata[i];

            order->pdata[i] = order->pdata[j];
            order->pdata[j] = t;
          }
      }

  for (guint k = 0; k < N_FILES; k++)
    {
      guint i = GPOINTER_TO_UINT (order->pdata[k]);
      g_autoptr (GBytes) frame = NULL;
      CxChunkId base_sha, target_sha;

      frame = cx_delta_encode (
          g_bytes_get_data (fx->bases[i], NULL), g_bytes_get_size (fx->bases[i]),
          g_bytes_get_data (fx->targets[i], NULL), g_bytes_get_size (fx->targets[i]), 19, &error);
      g_assert_no_error (error);
      /* The point of a delta: far smaller than the file. */
      g_assert_cmpuint (g_bytes_get_size (frame), <, g_bytes_get_size (fx->targets[i]) / 20);
      cx_chunk_id_compute (g_bytes_get_data (fx->bases[i], NULL), g_bytes_get_size (fx->bases[i]),
                           &base_sha);
      cx_chunk_id_compute (g_bytes_get_data (fx->targets[i], NULL),
                           g_bytes_get_size (fx->targets[i]), &target_sha);
      g_assert_true (cx_delta_writer_add (writer, fx->paths[i], &base_sha,
                                          g_bytes_get_size (fx->bases[i]), &target_sha,
                                          g_bytes_get_size (fx->targets[i]), frame, NULL, &error));
      g_assert_no_error (error);
    }

  fx->index_bytes = cx_delta_writer_finish (writer, &fx->id, &pack_size, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  fx->pack = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpuint (pack_size, ==, g_bytes_get_size (fx->pack));
  g_assert_true (cx_delta_index_size_is_valid (g_bytes_get_size (fx->index_bytes)));

  fx->index = cx_delta_index_new_from_bytes (fx->index_bytes, &fx->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cx_delta_index_get_n_entries (fx->index), ==, N_FILES);
  g_assert_cmpuint (cx_delta_index_get_pack_size (fx->index), ==, pack_size);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  for (guint i = 0; i < N_FILES; i++)
    {
      g_clear_pointer (&fx->bases[i], g_bytes_unref);
      g_clear_pointer (&fx->targets[i], g_bytes_unref);
      g_clear_pointer (&fx->paths[i], g_free);
    }
  g_clear_pointer (&fx->pack, g_bytes_unref);
  g_clear_pointer (&fx->index_bytes, g_bytes_unref);
  g_clear_pointer (&fx->index, cx_delta_index_unref);
}

static const guint8 *
frame_of (Fixture *fx, const CxDeltaEntry *entry)
{
  return (const guint8 *) g_bytes_get_data (fx->pack, NULL) + entry->offset;
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) target = NULL;
      const CxDeltaEntry *entry = cx_delta_index_lookup (fx->index, fx->paths[i], NULL);

      g_assert_nonnull (entry);
      g_assert_cmpuint (entry->target_size, ==, g_bytes_get_size (fx->targets[i]));
      target = cx_delta_apply (entry, frame_of (fx, entry), entry->compressed_size,
                               g_bytes_get_data (fx->bases[i], NULL),
                               g_bytes_get_size (fx->bases[i]), &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (target, fx->targets[i]));
      g_test_message ("%s: %u bytes rebuild %u", fx->paths[i], entry->compressed_size,
                      entry->target_size);
    }
  g_assert_null (cx_delta_index_lookup (fx->index, "没有这个文件", NULL));
}

/* An empty base and an empty target still round-trip. */
static void
test_edges (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) frame = NULL;
  g_autoptr (GBytes) out = NULL;
  const char *text = "only new content, nothing to refer back to";

  frame = cx_delta_encode (NULL, 0, (const guint8 *) text, strlen (text), 3, &error);
  g_assert_no_error (error);
  out = cx_delta_decode (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), NULL, 0,
                         strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), text, strlen (text));
}

static void
test_coalesce (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) all = NULL;
  g_autoptr (GArray) apart = NULL;
  g_autoptr (GArray) missing = NULL;
  const char *unknown[] = { "没有这个文件" };

  /* Everything, with no limits: one range covering the whole pack. */
  all = cx_delta_index_coalesce (fx->index, (const char *const *) fx->paths, N_FILES, G_MAXUINT64,
                                 G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpuint (g_array_index (all, CxPackRange, 0).offset, ==, 0);
  g_assert_cmpuint (g_array_index (all, CxPackRange, 0).length, ==, g_bytes_get_size (fx->pack));
  g_assert_cmpuint (g_array_index (all, CxPackRange, 0).n_entries, ==, N_FILES);

  /* No gaps allowed and tiny ranges: one range per wanted frame. */
  apart =
      cx_delta_index_coalesce (fx->index, (const char *const *) fx->paths, N_FILES, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (apart->len, ==, N_FILES);
  for (guint i = 0; i < apart->len; i++)
    {
      const CxPackRange *range = &g_array_index (apart, CxPackRange, i);
      const CxDeltaEntry *entry = cx_delta_index_get_entry (fx->index, range->first_entry);

      g_assert_cmpuint (range->offset, ==, entry->offset);
      g_assert_cmpuint (range->length, ==, entry->compressed_size);
    }

  missing = cx_delta_index_coalesce (fx->index, unknown, 1, 0, 0, &error);
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

static void
test_corrupt_frame (Fixture *fx, gconstpointer data)
{
  const CxDeltaEntry *entry = cx_delta_index_lookup (fx->index, fx->paths[2], NULL);
  g_autofree guint8 *frame = g_memdup2 (frame_of (fx, entry), entry->compressed_size);

  /* A flipped byte anywhere in the frame: zstd or the SHA-256 catches it. */
  for (guint32 at = 0; at < entry->compressed_size; at += MAX (1, entry->compressed_size / 16))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) target = NULL;

      frame[at] ^= 0x55;
      target = cx_delta_apply (entry, frame, entry->compressed_size,
                               g_bytes_get_data (fx->bases[2], NULL),
                               g_bytes_get_size (fx->bases[2]), &error);
      g_assert_null (target);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CX_SYNC_ERROR);
      frame[at] ^= 0x55;
    }

  /* A truncated frame. */
  {
    g_autoptr (GError) error = NULL;

    g_assert_null (cx_delta_apply (entry, frame, entry->compressed_size - 1,
                                   g_bytes_get_data (fx->bases[2], NULL),
                                   g_bytes_get_size (fx->bases[2]), &error));
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TRUNCATED);
  }
}

static void
test_wrong_base (Fixture *fx, gconstpointer data)
{
  const CxDeltaEntry *entry = cx_delta_index_lookup (fx->index, fx->paths[1], NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) decoded = NULL;
  g_autofree guint8 *base =
      g_memdup2 (g_bytes_get_data (fx->bases[1], NULL), g_bytes_get_size (fx->bases[1]));

  /* Another file as base, and the right file with one byte changed. */
  g_assert_null (cx_delta_apply (entry, frame_of (fx, entry), entry->compressed_size,
                                 g_bytes_get_data (fx->bases[0], NULL),
                                 g_bytes_get_size (fx->bases[0]), &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  base[100] ^= 1;
  g_assert_null (cx_delta_apply (entry, frame_of (fx, entry), entry->compressed_size, base,
                                 g_bytes_get_size (fx->bases[1]), &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The raw decoder cannot know: it yields wrong bytes, which is why
   * cx_delta_apply() checks both ends. */
  decoded = cx_delta_decode (frame_of (fx, entry), entry->compressed_size, base,
                             g_bytes_get_size (fx->bases[1]), entry->target_size, &error);
  if (decoded != NULL)
    g_assert_false (g_bytes_equal (decoded, fx->targets[1]));
}

static void
test_oversize (Fixture *fx, gconstpointer data)
{
  const CxDeltaEntry *entry = cx_delta_index_lookup (fx->index, fx->paths[3], NULL);
  const guint8 *frame = frame_of (fx, entry);
  const guint8 *base = g_bytes_get_data (fx->bases[3], NULL);
  gsize base_size = g_bytes_get_size (fx->bases[3]);
  g_autoptr (GError) error = NULL;

  /* A size other than the frame declares, either way, is refused before
   * any output is produced. */
  g_assert_null (cx_delta_decode (frame, entry->compressed_size, base, base_size,
                                  entry->target_size - 1, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
  g_clear_error (&error);
  g_assert_null (cx_delta_decode (frame, entry->compressed_size, base, base_size,
                                  entry->target_size + 1, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
  g_clear_error (&error);

  /* Beyond the cap, nothing is even allocated. */
  g_assert_null (cx_delta_decode (frame, entry->compressed_size, base, base_size,
                                  CX_DELTA_MAX_FILE_SIZE + 1, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* An index entry claiming a larger target than the frame holds. */
  {
    CxDeltaEntry lying = *entry;

    lying.target_size = entry->target_size * 4;
    g_assert_null (cx_delta_apply (&lying, frame, entry->compressed_size, base, base_size, &error));
    g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH);
  }
}

static GBytes *
patched (GBytes *bytes, gsize offset, guint8 value)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint8 *copy = g_memdup2 (data, size);

  copy[offset] = value;
  return g_bytes_new_take (copy, size);
}

static void
expect_bad_index (GBytes *bytes, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxDeltaIndex) index = NULL;
  CxChunkId id;

  /* Named by its own hash, so only the content check can refuse it. */
  cx_chunk_id_compute (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &id);
  index = cx_delta_index_new_from_bytes (bytes, &id, &error);
  g_assert_null (index);
  g_assert_error (error, CX_SYNC_ERROR, code);
}

static void
test_bad_index (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gsize size = g_bytes_get_size (fx->index_bytes);
  CxChunkId other = fx->id;

  other.bytes[0] ^= 1;
  g_assert_null (cx_delta_index_new_from_bytes (fx->index_bytes, &other, &error));
  g_assert_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_HASH_MISMATCH);

  {
    g_autoptr (GBytes) bad = patched (fx->index_bytes, 0, 'X');

    expect_bad_index (bad, CX_SYNC_ERROR_MALFORMED);
  }
  {
    g_autoptr (GBytes) bad = patched (fx->index_bytes, 8, 2);

    expect_bad_index (bad, CX_SYNC_ERROR_UNSUPPORTED_VERSION);
  }
  {
    g_autoptr (GBytes) truncated = g_bytes_new_from_bytes (fx->index_bytes, 0, size - 1);

    expect_bad_index (truncated, CX_SYNC_ERROR_TRUNCATED);
  }
  {
    /* Entries out of path-hash order. */
    g_autoptr (GBytes) bad = patched (fx->index_bytes, CX_DELTA_INDEX_HEADER, 0xff);

    expect_bad_index (bad, CX_SYNC_ERROR_MALFORMED);
  }
  {
    /* A gap between frames. */
    g_autoptr (GBytes) bad =
        patched (fx->index_bytes, CX_DELTA_INDEX_HEADER + CX_DELTA_INDEX_ENTRY + 96, 0x7f);

    expect_bad_index (bad, CX_SYNC_ERROR_MALFORMED);
  }
  {
    /* A target larger than the cap (top byte of the u32 target size). */
    g_autoptr (GBytes) bad = patched (fx->index_bytes, CX_DELTA_INDEX_HEADER + 115, 0x10);

    expect_bad_index (bad, CX_SYNC_ERROR_MALFORMED);
  }
  g_assert_false (cx_delta_index_size_is_valid (CX_DELTA_INDEX_HEADER));
  g_assert_false (cx_delta_index_size_is_valid (CX_DELTA_INDEX_HEADER + CX_DELTA_INDEX_ENTRY + 1));
  g_assert_true (cx_delta_index_size_is_valid (CX_DELTA_INDEX_HEADER + CX_DELTA_INDEX_ENTRY));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cx/sync/delta/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("coalesce", test_coalesce);
  ADD ("corrupt-frame", test_corrupt_frame);
  ADD ("wrong-base", test_wrong_base);
  ADD ("oversize", test_oversize);
  ADD ("bad-index", test_bad_index);
#undef ADD
  g_test_add_func ("/cx/sync/delta/edges", test_edges);

  return g_test_run ();
}
