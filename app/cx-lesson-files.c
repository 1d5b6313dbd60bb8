/* cx-lesson-files.c: the teacher's own files, kept in the store */
#include "config.h"

#include <string.h>

#include "cx-kept-files.h"
#include "cx-lesson-files.h"
#include "cx-store-lessons.h"

#define FOLDER "lesson-files"

/* ".pdf" for "讲义.PDF"; NULL when there is no plain extension. */
static char *
extension_of (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name || strlen (dot) > 8)
    return NULL;
  for (const char *p = dot + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;
  return g_ascii_strdown (dot, -1);
}

/**
 * cx_lesson_files_add:
 * @path: the teacher's file
 *
 * Copies the file in and appends it to plan @plan_id, titled by its name.
 *
 * Returns: the new item's id, or 0 with @error set (nothing added)
 */
gint64
cx_lesson_files_add (
    CxStore *store, gint64 plan_id, const char *path, GCancellable *cancellable, GError **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *extension = extension_of (name);
  g_autofree char *hash = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *title = NULL;
  CxLessonItem item = { 0 };
  guint64 size = 0;

  if (!cx_kept_file_copy_in (store, FOLDER, path, CX_LESSON_FILE_MAX_SIZE, extension, &hash, &size,
                             cancellable, error))
    return 0;

  relative = g_strdup_printf ("%s/%.2s/%s%s", FOLDER, hash, hash, extension ? extension : "");
  title =
      extension != NULL ? g_strndup (name, strlen (name) - strlen (extension)) : g_strdup (name);
  item.plan_id = plan_id;
  item.file_path = relative;
  item.title = title;
  return cx_store_add_lesson_item (store, &item, error);
}

/* The absolute path of an item's file_path, which is relative to the data
 * folder. */
char *
cx_lesson_files_get_path (CxStore *store, const char *file_path)
{
  return g_build_filename (cx_store_get_data_dir (store), file_path, NULL);
}
