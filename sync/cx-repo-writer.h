/* cx-repo-writer.h: adding package versions to a repository on disk
 *
 * The publisher's half of the protocol.  A writer opens a repository
 * folder (creating the layout of PROTOCOL.md §2 on first use), learns
 * every chunk it already holds, and then adds one package version: new
 * chunks go into one new pack, the manifest names the packs holding the
 * version's chunks, and a new signed index replaces the old one last, by
 * an atomic rename.  A crash at any moment leaves the previous repository
 * valid.
 */
#pragma once

#include <gio/gio.h>

#include "cx-manifest.h"
#include "cx-signing-key.h"

G_BEGIN_DECLS

/* Versions of each package an index keeps offering. */
#define CX_REPO_WRITER_KEEP_VERSIONS 3

typedef struct
{
  guint64 version;
  guint files;
  guint chunks_new;
  guint chunks_reused;
  guint64 bytes_in;   /* file bytes read */
  guint64 pack_bytes; /* compressed bytes of the new pack */
} CxPublishStats;

#define CX_TYPE_REPO_WRITER (cx_repo_writer_get_type ())
G_DECLARE_FINAL_TYPE (CxRepoWriter, cx_repo_writer, CX, REPO_WRITER, GObject)

CxRepoWriter *cx_repo_writer_open (const char *repo_dir,
                                   CxSigningKey *key,
                                   const char *repository_id,
                                   GError **error);
const char *cx_repo_writer_get_repository_id (CxRepoWriter *self);
guint64 cx_repo_writer_next_version (CxRepoWriter *self, const char *package_id);

gboolean cx_repo_writer_add_file (CxRepoWriter *self,
                                  CxManifest *manifest,
                                  const char *path,
                                  GFile *file,
                                  guint32 mode,
                                  CxPublishStats *stats,
                                  GCancellable *cancellable,
                                  GError **error);
gboolean cx_repo_writer_commit (CxRepoWriter *self,
                                CxManifest *manifest,
                                gint64 expires_in,
                                CxPublishStats *stats,
                                GError **error);
gboolean cx_repo_writer_resign (CxRepoWriter *self, gint64 expires_in, GError **error);

G_END_DECLS
