/* cx-catalog-refresh.h: learning what a hub offers from its signed index
 *
 * Internal to the installer.  The index is verified against the key the
 * user gave for the hub, then the manifest of every package's current
 * version is fetched (or taken from the content store) and verified
 * against the index, and only then is the catalogue in the store replaced,
 * in one transaction.
 */
#pragma once

#include "cx-content-store.h"
#include "cx-fetcher.h"
#include "cx-manifest.h"
#include "cx-repo-index.h"
#include "cx-store-packages.h"

G_BEGIN_DECLS

/* Where a hub keeps its package repository, below its own address. */
#define CX_HUB_REPOSITORY_PATH "repo/"

char *_cx_hub_repository_url (const char *hub_url);

CxRepoIndex *_cx_catalog_fetch_index (CxFetcher *fetcher,
                                      const char *public_key,
                                      const char *repository_id,
                                      gint64 min_version,
                                      GBytes **out_bytes,
                                      GCancellable *cancellable,
                                      GError **error);

CxManifest *_cx_catalog_load_manifest (CxContentStore *content,
                                       CxFetcher *fetcher,
                                       const char *manifest_hex,
                                       gint64 manifest_size,
                                       GCancellable *cancellable,
                                       GError **error);

gboolean _cx_catalog_refresh_hub (CxStore *store,
                                  CxContentStore *content,
                                  CxFetcher *fetcher,
                                  const CxHubState *hub,
                                  GCancellable *cancellable,
                                  GError **error);

G_END_DECLS
