/* cx-upload.h: a file sent to the hub in chunks, and its manifest (PROTOCOL.md §10.5)
 *
 * Both ends use this code: the client to describe what it sends, the hub
 * to check what it is told before it believes any of it.
 */
#pragma once

#include <glib.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

#define CX_UPLOAD_MAX_FILE_SIZE     (64 * 1024 * 1024)
#define CX_UPLOAD_MAX_CHUNK_SIZE    (1024 * 1024)
#define CX_UPLOAD_MAX_CHUNKS        8192
#define CX_UPLOAD_MAX_MANIFEST_SIZE (1024 * 1024)
#define CX_UPLOAD_MAX_NAME_LENGTH   255
#define CX_UPLOAD_MAX_META_LENGTH   4096

typedef struct
{
  CxChunkId id;
  guint32 length;
} CxUploadChunk;

typedef struct
{
  char *id;   /* a UUID, chosen by the client; the same file sent again keeps it */
  char *kind; /* "hand-in" or "lesson-plan" */
  char *name; /* a plain file name, no folders */
  guint64 size;
  CxChunkId sha256;
  GArray *chunks; /* CxUploadChunk, in file order */
  char *meta;     /* a JSON object: who, class, lesson, time */
} CxUpload;

void cx_upload_free (CxUpload *upload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxUpload, cx_upload_free)

gboolean cx_upload_name_is_valid (const char *name);
GBytes *cx_upload_to_json (const CxUpload *upload, GError **error);
CxUpload *cx_upload_new_from_json (GBytes *json, GError **error);

G_END_DECLS
