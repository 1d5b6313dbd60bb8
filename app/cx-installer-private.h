/* cx-installer-private.h: what the files of CxInstaller share
 *
 * cx-installer.c plans, fetches and builds an install; applying deltas is
 * in cx-installer-deltas.c and the async wrappers in cx-installer-async.c.
 */
#pragma once

#include "cx-content-store.h"
#include "cx-delta.h"
#include "cx-fetcher.h"
#include "cx-install-plan.h"
#include "cx-installer.h"
#include "cx-store-packages.h"
#include "cx-tree-builder.h"

G_BEGIN_DECLS

struct _CxInstaller
{
  GObject parent_instance;

  CxStore *store;
  CxContentStore *content;
  GHashTable *fetchers; /* hub id → CxFetcher, kept so connections stay open */

  guint64 rate_limit;
  guint max_attempts, base_delay_ms, max_delay_ms;
  guint low_speed_bytes, low_speed_seconds;

  CxInstallProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_destroy;
  CxInstallProgress progress;
  guint64 wire_rate;
};

void _cx_installer_report (CxInstaller *self);

/* In cx-installer-deltas.c */
CxDeltaIndex *_cx_installer_load_deltas (CxInstaller *self,
                                         CxFetcher *fetcher,
                                         const CxPackageStatus *status,
                                         char **out_pack_path,
                                         GCancellable *cancellable);
gboolean _cx_installer_fetch_deltas (CxInstaller *self,
                                     CxFetcher *fetcher,
                                     CxTreeBuilder *build,
                                     CxInstallPlan *plan,
                                     CxDeltaIndex *deltas,
                                     const char *pack_path,
                                     GCancellable *cancellable,
                                     GError **error);

G_END_DECLS
