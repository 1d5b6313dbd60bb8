/* cx-hub-publish.c: `cunxiao-hub publish` adds a package version to a repository */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include <glib/gi18n.h>

#include "cx-hub.h"
#include "cx-repo-index.h"
#include "cx-repo-writer.h"

#define DEFAULT_EXPIRES_DAYS 7
#define PACKAGE_JSON         "package.json"
#define PACKAGE_JSON_MAX     (4 * 1024 * 1024)

static gboolean G_GNUC_PRINTF (2, 3) bad_json (GError **error, const char *format, ...);

static gboolean
bad_json (GError **error, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("package.json: %s"), detail);
  return FALSE;
}

static gboolean
check_members (JsonObject *object, const char *where, const char *const *allowed, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad_json (error, _ ("unknown member “%s” in %s"), (const char *) l->data, where);
  return TRUE;
}

/* A string member; NULL with @error set when missing (if @required) or of
 * the wrong type. */
static gboolean
get_string (JsonObject *object,
            const char *name,
            const char *where,
            gboolean required,
            const char **out,
            GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = "";
  if (node == NULL)
    return !required || bad_json (error, _ ("%s needs “%s”"), where, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_json (error, _ ("“%s” in %s must be a string"), name, where);
  *out = json_node_get_string (node);
  if (required && **out == '\0')
    return bad_json (error, _ ("“%s” in %s must not be empty"), name, where);
  return TRUE;
}

static gboolean
get_array (JsonObject *object, const char *name, const char *where, JsonArray **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad_json (error, _ ("“%s” in %s must be a list"), name, where);
  *out = json_node_get_array (node);
  return TRUE;
}

static GStrv
get_files (JsonObject *object, const char *where, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *files;

  if (!get_array (object, "files", where, &files, error))
    return NULL;
  for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          bad_json (error, _ ("the files of %s must be strings"), where);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
get_object (JsonArray *array, guint i, const char *what, GError **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_json (error, _ ("each of the %s must be an object"), what);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
add_lessons (CxManifest *manifest, const char *unit_id, JsonObject *unit, GError **error)
{
  static const char *const allowed[] = { "id", "title", "files", NULL };
  JsonArray *lessons;

  if (!get_array (unit, "lessons", unit_id, &lessons, error))
    return FALSE;

  for (guint i = 0; lessons != NULL && i < json_array_get_length (lessons); i++)
    {
      JsonObject *lesson = get_object (lessons, i, _ ("lessons"), error);
      g_auto (GStrv) files = NULL;
      const char *id, *title;

      if (lesson == NULL || !check_members (lesson, unit_id, allowed, error) ||
          !get_string (lesson, "id", unit_id, TRUE, &id, error) ||
          !get_string (lesson, "title", id, TRUE, &title, error))
        return FALSE;
      files = get_files (lesson, id, error);
      if (files == NULL || !cx_manifest_add_lesson (manifest, unit_id, id, title,
                                                    (const char *const *) files, error))
        return FALSE;
    }

  return TRUE;
}

/* The course tree: every file a unit or lesson names must be in the
 * package, which cx_manifest_add_unit() checks. */
static gboolean
add_units (CxManifest *manifest, JsonObject *root, GError **error)
{
  static const char *const allowed[] = { "id", "title", "files", "lessons", NULL };
  JsonArray *units;

  if (!get_array (root, "units", PACKAGE_JSON, &units, error))
    return FALSE;

  for (guint i = 0; units != NULL && i < json_array_get_length (units); i++)
    {
      JsonObject *unit = get_object (units, i, _ ("units"), error);
      g_auto (GStrv) files = NULL;
      const char *id, *title;

      if (unit == NULL || !check_members (unit, _ ("a unit"), allowed, error) ||
          !get_string (unit, "id", _ ("a unit"), TRUE, &id, error) ||
          !get_string (unit, "title", id, TRUE, &title, error))
        return FALSE;
      files = get_files (unit, id, error);
      if (files == NULL ||
          !cx_manifest_add_unit (manifest, id, title, (const char *const *) files, error) ||
          !add_lessons (manifest, id, unit, error))
        return FALSE;
    }

  return TRUE;
}

static JsonParser *
read_package_json (const char *src, JsonObject **out_root, GError **error)
{
  static const char *const allowed[] = {
    "id", "title", "subject", "grade", "edition", "units", NULL
  };
  g_autofree char *path = g_build_filename (src, PACKAGE_JSON, NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (length > PACKAGE_JSON_MAX)
    {
      bad_json (error, _ ("the file is too large"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      bad_json (error, _ ("it must hold a JSON object"));
      return NULL;
    }

  *out_root = json_node_get_object (json_parser_get_root (parser));
  if (!check_members (*out_root, PACKAGE_JSON, allowed, error))
    return NULL;
  return g_steal_pointer (&parser);
}

/* Lists the package's files, by path; refuses anything but regular files
 * and folders, so nothing a manifest cannot describe is silently left out. */
static gboolean
collect_files (GFile *root, GFile *dir, GPtrArray *paths, GError **error)
{
  g_autoptr (GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (
      dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
      G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (children == NULL)
    return FALSE;

  while (g_file_enumerator_iterate (children, &info, NULL, NULL, error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      g_autoptr (GFile) child = g_file_get_child (dir, name);
      g_autofree char *relative = g_file_get_relative_path (root, child);

      if (name[0] == '.' || g_strcmp0 (relative, PACKAGE_JSON) == 0)
        continue;

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          if (!collect_files (root, child, paths, error))
            return FALSE;
          break;
        case G_FILE_TYPE_REGULAR:
          g_ptr_array_add (paths, g_steal_pointer (&relative));
          break;
        case G_FILE_TYPE_SYMBOLIC_LINK:
        case G_FILE_TYPE_SPECIAL:
        case G_FILE_TYPE_SHORTCUT:
        case G_FILE_TYPE_MOUNTABLE:
        case G_FILE_TYPE_UNKNOWN:
        default:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                       _ ("%s is not a regular file or folder; a package holds only those"),
                       g_file_peek_path (child));
          return FALSE;
        }
    }

  return error == NULL || *error == NULL;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
add_files (CxRepoWriter *writer,
           CxManifest *manifest,
           const char *src,
           CxPublishStats *stats,
           GError **error)
{
  g_autoptr (GFile) root = g_file_new_for_path (src);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (!collect_files (root, root, paths, error))
    return FALSE;
  g_ptr_array_sort (paths, compare_paths);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr (GFile) file = g_file_resolve_relative_path (root, path);
      g_autoptr (GFileInfo) info = NULL;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_UNIX_MODE,
                                G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
      if (info == NULL)
        return FALSE;
      g_print ("  %s\n", path);
      if (!cx_repo_writer_add_file (
              writer, manifest, path, file,
              g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 0777, stats,
              NULL, error))
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
publish (const char *src,
         const char *repo,
         const char *key_file,
         const char *repository_id,
         int expires_days,
         GError **error)
{
  g_autoptr (CxSigningKey) key = NULL;
  g_autoptr (CxRepoWriter) writer = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (CxManifest) manifest = NULL;
  g_autofree char *size = NULL;
  CxPublishStats stats = { 0 };
  JsonObject *root = NULL;
  const char *id, *title, *subject, *grade, *edition;

  parser = read_package_json (src, &root, error);
  if (parser == NULL)
    return FALSE;
  if (!get_string (root, "id", PACKAGE_JSON, TRUE, &id, error) ||
      !get_string (root, "title", PACKAGE_JSON, TRUE, &title, error) ||
      !get_string (root, "subject", PACKAGE_JSON, FALSE, &subject, error) ||
      !get_string (root, "grade", PACKAGE_JSON, FALSE, &grade, error) ||
      !get_string (root, "edition", PACKAGE_JSON, FALSE, &edition, error))
    return FALSE;
  if (!cx_repo_validate_id (id, error))
    return FALSE;

  key = cx_signing_key_load (key_file, error);
  if (key == NULL)
    return FALSE;
  writer = cx_repo_writer_open (repo, key, repository_id, error);
  if (writer == NULL)
    return FALSE;

  manifest = cx_manifest_new (id, cx_repo_writer_next_version (writer, id));
  cx_manifest_set_metadata (manifest, title, subject, grade, edition);
  g_print (_ ("Publishing %s version %llu:\n"), id,
           (unsigned long long) cx_manifest_get_version (manifest));

  if (!add_files (writer, manifest, src, &stats, error) || !add_units (manifest, root, error) ||
      !cx_repo_writer_commit (writer, manifest, (gint64) expires_days * 24 * 3600, &stats, error))
    return FALSE;

  size = g_format_size (stats.pack_bytes);
  g_print (_ ("Published %s version %llu to repository “%s”: %u files, %u new chunks (a %s "
              "pack), %u chunks already in the repository\n"),
           id, (unsigned long long) stats.version, cx_repo_writer_get_repository_id (writer),
           stats.files, stats.chunks_new, size, stats.chunks_reused);
  return TRUE;
}

int
cx_hub_command_publish (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("SRC_DIR"));
  g_autoptr (GError) error = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *key = NULL;
  g_autofree char *repository_id = NULL;
  int expires_days = DEFAULT_EXPIRES_DAYS;
  const GOptionEntry entries[] = {
    { "repo", 'r', 0, G_OPTION_ARG_FILENAME, &repo, N_ ("The repository to publish into"),
      N_ ("DIR") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key, N_ ("The repository’s secret key file"),
      N_ ("FILE") },
    { "repository-id", 'i', 0, G_OPTION_ARG_STRING, &repository_id,
      N_ ("The repository’s id (needed the first time)"), N_ ("ID") },
    { "expires-days", 'e', 0, G_OPTION_ARG_INT, &expires_days,
      N_ ("Days until clients stop trusting this index unless it is re-signed (default 7)"),
      N_ ("DAYS") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Publish a new version of the package in SRC_DIR, described by its "
                  "package.json. Chunks the repository already holds are reused; the new index "
                  "replaces the old one only once everything else is written."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc != 2)
    return cx_hub_usage (_ ("Give the package’s folder"));
  if (repo == NULL || key == NULL)
    return cx_hub_usage (_ ("Give the repository with --repo DIR and the key with --key FILE"));
  if (expires_days < 1 || expires_days > 366)
    return cx_hub_usage (_ ("--expires-days must be between 1 and 366"));

  if (!publish (argv[1], repo, key, repository_id, expires_days, &error))
    {
      g_printerr (_ ("cunxiao-hub: nothing was published: %s\n"), error->message);
      return CX_HUB_EXIT_FAILED;
    }

  return CX_HUB_EXIT_OK;
}

int
cx_hub_command_resign (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSigningKey) signing_key = NULL;
  g_autoptr (CxRepoWriter) writer = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *key = NULL;
  int expires_days = DEFAULT_EXPIRES_DAYS;
  const GOptionEntry entries[] = {
    { "repo", 'r', 0, G_OPTION_ARG_FILENAME, &repo, N_ ("The repository to re-sign"), N_ ("DIR") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key, N_ ("The repository’s secret key file"),
      N_ ("FILE") },
    { "expires-days", 'e', 0, G_OPTION_ARG_INT, &expires_days,
      N_ ("Days until clients stop trusting this index unless it is re-signed (default 7)"),
      N_ ("DAYS") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Sign the repository’s index again with a fresh expiry. Run it daily, so "
                  "that schools can tell a current repository from a frozen one."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc != 1)
    return cx_hub_usage (_ ("“resign” takes no arguments"));
  if (repo == NULL || key == NULL)
    return cx_hub_usage (_ ("Give the repository with --repo DIR and the key with --key FILE"));
  if (expires_days < 1 || expires_days > 366)
    return cx_hub_usage (_ ("--expires-days must be between 1 and 366"));

  signing_key = cx_signing_key_load (key, &error);
  if (signing_key != NULL)
    writer = cx_repo_writer_open (repo, signing_key, NULL, &error);
  if (writer == NULL || !cx_repo_writer_resign (writer, (gint64) expires_days * 24 * 3600, &error))
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }

  g_print (_ ("Re-signed the index of repository “%s”\n"),
           cx_repo_writer_get_repository_id (writer));
  return CX_HUB_EXIT_OK;
}
