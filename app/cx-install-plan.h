/* cx-install-plan.h: what installing one package version will take
 *
 * Internal to the installer.  For every file of the chosen units the plan
 * says whether it is already built (left by an interrupted attempt), can be
 * linked from an installed version, or must be written from chunks; and it
 * collects the chunks that no local source holds, which are all that will
 * be fetched.
 */
#pragma once

#include "cx-content-store.h"
#include "cx-delta.h"
#include "cx-manifest.h"
#include "cx-store-packages.h"
#include "cx-tree-builder.h"

G_BEGIN_DECLS

typedef enum
{
  CX_PLAN_DONE,
  CX_PLAN_LINK,
  CX_PLAN_WRITE,
  CX_PLAN_DELTA,
} CxPlanAction;

typedef struct
{
  const CxManifestFile *file;
  const char *unit;   /* title of the unit it belongs to, or NULL */
  const char *lesson; /* title of the lesson it belongs to, or NULL */
  CxPlanAction action;
  char *link_source; /* LINK: the installed file to link; DELTA: the base */
  guint delta_entry; /* DELTA: the entry of the delta index */
} CxPlanFile;

typedef struct
{
  CxManifest *manifest;
  char **units;      /* unit ids chosen, or NULL for the whole package */
  GPtrArray *files;  /* CxPlanFile, by path */
  GHashTable *fetch; /* CxChunkId* → GUINT_TO_POINTER (size): chunks to fetch */
  guint64 fetch_bytes;
  guint64 write_bytes;
  guint n_delta;
  guint64 delta_bytes;
  guint n_done;
  guint n_linked;
  guint n_chunks_local;
} CxInstallPlan;

CxInstallPlan *_cx_install_plan_new (CxStore *store,
                                     CxContentStore *content,
                                     CxManifest *manifest,
                                     const char *const *units,
                                     CxTreeBuilder *build,
                                     CxDeltaIndex *deltas,
                                     const char *base_tree,
                                     GError **error);
void _cx_install_plan_free (CxInstallPlan *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxInstallPlan, _cx_install_plan_free)

G_END_DECLS
