/* cx-store-packages.h: what each hub offers, what is installed, and where
 *
 * The records behind install, update and remove.  A version counts as
 * installed only once cx_store_commit_install() has run, which happens
 * after every one of its files verified on disk.
 */
#pragma once

#include "cx-store-catalog.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  char *url;
  char *public_key;
  char *repository_id; /* NULL until the first index was accepted */
  gint64 index_version;
  gint64 index_fetched_at;
} CxHubState;

typedef struct
{
  gint64 id;
  gint64 hub_id;
  char *package_key;
  char *title;
  char *subject;
  int grade;
  char *edition;
  /* What the hub's index calls current (0 if it no longer lists it). */
  gint64 current_version;
  char *current_manifest_id;
  gint64 current_manifest_size;
  gint64 current_size;
  /* What is on disk (0 and NULL if nothing). */
  gint64 installed_version;
  gint64 installed_version_id;
  char *installed_tree;
  gboolean installed_whole;
  char **installed_units; /* the units on disk when not whole */
} CxPackageStatus;

typedef struct
{
  guint8 chunk_id[32];
  const char *path;
  gint64 offset;
  gint64 size;
} CxChunkLocation;

void cx_hub_state_free (CxHubState *hub);
void cx_package_status_free (CxPackageStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxHubState, cx_hub_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxPackageStatus, cx_package_status_free)

static inline gboolean
cx_package_status_has_update (const CxPackageStatus *status)
{
  return status->installed_version > 0 && status->current_version > status->installed_version;
}

CxHubState *cx_store_lookup_hub (CxStore *self, gint64 hub_id, GError **error);
CxHubState *cx_store_lookup_hub_by_url (CxStore *self, const char *url, GError **error);
GPtrArray *cx_store_list_hub_states (CxStore *self, GError **error);
gboolean cx_store_record_index (
    CxStore *self, gint64 hub_id, const char *repository_id, gint64 index_version, GError **error);

gboolean cx_store_begin_catalog_update (CxStore *self, gint64 hub_id, GError **error);
gint64 cx_store_note_package_version (CxStore *self,
                                      const CxPackage *package,
                                      gint64 version,
                                      const char *manifest_id,
                                      gint64 manifest_size,
                                      gint64 install_size,
                                      gboolean current,
                                      GError **error);
gboolean cx_store_end_catalog_update (CxStore *self, gboolean commit, GError **error);

GPtrArray *cx_store_list_package_status (CxStore *self, GError **error);
CxPackageStatus *
cx_store_lookup_package_status (CxStore *self, const char *package_key, GError **error);
gint64 cx_store_lookup_package_version (CxStore *self,
                                        gint64 package_id,
                                        gint64 version,
                                        char **out_manifest_id,
                                        gint64 *out_manifest_size,
                                        GError **error);

gboolean cx_store_find_chunk (CxStore *self,
                              const guint8 chunk_id[32],
                              char **out_tree,
                              char **out_path,
                              gint64 *out_offset,
                              GError **error);

gboolean cx_store_find_installed_file (
    CxStore *self, const char *sha256_hex, char **out_tree, char **out_path, GError **error);

gboolean cx_store_commit_install (CxStore *self,
                                  gint64 package_id,
                                  gint64 version_id,
                                  const char *tree,
                                  gboolean whole,
                                  const char *const *units,
                                  GPtrArray *resources,
                                  const CxChunkLocation *locations,
                                  gsize n_locations,
                                  GError **error);
gboolean cx_store_remove_install (CxStore *self, gint64 package_id, GError **error);
char **cx_store_list_trees (CxStore *self, GError **error);

G_END_DECLS
