/* cx-sync-events.c: journal entries to the hub in batches, exactly once
 *
 * While one batch is on the wire the next is already being packed in a
 * second thread: on a slow link the packing then costs no time at all.
 * The store is read only from the calling thread; the packer works on
 * copies it owns.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cx-event-batch.h"
#include "cx-store-journal.h"
#include "cx-sync-error.h"
#include "cx-sync-events.h"

/* A journal entry as the wire takes it. Entries written before the rules
 * were this strict are sent, not dropped: an odd kind is made legal and an
 * odd payload wrapped, so the push can never stick on one of them. */
static void
to_event (const CxJournalEntry *entry, CxEvent *event, GStringChunk *strings)
{
  gsize length = strlen (entry->payload);

  event->seq = entry->seq;
  event->time_us = entry->time_us;
  event->kind = entry->kind;
  event->payload = entry->payload;

  if (!cx_event_kind_is_valid (entry->kind))
    {
      g_autoptr (GString) kind = g_string_new (NULL);

      for (const char *p = entry->kind; *p != '\0' && kind->len < CX_EVENT_KIND_MAX_LENGTH; p++)
        g_string_append_c (kind, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '_');
      if (kind->len == 0)
        g_string_append (kind, "unknown");
      event->kind = g_string_chunk_insert_const (strings, kind->str);
    }
  if (!cx_event_payload_is_valid (entry->payload))
    event->payload = g_string_chunk_insert_const (
        strings, length > CX_EVENT_PAYLOAD_MAX_LENGTH ? "{\"cx_payload\":\"too long\"}"
                                                      : "{\"cx_payload\":\"not an object\"}");
}

/* One batch: read here, packed in a thread. */
typedef struct
{
  gint64 first;
  guint n;
  GPtrArray *entries;
  GStringChunk *strings;
  GArray *events;
  GThread *packer;
  GBytes *body;
  GError *error;
} Batch;

static gpointer
pack (gpointer data)
{
  Batch *b = data;

  b->body = cx_event_batch_encode ((CxEvent *) b->events->data, b->events->len, &b->error);
  return NULL;
}

static void
batch_free (Batch *b)
{
  if (b == NULL)
    return;
  if (b->packer != NULL)
    g_thread_join (b->packer);
  g_clear_pointer (&b->entries, g_ptr_array_unref);
  g_clear_pointer (&b->strings, g_string_chunk_free);
  g_clear_pointer (&b->events, g_array_unref);
  g_clear_pointer (&b->body, g_bytes_unref);
  g_clear_error (&b->error);
  g_free (b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

/* Reads the entries after @from and starts packing them; NULL with
 * @error if they are not all there. */
static Batch *
start_batch (CxStore *store, gint64 from, guint batch_size, GError **error)
{
  g_autoptr (Batch) b = g_new0 (Batch, 1);

  b->first = from + 1;
  b->entries = cx_store_journal_read (store, from, batch_size, error);
  if (b->entries == NULL)
    return NULL;
  if (b->entries->len == 0 || ((CxJournalEntry *) b->entries->pdata[0])->seq != from + 1)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                   _ ("Usage event %lld is no longer on this computer; it cannot be sent"),
                   (long long) from + 1);
      return NULL;
    }
  b->n = b->entries->len;
  b->strings = g_string_chunk_new (4096);
  b->events = g_array_sized_new (FALSE, FALSE, sizeof (CxEvent), b->n);
  for (guint i = 0; i < b->n; i++)
    {
      CxEvent event;

      to_event (b->entries->pdata[i], &event, b->strings);
      g_array_append_val (b->events, event);
    }
  b->packer = g_thread_new ("cx-pack-events", pack, b);
  return g_steal_pointer (&b);
}

static GBytes *
finish_batch (Batch *b, GError **error)
{
  g_thread_join (g_steal_pointer (&b->packer));
  if (b->body == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&b->error));
      return NULL;
    }
  return b->body;
}

/**
 * _cx_sync_push_events:
 *
 * Sends every journal entry the hub does not hold yet and records the
 * hub's mark after each batch, so a run that stops loses nothing and
 * repeats little. The hub's mark is the truth: after a gap, or if the hub
 * lost what it had (restored from a backup), sending starts again there.
 */
gboolean
_cx_sync_push_events (CxStore *store,
                      CxApiClient *client,
                      guint batch_size,
                      CxSyncReport *report,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (Batch) next = NULL;
  gint64 from, last;

  from = cx_store_journal_get_acknowledged (store, error);
  last = cx_store_journal_get_last_seq (store, error);
  if (from < 0 || last < 0)
    return FALSE;
  if (from < last && (next = start_batch (store, from, batch_size, error)) == NULL)
    return FALSE;

  while (next != NULL)
    {
      g_autoptr (Batch) current = g_steal_pointer (&next);
      gint64 end = current->first + current->n - 1;
      gint64 mark = 0;
      gboolean gap = FALSE;
      GBytes *body = finish_batch (current, error);

      if (body == NULL)
        return FALSE;
      /* Packed while this one travels, on the bet that the hub takes it. */
      if (end < last && (next = start_batch (store, end, batch_size, error)) == NULL)
        return FALSE;
      if (!cx_api_client_push_events (client, body, &mark, &gap, cancellable, error))
        return FALSE;
      report->requests++;
      report->bytes_sent += g_bytes_get_size (body);
      if (!gap && mark >= current->first)
        report->events_sent += (guint64) (mark - current->first + 1);

      /* Refuses a mark past what this computer recorded. */
      if (!cx_store_journal_acknowledge (store, mark, error))
        return FALSE;
      if (!gap && mark < end)
        {
          g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_FAILED,
                       _ ("The hub acknowledged events only up to %lld of %lld sent"),
                       (long long) mark, (long long) end);
          return FALSE;
        }
      from = mark;
      report->events_acknowledged = mark;
      /* Not where the bet assumed: pack again from the hub's mark. */
      if (mark != end)
        {
          g_clear_pointer (&next, batch_free);
          if (mark < last && (next = start_batch (store, mark, batch_size, error)) == NULL)
            return FALSE;
        }
    }

  report->events_acknowledged = from;
  report->events_pending = last - from;
  return TRUE;
}
