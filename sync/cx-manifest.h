/* cx-manifest.h: the manifest of one package version
 *
 * A manifest lists every file of the version (path, mode, size, SHA-256)
 * as an ordered list of content chunks, the packs holding those chunks, and
 * the course tree (units and lessons, each naming its files) so a client
 * can show the course and fetch a single unit.  It is trusted because the
 * signed repository index names its SHA-256.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"

G_BEGIN_DECLS

#define CX_MANIFEST_FORMAT        1
#define CX_MANIFEST_MAX_SIZE      (128 * 1024 * 1024)
#define CX_MANIFEST_MAX_PATH      4096
#define CX_MANIFEST_MAX_COMPONENT 255

typedef struct
{
  CxChunkId id;
  guint32 size;
} CxChunkRef;

/* Read-only views owned by their CxManifest. */
typedef struct
{
  char *path;
  guint32 mode;
  guint64 size;
  CxChunkId sha256;
  GArray *chunks; /* CxChunkRef, in file order */
} CxManifestFile;

typedef struct
{
  char *id;
  char *title;
  GPtrArray *files; /* char * paths */
} CxManifestLesson;

typedef struct
{
  char *id;
  char *title;
  GPtrArray *files;   /* char * paths */
  GPtrArray *lessons; /* CxManifestLesson */
} CxManifestUnit;

#define CX_TYPE_MANIFEST (cx_manifest_get_type ())
G_DECLARE_FINAL_TYPE (CxManifest, cx_manifest, CX, MANIFEST, GObject)

gboolean cx_manifest_validate_path (const char *path, gssize length, GError **error);

CxManifest *cx_manifest_new (const char *package_id, guint64 version);
void cx_manifest_set_metadata (CxManifest *self,
                               const char *title,
                               const char *subject,
                               const char *grade,
                               const char *edition);
gboolean cx_manifest_add_file (CxManifest *self,
                               const char *path,
                               guint32 mode,
                               const CxChunkId *sha256,
                               const CxChunkRef *chunks,
                               guint n_chunks,
                               GError **error);
void cx_manifest_add_pack (CxManifest *self, const CxChunkId *pack_id);
gboolean cx_manifest_add_unit (CxManifest *self,
                               const char *unit_id,
                               const char *title,
                               const char *const *files,
                               GError **error);
gboolean cx_manifest_add_lesson (CxManifest *self,
                                 const char *unit_id,
                                 const char *lesson_id,
                                 const char *title,
                                 const char *const *files,
                                 GError **error);
GBytes *cx_manifest_serialize (CxManifest *self, GError **error);

CxManifest *cx_manifest_new_from_bytes (GBytes *data, const CxChunkId *expected_id, GError **error);

const char *cx_manifest_get_package_id (CxManifest *self);
guint64 cx_manifest_get_version (CxManifest *self);
const char *cx_manifest_get_title (CxManifest *self);
const char *cx_manifest_get_subject (CxManifest *self);
const char *cx_manifest_get_grade (CxManifest *self);
const char *cx_manifest_get_edition (CxManifest *self);
GPtrArray *cx_manifest_get_files (CxManifest *self);
const CxManifestFile *cx_manifest_lookup_file (CxManifest *self, const char *path);
GArray *cx_manifest_get_packs (CxManifest *self);
GPtrArray *cx_manifest_get_units (CxManifest *self);
guint64 cx_manifest_get_install_size (CxManifest *self);

G_END_DECLS
