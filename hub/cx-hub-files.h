/* cx-hub-files.h: chunks and files devices upload, by content
 *
 * DATA/chunks/XX/SHA256 holds each chunk once, whichever device sent it;
 * DATA/files/XX/SHA256 each file assembled from them once its manifest is
 * committed. Everything is verified before it is kept and written by
 * temporary file, fsync and rename, so a crash leaves nothing half-written.
 */
#pragma once

#include <gio/gio.h>

#include "cx-upload.h"

G_BEGIN_DECLS

#define CX_TYPE_HUB_FILES (cx_hub_files_get_type ())
G_DECLARE_FINAL_TYPE (CxHubFiles, cx_hub_files, CX, HUB_FILES, GObject)

CxHubFiles *cx_hub_files_new (const char *data_dir, GError **error);
gboolean cx_hub_files_has_chunk (CxHubFiles *self, const CxChunkId *id);
gboolean cx_hub_files_put_chunk (
    CxHubFiles *self, const CxChunkId *id, GBytes *data, gboolean *out_stored, GError **error);
GPtrArray *cx_hub_files_list_missing (CxHubFiles *self, const CxUpload *upload);
gboolean cx_hub_files_assemble (CxHubFiles *self, const CxUpload *upload, GError **error);
char *cx_hub_files_get_path (CxHubFiles *self, const CxChunkId *sha256);

G_END_DECLS
