/* cx-hand-in-files.c: a hand-in's file kept in the store and recorded */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-hand-in-files.h"
#include "cx-kept-files.h"
#include "cx-upload.h"

#define FOLDER "hand-ins"

char *
cx_hand_in_files_get_path (CxStore *store, const char *content_hash)
{
  return cx_kept_file_get_path (store, FOLDER, content_hash);
}

/**
 * cx_hand_in_files_add:
 * @path: the pupil's file
 * @details: assignment, class, pupil and lesson; the file's name, hash and
 *   size are filled in here
 *
 * Copies the file in (see cx_kept_file_copy_in()) and records the hand-in,
 * queued for upload. Nothing is recorded if the copy fails.
 *
 * Returns: the hand-in's id, or 0 with @error set
 */
gint64
cx_hand_in_files_add (CxStore *store,
                      const char *path,
                      const CxHandIn *details,
                      GCancellable *cancellable,
                      GError **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *hex = NULL;
  CxHandIn record = *details;
  guint64 size = 0;

  if (!cx_upload_name_is_valid (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _ ("“%s” cannot be handed in under that name; rename it first"), name);
      return 0;
    }
  if (!cx_kept_file_copy_in (store, FOLDER, path, CX_UPLOAD_MAX_FILE_SIZE, NULL, &hex, &size,
                             cancellable, error))
    return 0;

  record.file_name = name;
  record.content_hash = hex;
  record.size = (gint64) size;
  return cx_store_add_hand_in (store, &record, error);
}
