/* cx-search-index.c: the library's searchable text, held in memory
 *
 * The store's trigram index cannot answer terms of one or two characters,
 * and most Chinese words are two: in SQL those are a LIKE over every row,
 * about 50 ms with 100,000 resources, too slow for results as you type.
 * Scanning the same text held here takes a few milliseconds. Matching and
 * order are exactly cx_store_search_resources()'s (the tests hold them to
 * it): every term in the title, subject, edition, unit or lesson; titles
 * holding every term first, then the earlier and shorter title match, then
 * title and id.
 *
 * The repeated strings (subjects, units, lessons) are kept once each; with
 * 100,000 resources the index takes about 10 MB.
 */
#include "config.h"

#include <string.h>

#include "cx-search-index.h"
#include "cx-store-catalog.h"

/* Past any title: what SQL's coalesce() gives a title without the term. */
#define NOT_IN_TITLE 1000000

typedef struct
{
  gint64 id;
  const char *title;       /* as written, for the tie-break */
  const char *title_lower; /* lower case */
  const char *rest_lower;  /* subject, edition, unit and lesson, lower case, one per line */
  guint title_chars;
} Entry;

typedef struct
{
  guint entry;
  guint title_all; /* 0 when the title holds every term */
  guint position;  /* of the first term in the title, 1-based, in characters */
} Hit;

struct _CxSearchIndex
{
  GObject parent_instance;

  GStringChunk *strings;
  GArray *entries; /* of Entry */
  char *stamp;
  GCancellable *cancellable; /* while building */
  gboolean cancelled;
};

G_DEFINE_FINAL_TYPE (CxSearchIndex, cx_search_index, G_TYPE_OBJECT)

static void
cx_search_index_finalize (GObject *object)
{
  CxSearchIndex *self = CX_SEARCH_INDEX (object);

  g_string_chunk_free (self->strings);
  g_array_unref (self->entries);
  g_free (self->stamp);
  G_OBJECT_CLASS (cx_search_index_parent_class)->finalize (object);
}

static void
cx_search_index_class_init (CxSearchIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_search_index_finalize;
}

static void
cx_search_index_init (CxSearchIndex *self)
{
  self->strings = g_string_chunk_new (1 << 20);
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
}

static const char *
keep_lower (CxSearchIndex *self, const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", -1);

  return g_string_chunk_insert_const (self->strings, lower);
}

static void
add_entry (gint64 id,
           const char *title,
           const char *subject,
           const char *edition,
           const char *unit,
           const char *lesson,
           gpointer user_data)
{
  CxSearchIndex *self = user_data;
  g_autofree char *rest = NULL;
  Entry entry;

  if (self->cancelled ||
      (self->entries->len % 4096 == 0 && g_cancellable_is_cancelled (self->cancellable)))
    {
      self->cancelled = TRUE;
      return;
    }
  /* A newline cannot be in a term: terms are split at white space. */
  rest = g_strjoin ("\n", subject != NULL ? subject : "", edition != NULL ? edition : "",
                    unit != NULL ? unit : "", lesson != NULL ? lesson : "", NULL);
  entry.id = id;
  entry.title = g_string_chunk_insert (self->strings, title != NULL ? title : "");
  entry.title_lower = keep_lower (self, entry.title);
  entry.rest_lower = keep_lower (self, rest);
  entry.title_chars = g_utf8_strlen (entry.title, -1);
  g_array_append_val (self->entries, entry);
}

/**
 * cx_search_index_new:
 *
 * Reads the searchable text of every installed resource. Slow with a large
 * library (a tenth of a second for 100,000 resources): run it in a worker
 * with a store of its own.
 *
 * Returns: (transfer full): the index, or %NULL with @error
 */
CxSearchIndex *
cx_search_index_new (CxStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr (CxSearchIndex) self = g_object_new (CX_TYPE_SEARCH_INDEX, NULL);

  g_return_val_if_fail (CX_IS_STORE (store), NULL);

  /* The stamp first: a change made while reading makes the index stale,
   * never wrongly current. */
  self->stamp = cx_store_get_catalog_stamp (store, error);
  if (self->stamp == NULL)
    return NULL;
  self->cancellable = cancellable;
  if (!cx_store_scan_installed_resources (store, add_entry, self, error))
    return NULL;
  self->cancellable = NULL;
  if (self->cancelled)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * cx_search_index_get_stamp:
 *
 * Returns: the store's cx_store_get_catalog_stamp() when the index was read
 */
const char *
cx_search_index_get_stamp (CxSearchIndex *self)
{
  g_return_val_if_fail (CX_IS_SEARCH_INDEX (self), NULL);
  return self->stamp;
}

guint
cx_search_index_get_size (CxSearchIndex *self)
{
  g_return_val_if_fail (CX_IS_SEARCH_INDEX (self), 0);
  return self->entries->len;
}

/* Negative when @a comes before @b. */
static int
compare_hits (const Hit *a, const Hit *b, const Entry *entries)
{
  const Entry *x = &entries[a->entry], *y = &entries[b->entry];
  int order;

  if (a->title_all != b->title_all)
    return a->title_all < b->title_all ? -1 : 1;
  if (a->position != b->position)
    return a->position < b->position ? -1 : 1;
  if (x->title_chars != y->title_chars)
    return x->title_chars < y->title_chars ? -1 : 1;
  order = strcmp (x->title, y->title);
  if (order != 0)
    return order;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int
compare_hits_cb (gconstpointer a, gconstpointer b, gpointer entries)
{
  return compare_hits (a, b, entries);
}

/* The heap keeps the @limit best hits with the worst on top. */
static void
sift_down (Hit *heap, guint n, guint i, const Entry *entries)
{
  for (;;)
    {
      guint worst = i, left = 2 * i + 1, right = 2 * i + 2;
      Hit swap;

      if (left < n && compare_hits (&heap[left], &heap[worst], entries) > 0)
        worst = left;
      if (right < n && compare_hits (&heap[right], &heap[worst], entries) > 0)
        worst = right;
      if (worst == i)
        return;
      swap = heap[i];
      heap[i] = heap[worst];
      heap[worst] = swap;
      i = worst;
    }
}

static void
sift_up (Hit *heap, guint i, const Entry *entries)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      Hit swap;

      if (compare_hits (&heap[i], &heap[parent], entries) <= 0)
        return;
      swap = heap[i];
      heap[i] = heap[parent];
      heap[parent] = swap;
      i = parent;
    }
}

/* Whether @entry holds every term, and how it ranks. */
static gboolean
match (const Entry *entry, char **terms, Hit *hit)
{
  hit->title_all = 0;
  hit->position = NOT_IN_TITLE;
  for (guint t = 0; terms[t] != NULL; t++)
    {
      const char *in_title = strstr (entry->title_lower, terms[t]);

      if (in_title == NULL)
        {
          if (strstr (entry->rest_lower, terms[t]) == NULL)
            return FALSE;
          hit->title_all = 1;
        }
      else if (t == 0)
        hit->position = g_utf8_pointer_to_offset (entry->title_lower, in_title) + 1;
    }
  return TRUE;
}

/**
 * cx_search_index_find:
 * @text: what the person typed
 * @limit: the most ids to return
 *
 * Returns: (transfer full) (element-type gint64): the ids of the matching
 *   resources, best first, as cx_store_search_resources() orders them
 */
GArray *
cx_search_index_find (CxSearchIndex *self, const char *text, guint limit)
{
  g_auto (GStrv) terms = NULL;
  g_autofree Hit *heap = NULL;
  const Entry *entries;
  GArray *ids;
  guint n = 0;

  g_return_val_if_fail (CX_IS_SEARCH_INDEX (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  terms = cx_store_split_search_terms (text);
  if (terms[0] == NULL || limit == 0)
    return ids;

  entries = (const Entry *) self->entries->data;
  heap = g_new (Hit, limit);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Hit hit = { .entry = i };

      if (!match (&entries[i], terms, &hit))
        continue;
      if (n < limit)
        {
          heap[n] = hit;
          sift_up (heap, n++, entries);
        }
      else if (compare_hits (&hit, &heap[0], entries) < 0)
        {
          heap[0] = hit;
          sift_down (heap, n, 0, entries);
        }
    }

  g_qsort_with_data (heap, n, sizeof (Hit), compare_hits_cb, (gpointer) entries);
  for (guint i = 0; i < n; i++)
    g_array_append_val (ids, entries[heap[i].entry].id);
  return ids;
}
