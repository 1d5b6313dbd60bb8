/* cx-content-store.c: content-addressed objects, staged chunks and installed trees on disk */
#include "config.h"

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cx-content-store.h"

struct _CxContentStore
{
  GObject parent_instance;

  char *path;
};

G_DEFINE_TYPE (CxContentStore, cx_content_store, G_TYPE_OBJECT)

static const char *const kind_dirs[] = {
  [CX_OBJECT_MANIFEST] = "manifests",
  [CX_OBJECT_PACK_INDEX] = "packs",
  [CX_OBJECT_DELTA_INDEX] = "deltas",
  [CX_OBJECT_CHUNK] = "staging",
};

/* Nothing we keep is bigger than a stored manifest (64 MiB). */
#define MAX_OBJECT_SIZE (64 * 1024 * 1024)
#define TREES_DIR       "trees"
#define BUILD_PREFIX    ".build-"

static void
cx_content_store_finalize (GObject *object)
{
  CxContentStore *self = CX_CONTENT_STORE (object);

  g_free (self->path);
  G_OBJECT_CLASS (cx_content_store_parent_class)->finalize (object);
}

static void
cx_content_store_class_init (CxContentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cx_content_store_finalize;
}

static void
cx_content_store_init (CxContentStore *self)
{
}

static gboolean
make_dir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not create the folder %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_content_store_new:
 * @data_dir: the device's data directory (the one holding the store)
 *
 * Returns: (transfer full): the content store under @data_dir/content
 */
CxContentStore *
cx_content_store_new (const char *data_dir, GError **error)
{
  g_autoptr (CxContentStore) self = g_object_new (CX_TYPE_CONTENT_STORE, NULL);
  g_autofree char *trees = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->path = g_build_filename (data_dir, "content", NULL);
  trees = g_build_filename (self->path, TREES_DIR, NULL);
  if (!make_dir (trees, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kind_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (self->path, kind_dirs[i], NULL);

      if (!make_dir (dir, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
cx_content_store_get_path (CxContentStore *self)
{
  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);
  return self->path;
}

/* Objects fan out over 256 folders by the first two hex digits, so no
 * folder grows to hundreds of thousands of entries. */
static char *
object_path (CxContentStore *self, CxObjectKind kind, const CxChunkId *id)
{
  char hex[CX_CHUNK_ID_HEX_LEN + 1];
  char fan[3];

  cx_chunk_id_to_hex_buf (id, hex);
  memcpy (fan, hex, 2);
  fan[2] = '\0';
  return g_build_filename (self->path, kind_dirs[kind], fan, hex, NULL);
}

gboolean
cx_content_store_has (CxContentStore *self, CxObjectKind kind, const CxChunkId *id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  path = object_path (self, kind, id);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/**
 * cx_content_store_load:
 *
 * Reads an object back and checks that its bytes still hash to @id.  A
 * damaged object is deleted and reported as absent, so it is fetched again.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL if it is not
 *   there (@error unset) or could not be read (@error set)
 */
GBytes *
cx_content_store_load (CxContentStore *self, CxObjectKind kind, const CxChunkId *id, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  CxChunkId actual;
  gsize length;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);

  path = object_path (self, kind, id);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  cx_chunk_id_compute (contents, length, &actual);
  if (length > MAX_OBJECT_SIZE || !cx_chunk_id_equal (&actual, id))
    {
      g_debug ("Discarding damaged object %s", path);
      g_unlink (path);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/**
 * cx_content_store_save:
 *
 * Stores @data, which the caller has verified hashes to @id, durably: a
 * temporary file, fsync, then rename.
 */
gboolean
cx_content_store_save (
    CxContentStore *self, CxObjectKind kind, const CxChunkId *id, GBytes *data, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  gsize length;
  const char *bytes;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  path = object_path (self, kind, id);
  dir = g_path_get_dirname (path);
  if (!make_dir (dir, error))
    return FALSE;

  bytes = g_bytes_get_data (data, &length);
  return g_file_set_contents_full (path, bytes != NULL ? bytes : "", length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

void
cx_content_store_discard (CxContentStore *self, CxObjectKind kind, const CxChunkId *id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CX_IS_CONTENT_STORE (self));

  path = object_path (self, kind, id);
  g_unlink (path);
}

static char *
index_path (CxContentStore *self, gint64 hub_id)
{
  g_autofree char *name = g_strdup_printf ("hub-%lld.index", (long long) hub_id);

  return g_build_filename (self->path, name, NULL);
}

/* The last index accepted from a hub, verified by the caller. */
gboolean
cx_content_store_save_index (CxContentStore *self, gint64 hub_id, GBytes *index, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  path = index_path (self, hub_id);
  return g_file_set_contents_full (path, g_bytes_get_data (index, NULL), g_bytes_get_size (index),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/* Returns: (nullable): the bytes, to be verified again before use */
GBytes *
cx_content_store_load_index (CxContentStore *self, gint64 hub_id)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);

  path = index_path (self, hub_id);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

char *
cx_content_store_tree_path (CxContentStore *self, const char *tree)
{
  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);
  g_return_val_if_fail (tree != NULL && strchr (tree, '/') == NULL, NULL);

  return g_build_filename (self->path, TREES_DIR, tree, NULL);
}

/* A fresh name for every install, so the tree the app reads from is never
 * the one being written. */
char *
cx_content_store_new_tree_name (CxContentStore *self, const char *package_key, gint64 version)
{
  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);

  return g_strdup_printf ("%s-v%lld-%08x", package_key, (long long) version, g_random_int ());
}

/* The same name on every attempt, so an interrupted build is resumed. */
char *
cx_content_store_build_name (CxContentStore *self,
                             gint64 hub_id,
                             const char *package_key,
                             gint64 version)
{
  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), NULL);

  return g_strdup_printf (BUILD_PREFIX "%lld-%s-v%lld", (long long) hub_id, package_key,
                          (long long) version);
}

gboolean
cx_content_store_query_free_space (CxContentStore *self, guint64 *out_free, GError **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInfo) info = NULL;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  file = g_file_new_for_path (self->path);
  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, error);
  if (info == NULL)
    return FALSE;

  *out_free = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  return TRUE;
}

static int
remove_entry (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void) st;
  (void) ftw;

  /* Trees are made read-only; their folders stay writable, so this works. */
  if (type == FTW_DP)
    return g_rmdir (path) == 0 ? 0 : errno;
  return g_unlink (path) == 0 ? 0 : errno;
}

static gboolean
remove_recursively (const char *path, GError **error)
{
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* FTW_PHYS: never follow a symlink out of the tree. */
  rc = nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (rc != 0)
    {
      int saved = rc > 0 ? rc : errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Could not remove %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

gboolean
cx_content_store_remove_tree (CxContentStore *self, const char *tree, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  path = cx_content_store_tree_path (self, tree);
  return remove_recursively (path, error);
}

/**
 * cx_content_store_collect_trees:
 * @live_trees: the trees installed versions use
 *
 * Removes every tree nobody uses any more: those of removed or superseded
 * versions, and those left behind when the process died between
 * committing an install and deleting the old tree.  Unfinished builds stay,
 * to be resumed.
 */
gboolean
cx_content_store_collect_trees (CxContentStore *self, const char *const *live_trees, GError **error)
{
  g_autofree char *trees = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  trees = g_build_filename (self->path, TREES_DIR, NULL);
  dir = g_dir_open (trees, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, BUILD_PREFIX) || g_strv_contains (live_trees, name))
        continue;
      if (!cx_content_store_remove_tree (self, name, error))
        return FALSE;
    }

  return TRUE;
}

/* Makes the rename of a finished build into place durable. */
gboolean
cx_content_store_sync_trees (CxContentStore *self, GError **error)
{
  g_autofree char *trees = NULL;
  int fd, rc;

  g_return_val_if_fail (CX_IS_CONTENT_STORE (self), FALSE);

  trees = g_build_filename (self->path, TREES_DIR, NULL);
  fd = open (trees, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  rc = fd >= 0 ? fsync (fd) : -1;
  if (fd >= 0)
    close (fd);
  if (rc != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Could not write %s: %s"),
                   trees, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/**
 * cx_content_store_remove_other_builds:
 * @keep: (nullable): the build to keep
 *
 * Drops unfinished builds of a package's other versions: once the hub
 * offers a newer version, they will never be finished.
 */
void
cx_content_store_remove_other_builds (CxContentStore *self,
                                      gint64 hub_id,
                                      const char *package_key,
                                      const char *keep)
{
  g_autofree char *trees = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (CX_IS_CONTENT_STORE (self));

  trees = g_build_filename (self->path, TREES_DIR, NULL);
  prefix = g_strdup_printf (BUILD_PREFIX "%lld-%s-v", (long long) hub_id, package_key);
  dir = g_dir_open (trees, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_strcmp0 (name, keep) != 0)
      cx_content_store_remove_tree (self, name, NULL);
}

/* Staged chunks wait for an unfinished build; with no build left, nothing
 * will use them. */
void
cx_content_store_clear_staging_if_idle (CxContentStore *self)
{
  g_autofree char *trees = NULL;
  g_autofree char *staging = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (CX_IS_CONTENT_STORE (self));

  trees = g_build_filename (self->path, TREES_DIR, NULL);
  dir = g_dir_open (trees, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, BUILD_PREFIX))
      return;

  staging = g_build_filename (self->path, kind_dirs[CX_OBJECT_CHUNK], NULL);
  if (remove_recursively (staging, NULL))
    make_dir (staging, NULL);
}
