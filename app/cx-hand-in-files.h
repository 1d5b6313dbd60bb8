/* cx-hand-in-files.h: the files of hand-ins, checked and kept on this computer by content
 *
 * A pupil's file is checked (a plain, readable, non-empty file of at most
 * CX_HAND_IN_MAX_FILE_SIZE that is not a program or script), then copied in
 * at once (DATA/hand-ins/XX/SHA256), so the work is safe when the USB stick
 * or camera is gone, and queued for upload. Nothing is ever half-stored:
 * the copy goes through a temporary file, fsync and rename, and if the
 * hand-in cannot be recorded the copy is removed again.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store-hand-ins.h"

G_BEGIN_DECLS

/* The hub takes no larger file (see CX_UPLOAD_MAX_FILE_SIZE in sync/): a
 * larger hand-in could never leave this computer. */
#define CX_HAND_IN_MAX_FILE_SIZE (64 * 1024 * 1024)

#define CX_HAND_IN_ERROR (cx_hand_in_error_quark ())

typedef enum
{
  CX_HAND_IN_ERROR_NOT_A_FILE,   /* missing, a folder, a device */
  CX_HAND_IN_ERROR_BAD_NAME,     /* a name the hub would refuse */
  CX_HAND_IN_ERROR_UNREADABLE,   /* no permission, a failing stick */
  CX_HAND_IN_ERROR_EMPTY,        /* zero bytes */
  CX_HAND_IN_ERROR_TOO_LARGE,    /* over CX_HAND_IN_MAX_FILE_SIZE */
  CX_HAND_IN_ERROR_REFUSED_TYPE, /* a program or script, by name or content */
  CX_HAND_IN_ERROR_NO_SPACE,     /* the disk filled up while copying */
} CxHandInError;

/* Told the bytes copied so far, on the main context of the caller. */
typedef void (*CxHandInProgressFunc) (guint64 copied, guint64 total, gpointer user_data);

GQuark cx_hand_in_error_quark (void);

gboolean cx_hand_in_files_is_refused_name (const char *name);
gboolean cx_hand_in_files_check (const char *path, GCancellable *cancellable, GError **error);
gint64 cx_hand_in_files_add (CxStore *store,
                             const char *path,
                             const CxHandIn *details,
                             GCancellable *cancellable,
                             GError **error);
void cx_hand_in_files_add_async (CxStore *store,
                                 const char *path,
                                 const CxHandIn *details,
                                 CxHandInProgressFunc progress,
                                 gpointer progress_data,
                                 GDestroyNotify progress_data_free,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gint64 cx_hand_in_files_add_finish (CxStore *store, GAsyncResult *result, GError **error);
char *cx_hand_in_files_get_path (CxStore *store, const char *content_hash);

G_END_DECLS
