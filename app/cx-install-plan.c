/* cx-install-plan.c: which files to build, link or keep, and which chunks to fetch */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cx-install-plan.h"

static void
plan_file_free (CxPlanFile *file)
{
  g_free (file->link_source);
  g_free (file);
}

void
_cx_install_plan_free (CxInstallPlan *plan)
{
  if (plan == NULL)
    return;

  g_clear_object (&plan->manifest);
  g_strfreev (plan->units);
  g_clear_pointer (&plan->files, g_ptr_array_unref);
  g_clear_pointer (&plan->fetch, g_hash_table_unref);
  g_free (plan);
}

typedef struct
{
  const char *unit;
  const char *lesson;
  gboolean chosen;
} Membership;

static void
mark_files (
    GHashTable *members, GPtrArray *files, const char *unit, const char *lesson, gboolean chosen)
{
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      Membership *m = g_hash_table_lookup (members, path);

      if (m == NULL)
        {
          m = g_new0 (Membership, 1);
          m->unit = unit;
          m->lesson = lesson;
          g_hash_table_insert (members, (gpointer) path, m);
        }
      m->chosen = m->chosen || chosen;
    }
}

/* Maps each path to the unit and lesson it belongs to and whether one of
 * the chosen units holds it.  Files of no unit belong to the package
 * itself and always come along. */
static GHashTable *
collect_members (CxManifest *manifest, const char *const *units)
{
  g_autoptr (GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *all_units = cx_manifest_get_units (manifest);

  for (guint u = 0; u < all_units->len; u++)
    {
      CxManifestUnit *unit = g_ptr_array_index (all_units, u);
      gboolean chosen = units == NULL || g_strv_contains (units, unit->id);

      mark_files (members, unit->files, unit->title, NULL, chosen);
      for (guint l = 0; l < unit->lessons->len; l++)
        {
          CxManifestLesson *lesson = g_ptr_array_index (unit->lessons, l);

          mark_files (members, lesson->files, unit->title, lesson->title, chosen);
        }
    }

  return g_steal_pointer (&members);
}

static gboolean
find_link_source (CxStore *store, CxContentStore *content, CxPlanFile *plan_file, GError **error)
{
  g_autofree char *hex = cx_chunk_id_to_hex (&plan_file->file->sha256);
  g_autofree char *tree = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tree_path = NULL;

  /* Empty files are cheaper to write than to look up. */
  if (plan_file->file->size == 0)
    return TRUE;

  if (!cx_store_find_installed_file (store, hex, &tree, &path, error))
    return error == NULL || *error == NULL;

  tree_path = cx_content_store_tree_path (content, tree);
  plan_file->link_source = g_build_filename (tree_path, path, NULL);
  plan_file->action = CX_PLAN_LINK;
  return TRUE;
}

/* Notes every chunk of @file that no local source holds. */
static gboolean
collect_chunks (CxInstallPlan *plan,
                CxStore *store,
                CxContentStore *content,
                const CxManifestFile *file,
                GError **error)
{
  for (guint c = 0; c < file->chunks->len; c++)
    {
      const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);
      g_autofree char *tree = NULL;
      g_autofree char *path = NULL;
      gint64 offset;

      if (g_hash_table_contains (plan->fetch, &ref->id))
        continue;

      if (cx_content_store_has (content, CX_OBJECT_CHUNK, &ref->id) ||
          cx_store_find_chunk (store, ref->id.bytes, &tree, &path, &offset, error))
        {
          plan->n_chunks_local++;
          continue;
        }
      if (error != NULL && *error != NULL)
        return FALSE;

      g_hash_table_insert (plan->fetch, cx_chunk_id_dup (&ref->id), GUINT_TO_POINTER (ref->size));
      plan->fetch_bytes += ref->size;
    }

  return TRUE;
}

static gboolean
chunks_all_local (CxStore *store, CxContentStore *content, const CxManifestFile *file)
{
  for (guint c = 0; c < file->chunks->len; c++)
    {
      const CxChunkRef *ref = &g_array_index (file->chunks, CxChunkRef, c);
      g_autofree char *tree = NULL;
      g_autofree char *path = NULL;
      gint64 offset;

      if (!cx_content_store_has (content, CX_OBJECT_CHUNK, &ref->id) &&
          !cx_store_find_chunk (store, ref->id.bytes, &tree, &path, &offset, NULL))
        return FALSE;
    }

  return TRUE;
}

/* A changed file is rebuilt from its delta when the installed version has
 * the base at the same path and its chunks would have to be fetched. */
static gboolean
choose_delta (CxInstallPlan *plan,
              CxStore *store,
              CxContentStore *content,
              CxPlanFile *pf,
              CxDeltaIndex *deltas,
              const char *base_tree)
{
  guint index;
  const CxDeltaEntry *entry;
  g_autofree char *base = NULL;

  if (deltas == NULL || base_tree == NULL)
    return FALSE;

  entry = cx_delta_index_lookup (deltas, pf->file->path, &index);
  if (entry == NULL || !cx_chunk_id_equal (&entry->target_sha256, &pf->file->sha256))
    return FALSE;

  base = g_build_filename (base_tree, pf->file->path, NULL);
  if (!g_file_test (base, G_FILE_TEST_IS_REGULAR) || chunks_all_local (store, content, pf->file))
    return FALSE;

  pf->action = CX_PLAN_DELTA;
  pf->link_source = g_steal_pointer (&base);
  pf->delta_entry = index;
  plan->n_delta++;
  plan->delta_bytes += entry->compressed_size;
  return TRUE;
}

/**
 * _cx_install_plan_new:
 * @units: (nullable): the unit ids to install; %NULL for all
 * @build: the folder the version is being built in
 * @deltas: (nullable): deltas from the installed version to this one
 * @base_tree: (nullable): the installed version's folder
 *
 * Returns: (transfer full): the plan
 */
CxInstallPlan *
_cx_install_plan_new (CxStore *store,
                      CxContentStore *content,
                      CxManifest *manifest,
                      const char *const *units,
                      CxTreeBuilder *build,
                      CxDeltaIndex *deltas,
                      const char *base_tree,
                      GError **error)
{
  g_autoptr (CxInstallPlan) plan = g_new0 (CxInstallPlan, 1);
  g_autoptr (GHashTable) members = NULL;
  GPtrArray *files = cx_manifest_get_files (manifest);

  members = collect_members (manifest, units);

  plan->manifest = g_object_ref (manifest);
  plan->units = units != NULL ? g_strdupv ((char **) units) : NULL;
  plan->files = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_file_free);
  plan->fetch = g_hash_table_new_full (cx_chunk_id_hash, cx_chunk_id_equal, g_free, NULL);

  for (guint i = 0; i < files->len; i++)
    {
      const CxManifestFile *file = g_ptr_array_index (files, i);
      Membership *m = g_hash_table_lookup (members, file->path);
      CxPlanFile *plan_file;

      if (m != NULL && !m->chosen)
        continue;

      plan_file = g_new0 (CxPlanFile, 1);
      plan_file->file = file;
      plan_file->unit = m != NULL ? m->unit : NULL;
      plan_file->lesson = m != NULL ? m->lesson : NULL;
      plan_file->action = CX_PLAN_WRITE;
      g_ptr_array_add (plan->files, plan_file);

      if (cx_tree_builder_has_file (build, file->path, file->size, &file->sha256))
        {
          plan_file->action = CX_PLAN_DONE;
          plan->n_done++;
          continue;
        }

      if (!find_link_source (store, content, plan_file, error))
        return NULL;
      if (plan_file->action == CX_PLAN_LINK)
        {
          plan->n_linked++;
          continue;
        }

      plan->write_bytes += file->size;
      if (choose_delta (plan, store, content, plan_file, deltas, base_tree))
        continue;
      if (!collect_chunks (plan, store, content, file, error))
        return NULL;
    }

  return g_steal_pointer (&plan);
}
