/* cx-store-journal.h: the append-only usage journal
 *
 * Every entry gets the next number of this device's gapless sequence. The hub
 * acknowledges a high-water mark; only entries at or below it may ever be
 * pruned, and only on request.
 */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 seq;
  gint64 time_us;
  char *kind;
  char *payload;
} CxJournalEntry;

void cx_journal_entry_free (CxJournalEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxJournalEntry, cx_journal_entry_free)

gint64
cx_store_journal_append (CxStore *self, const char *kind, const char *payload_json, GError **error);
GPtrArray *cx_store_journal_read (CxStore *self, gint64 after_seq, guint limit, GError **error);
gint64 cx_store_journal_get_last_seq (CxStore *self, GError **error);
gint64 cx_store_journal_get_acknowledged (CxStore *self, GError **error);
gboolean cx_store_journal_acknowledge (CxStore *self, gint64 up_to_seq, GError **error);
gint64 cx_store_journal_prune_acknowledged (CxStore *self, gint64 before_time_us, GError **error);

G_END_DECLS
