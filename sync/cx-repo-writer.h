/* cx-repo-writer.h: publishing package versions into a repository on disk
 *
 * The publisher's half of the protocol.  A writer opens a repository
 * folder (creating the layout of PROTOCOL.md §2 on first use), learns
 * every chunk the current index refers to, and then publishes a folder as
 * a new package version: chunks the repository lacks go into one new pack,
 * changed files get deltas from recent versions, and a new signed index
 * replaces the old one last, by an atomic rename.  A crash at any moment
 * leaves the previous repository valid.
 */
#pragma once

#include <gio/gio.h>

#include "cx-manifest.h"
#include "cx-signing-key.h"

G_BEGIN_DECLS

/* Versions of a package an index keeps listing: the newest and the three
 * before it, each of which gets a delta to the newest. */
#define CX_REPO_WRITER_DEFAULT_KEEP_VERSIONS 4
#define CX_REPO_WRITER_DEFAULT_EXPIRES_DAYS  7
#define CX_REPO_WRITER_DEFAULT_LEVEL         19

/* Adds the course tree (units and lessons) once every file is in @manifest. */
typedef gboolean (*CxRepoWriterUnitsFunc) (CxManifest *manifest,
                                           gpointer user_data,
                                           GError **error);

typedef struct
{
  const char *id;
  const char *title;
  const char *subject;
  const char *grade;
  const char *edition;
  CxRepoWriterUnitsFunc add_units; /* nullable */
  gpointer user_data;
} CxPackageInfo;

typedef struct
{
  guint64 version;
  guint files;
  guint64 bytes_in;    /* bytes of the version's files */
  guint chunks_new;    /* distinct chunks packed by this publish */
  guint chunks_reused; /* distinct chunks the repository already held */
  guint64 pack_bytes;  /* the new pack and its index; 0 if nothing was new */
  guint n_deltas;      /* delta packs written */
  guint delta_files;   /* files the deltas cover, over all base versions */
  guint64 delta_bytes; /* the delta packs and their indexes */
} CxPublishStats;

#define CX_TYPE_REPO_WRITER (cx_repo_writer_get_type ())
G_DECLARE_FINAL_TYPE (CxRepoWriter, cx_repo_writer, CX, REPO_WRITER, GObject)

CxRepoWriter *cx_repo_writer_open (const char *repo_dir,
                                   CxSigningKey *key,
                                   const char *repository_id,
                                   GError **error);
const char *cx_repo_writer_get_repository_id (CxRepoWriter *self);
guint cx_repo_writer_get_expires_days (CxRepoWriter *self);
void cx_repo_writer_set_expires_days (CxRepoWriter *self, guint days);
void cx_repo_writer_set_compression_level (CxRepoWriter *self, int level);

gboolean cx_repo_writer_publish_tree (CxRepoWriter *self,
                                      const char *src_dir,
                                      const CxPackageInfo *info,
                                      guint64 *out_version,
                                      CxPublishStats *out_stats,
                                      GCancellable *cancellable,
                                      GError **error);
gboolean cx_repo_writer_resign (CxRepoWriter *self, guint64 *out_index_version, GError **error);

G_END_DECLS
