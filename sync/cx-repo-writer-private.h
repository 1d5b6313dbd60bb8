/* cx-repo-writer-private.h: what the files of CxRepoWriter share
 *
 * cx-repo-writer.c keeps the repository's layout and writes files
 * durably; cx-repo-writer-deltas.c works out and writes the deltas from
 * older versions to a new one.
 */
#pragma once

#include "cx-manifest.h"
#include "cx-pack.h"
#include "cx-repo-index.h"
#include "cx-repo-writer.h"
#include "cx-source-files.h"
#include "cx-temp-file.h"

G_BEGIN_DECLS

struct _CxRepoWriter
{
  GObject parent_instance;

  char *dir; /* REPO/v1 */
  int lock_fd;
  CxSigningKey *key;
  char *repository_id;
  CxRepoIndex *index; /* NULL before the first publish */
  guint expires_days;
  guint keep_versions;
  int level;

  GHashTable *manifests; /* CxChunkId* manifest id → CxManifest* */
  GHashTable *packs;     /* CxChunkId* pack id → CxPackIndex* */
  GHashTable *chunks;    /* CxChunkId* chunk id → CxPackIndex* (borrowed from packs) */
};

char *_cx_repo_writer_object_path (CxRepoWriter *self,
                                   const char *folder,
                                   const CxChunkId *id,
                                   const char *suffix);
GBytes *_cx_repo_writer_read_stored_file (CxRepoWriter *self,
                                          const CxManifestFile *file,
                                          GHashTable *streams,
                                          GCancellable *cancellable,
                                          GError **error);
GBytes *_cx_read_source_file (const CxManifestFile *file, const char *source, GError **error);

/* In cx-repo-writer-deltas.c */
gboolean _cx_repo_writer_add_deltas (CxRepoWriter *self,
                                     CxRepoIndex *index,
                                     CxManifest *manifest,
                                     GPtrArray *files,
                                     CxPublishStats *stats,
                                     GCancellable *cancellable,
                                     GError **error);

G_END_DECLS
