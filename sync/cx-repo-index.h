/* cx-repo-index.h: the signed repository index, the first file a client fetches
 *
 * It names every package version the repository offers and the SHA-256 of
 * each version's manifest, so one signature check here extends trust to
 * every byte fetched afterwards, from whichever mirror, LAN peer or USB
 * stick it came.
 */
#pragma once

#include <gio/gio.h>

#include "cx-chunk-id.h"
#include "cx-delta.h"
#include "cx-public-key.h"
#include "cx-signing-key.h"

G_BEGIN_DECLS

#define CX_REPO_INDEX_FORMAT         1
#define CX_REPO_INDEX_MAX_SIZE       (16 * 1024 * 1024)
#define CX_REPO_INDEX_MAX_SIGNATURES 16
#define CX_REPO_INDEX_MAGIC          "CXINDEX\n"
#define CX_REPO_INDEX_MAGIC_LEN      8
#define CX_MANIFEST_MAX_STORED_SIZE  (64 * 1024 * 1024)

/* Deltas a version offers, at most this many (§4.2, §7). */
#define CX_REPO_MAX_DELTAS 4

typedef struct
{
  guint64 from;       /* the base version */
  CxChunkId index_id; /* SHA-256 of the delta index file */
  guint64 index_size; /* exact size of the delta index file */
  guint64 size;       /* exact size of the delta pack */
} CxRepoDelta;

/* Read-only views owned by their CxRepoIndex. */
typedef struct
{
  guint64 version;
  CxChunkId manifest_id;
  guint64 manifest_size; /* bytes of the stored (compressed) manifest */
  guint64 install_size;  /* sum of the sizes of the version's files */
  guint n_deltas;
  CxRepoDelta deltas[CX_REPO_MAX_DELTAS]; /* ascending by from */
} CxRepoVersion;

typedef struct
{
  char *id;
  guint64 current;
  GArray *versions; /* CxRepoVersion, ascending by version */
} CxRepoPackage;

#define CX_TYPE_REPO_INDEX (cx_repo_index_get_type ())
G_DECLARE_FINAL_TYPE (CxRepoIndex, cx_repo_index, CX, REPO_INDEX, GObject)

CxRepoIndex *
cx_repo_index_new (const char *repository_id, guint64 version, gint64 timestamp, gint64 expires);
gboolean cx_repo_index_add_version (CxRepoIndex *self,
                                    const char *package_id,
                                    guint64 version,
                                    const CxChunkId *manifest_id,
                                    guint64 manifest_size,
                                    guint64 install_size,
                                    GError **error);
gboolean cx_repo_index_add_delta (CxRepoIndex *self,
                                  const char *package_id,
                                  guint64 version,
                                  const CxRepoDelta *delta,
                                  GError **error);
GBytes *cx_repo_index_serialize (CxRepoIndex *self);
GBytes *cx_repo_index_sign (CxRepoIndex *self, CxSigningKey **keys, guint n_keys, GError **error);
GBytes *cx_repo_index_seal (GBytes *payload, CxSigningKey **keys, guint n_keys, GError **error);

CxRepoIndex *cx_repo_index_load (GBytes *data,
                                 CxPublicKey **trusted_keys,
                                 guint n_trusted_keys,
                                 const char *expected_repository_id,
                                 guint64 min_version,
                                 gint64 now,
                                 GError **error);

const char *cx_repo_index_get_repository_id (CxRepoIndex *self);
guint64 cx_repo_index_get_version (CxRepoIndex *self);
gint64 cx_repo_index_get_timestamp (CxRepoIndex *self);
gint64 cx_repo_index_get_expires (CxRepoIndex *self);
GPtrArray *cx_repo_index_get_packages (CxRepoIndex *self);
const CxRepoPackage *cx_repo_index_lookup_package (CxRepoIndex *self, const char *package_id);
const CxRepoVersion *cx_repo_package_lookup_version (const CxRepoPackage *package, guint64 version);
const CxRepoDelta *cx_repo_version_lookup_delta (const CxRepoVersion *version, guint64 from);

gboolean cx_repo_validate_id (const char *id, GError **error);

G_END_DECLS
