/* cx-hand-in-files.h: the files of hand-ins, kept on this computer by content
 *
 * A pupil's file is copied in at once (DATA/hand-ins/XX/SHA256), so the work
 * is safe when the USB stick or camera is gone, and queued for upload.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store-hand-ins.h"

G_BEGIN_DECLS

gint64 cx_hand_in_files_add (CxStore *store,
                             const char *path,
                             const CxHandIn *details,
                             GCancellable *cancellable,
                             GError **error);
char *cx_hand_in_files_get_path (CxStore *store, const char *content_hash);

G_END_DECLS
