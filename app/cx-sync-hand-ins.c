/* cx-sync-hand-ins.c: each queued hand-in, by the chunks the hub lacks
 *
 * The file is cut into content-defined chunks; the hub is asked which it
 * lacks, only those are sent, and the manifest is committed last. A run
 * cut off part-way sends, next time, only what still did not arrive; a
 * file the hub already holds (the same photo handed in twice) costs one
 * question.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include <glib/gi18n-lib.h>

#include "cx-chunker.h"
#include "cx-hand-in-files.h"
#include "cx-store-hand-ins.h"
#include "cx-sync-error.h"
#include "cx-sync-hand-ins.h"

static char *
describe (const CxHandIn *h)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "assignment");
  json_builder_add_string_value (b, h->assignment);
  json_builder_set_member_name (b, "class");
  json_builder_add_string_value (b, h->class_name);
  json_builder_set_member_name (b, "pupil");
  json_builder_add_string_value (b, h->pupil != NULL ? h->pupil : "");
  json_builder_set_member_name (b, "lesson_plan");
  json_builder_add_int_value (b, h->lesson_plan_id);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_int_value (b, h->created_at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Half a MiB a request: at 512 kbit/s that is 8 s of sending against one
 * round trip, and a drop in the middle costs no more than that. */
#define CHUNKS_PER_REQUEST (512 * 1024)

static gboolean
send_records (CxApiClient *client,
              GByteArray *records,
              CxSyncReport *report,
              GCancellable *cancellable,
              GError **error)
{
  g_autoptr (GBytes) body = g_bytes_new (records->data, records->len);

  if (!cx_api_client_put_chunks (client, body, cancellable, error))
    return FALSE;
  report->requests++;
  report->bytes_sent += records->len;
  g_byte_array_set_size (records, 0);
  return TRUE;
}

static gboolean
push_one (CxStore *store,
          CxApiClient *client,
          const CxHandIn *h,
          CxSyncReport *report,
          GCancellable *cancellable,
          GError **error)
{
  g_autofree char *path = cx_hand_in_files_get_path (store, h->content_hash);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (CxChunker) chunker = cx_chunker_new ();
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GArray) cuts = NULL;
  g_autoptr (GHashTable) missing = NULL;
  g_autoptr (CxUpload) upload = g_new0 (CxUpload, 1);
  g_autoptr (GByteArray) records = g_byte_array_new ();
  const guint8 *data;

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return FALSE;
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  cuts = cx_chunker_chunk_file (chunker, file, NULL, NULL, cancellable, error);
  if (cuts == NULL)
    return FALSE;

  upload->id = g_strdup (h->uuid);
  upload->kind = g_strdup ("hand-in");
  upload->name = g_strdup (h->file_name);
  upload->size = (guint64) h->size;
  upload->meta = describe (h);
  upload->chunks = g_array_sized_new (FALSE, FALSE, sizeof (CxUploadChunk), cuts->len);
  if (!cx_chunk_id_from_hex (h->content_hash, &upload->sha256) ||
      g_mapped_file_get_length (mapped) != (gsize) h->size)
    {
      g_set_error (error, CX_SYNC_ERROR, CX_SYNC_ERROR_SIZE_MISMATCH,
                   _ ("The kept copy of the hand-in “%s” has changed; it cannot be sent"),
                   h->file_name);
      return FALSE;
    }
  for (guint i = 0; i < cuts->len; i++)
    {
      const CxChunk *c = &g_array_index (cuts, CxChunk, i);
      CxUploadChunk u = { c->id, c->length };

      g_array_append_val (upload->chunks, u);
    }

  if (!cx_api_client_find_missing_chunks (client, (CxUploadChunk *) upload->chunks->data,
                                          upload->chunks->len, &missing, cancellable, error))
    return FALSE;
  report->requests++;
  for (guint i = 0; i < cuts->len; i++)
    {
      const CxChunk *c = &g_array_index (cuts, CxChunk, i);

      /* Sent once even if the file repeats it. */
      if (!g_hash_table_remove (missing, GUINT_TO_POINTER (i + 1)))
        continue;
      cx_chunk_records_append (records, &c->id, data + c->offset, c->length);
      if ((records->len >= CHUNKS_PER_REQUEST || g_hash_table_size (missing) == 0) &&
          !send_records (client, records, report, cancellable, error))
        return FALSE;
    }

  if (!cx_api_client_commit_upload (client, upload, cancellable, error))
    return FALSE;
  report->requests++;
  report->hand_ins_sent++;
  return cx_store_mark_hand_in_uploaded (store, h->id, error);
}

gboolean
_cx_sync_push_hand_ins (CxStore *store,
                        CxApiClient *client,
                        CxSyncReport *report,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GPtrArray) pending = cx_store_list_hand_ins (store, TRUE, error);

  if (pending == NULL)
    return FALSE;
  for (guint i = 0; i < pending->len; i++)
    if (!push_one (store, client, pending->pdata[i], report, cancellable, error))
      return FALSE;
  return TRUE;
}
