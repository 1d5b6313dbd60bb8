/* cx-hub-publish.c: `cunxiao-hub publish` adds a package version to a repository */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cx-hub.h"
#include "cx-json-private.h"
#include "cx-repo-index.h"
#include "cx-repo-writer.h"

#define PACKAGE_JSON     "package.json"
#define PACKAGE_JSON_MAX (4 * 1024 * 1024)
#define TEXT_MAX         4096

typedef struct
{
  const char *src;
  JsonObject *root;
} PackageJson;

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

/* Refusing unknown members catches typos such as "lesson" for "lessons",
 * which would otherwise publish a course with nothing in it. */
static gboolean
check_members (JsonObject *object, const char *where, const char *const *allowed, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return bad_json (error, _ ("unknown member “%s” in %s"), (const char *) l->data, where);
  return TRUE;
}

static gboolean
get_text (JsonObject *object,
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
  if (strlen (*out) > TEXT_MAX)
    return bad_json (error, _ ("“%s” in %s is longer than %d bytes"), name, where, TEXT_MAX);
  return TRUE;
}

static gboolean
get_id (JsonObject *object, const char *where, const char **out, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (!get_text (object, "id", where, TRUE, out, error))
    return FALSE;
  if (!cx_repo_validate_id (*out, &local_error))
    return bad_json (error, "%s", local_error->message);
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

static JsonObject *
get_object (JsonArray *array, guint i, const char *where, GError **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_json (error, _ ("each entry of “%s” must be an object"), where);
      return NULL;
    }
  return json_node_get_object (node);
}

/* A path a unit or lesson names must be a regular file of the tree that
 * the publish walk keeps (no dotfiles, not package.json itself). */
static gboolean
check_file (const PackageJson *package, const char *path, const char *where, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *source = NULL;
  g_auto (GStrv) parts = NULL;
  GStatBuf st;

  if (!cx_manifest_validate_path (path, -1, &local_error))
    return bad_json (error, _ ("%s names “%s”: %s"), where, path, local_error->message);

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '.')
      return bad_json (error, _ ("%s names “%s”, but dotfiles are not published"), where, path);
  if (strcmp (path, PACKAGE_JSON) == 0)
    return bad_json (error, _ ("%s names package.json, which is not published"), where);

  source = g_build_filename (package->src, path, NULL);
  if (g_lstat (source, &st) != 0 || !S_ISREG (st.st_mode))
    return bad_json (error, _ ("%s names “%s”, which is not a file of the package"), where, path);
  return TRUE;
}

static GStrv
get_files (const PackageJson *package, JsonObject *object, const char *where, GError **error)
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
      if (!check_file (package, json_node_get_string (node), where, error))
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

/* Walks the course tree; checks it when @manifest is NULL, otherwise adds
 * it to @manifest.  One walk for both keeps the two from disagreeing. */
static gboolean
apply_units (const PackageJson *package, CxManifest *manifest, GError **error)
{
  static const char *const unit_members[] = { "id", "title", "files", "lessons", NULL };
  static const char *const lesson_members[] = { "id", "title", "files", NULL };
  g_autoptr (GHashTable) unit_ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *units;

  if (!get_array (package->root, "units", PACKAGE_JSON, &units, error))
    return FALSE;

  for (guint u = 0; units != NULL && u < json_array_get_length (units); u++)
    {
      g_autoptr (GHashTable) lesson_ids = g_hash_table_new (g_str_hash, g_str_equal);
      JsonObject *unit = get_object (units, u, "units", error);
      g_autofree char *where = NULL;
      g_auto (GStrv) files = NULL;
      JsonArray *lessons;
      const char *id, *title;

      if (unit == NULL || !get_id (unit, _ ("a unit"), &id, error))
        return FALSE;
      where = g_strdup_printf (_ ("unit “%s”"), id);
      if (!g_hash_table_add (unit_ids, (gpointer) id))
        return bad_json (error, _ ("%s appears twice"), where);
      if (!check_members (unit, where, unit_members, error) ||
          !get_text (unit, "title", where, TRUE, &title, error) ||
          !get_array (unit, "lessons", where, &lessons, error))
        return FALSE;
      files = get_files (package, unit, where, error);
      if (files == NULL)
        return FALSE;
      if (manifest != NULL &&
          !cx_manifest_add_unit (manifest, id, title, (const char *const *) files, error))
        return FALSE;

      for (guint l = 0; lessons != NULL && l < json_array_get_length (lessons); l++)
        {
          JsonObject *lesson = get_object (lessons, l, "lessons", error);
          g_autofree char *lesson_where = NULL;
          g_auto (GStrv) lesson_files = NULL;
          const char *lesson_id, *lesson_title;

          if (lesson == NULL || !get_id (lesson, where, &lesson_id, error))
            return FALSE;
          lesson_where = g_strdup_printf (_ ("lesson “%s” of unit “%s”"), lesson_id, id);
          if (!g_hash_table_add (lesson_ids, (gpointer) lesson_id))
            return bad_json (error, _ ("%s appears twice"), lesson_where);
          if (!check_members (lesson, lesson_where, lesson_members, error) ||
              !get_text (lesson, "title", lesson_where, TRUE, &lesson_title, error))
            return FALSE;
          lesson_files = get_files (package, lesson, lesson_where, error);
          if (lesson_files == NULL)
            return FALSE;
          if (manifest != NULL &&
              !cx_manifest_add_lesson (manifest, id, lesson_id, lesson_title,
                                       (const char *const *) lesson_files, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
add_units_cb (CxManifest *manifest, gpointer user_data, GError **error)
{
  return apply_units (user_data, manifest, error);
}

/* Reads and checks SRC_DIR/package.json, before anything is chunked. */
static JsonNode *
read_package_json (const char *src, CxPackageInfo *info, GError **error)
{
  static const char *const allowed[] = {
    "id", "title", "subject", "grade", "edition", "units", NULL
  };
  g_autofree char *path = g_build_filename (src, PACKAGE_JSON, NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) local_error = NULL;
  PackageJson package = { src, NULL };
  JsonObject *object;
  GStatBuf st;
  gsize length;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _ ("%s is missing; it describes the package"), display);
      return NULL;
    }
  if (st.st_size > PACKAGE_JSON_MAX)
    {
      bad_json (error, _ ("the file is too large"));
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  root = _cx_json_parse_strict (text, length, &local_error);
  if (root == NULL)
    {
      bad_json (error, "%s", local_error->message);
      return NULL;
    }

  object = json_node_get_object (root);
  package.root = object;
  if (!check_members (object, PACKAGE_JSON, allowed, error) ||
      !get_id (object, PACKAGE_JSON, &info->id, error) ||
      !get_text (object, "title", PACKAGE_JSON, TRUE, &info->title, error) ||
      !get_text (object, "subject", PACKAGE_JSON, FALSE, &info->subject, error) ||
      !get_text (object, "grade", PACKAGE_JSON, FALSE, &info->grade, error) ||
      !get_text (object, "edition", PACKAGE_JSON, FALSE, &info->edition, error) ||
      !apply_units (&package, NULL, error))
    return NULL;

  return g_steal_pointer (&root);
}

static void
file_added_cb (CxRepoWriter *writer, const char *path, guint64 size, gpointer user_data)
{
  g_autofree char *text = g_format_size (size);

  g_print ("  %s (%s)\n", path, text);
}

static void
print_summary (const char *package_id, CxRepoWriter *writer, const CxPublishStats *stats)
{
  g_autofree char *in = g_format_size (stats->bytes_in);
  g_autofree char *pack = g_format_size (stats->pack_bytes);
  g_autofree char *deltas = g_format_size (stats->delta_bytes);

  g_print (_ ("Published %s version %llu to repository “%s”\n"), package_id,
           (unsigned long long) stats->version, cx_repo_writer_get_repository_id (writer));
  g_print (_ ("  files: %u (%s)\n"), stats->files, in);
  g_print (_ ("  chunks: %u new, %u reused\n"), stats->chunks_new, stats->chunks_reused);
  g_print (_ ("  new pack: %s (%llu bytes)\n"), pack, (unsigned long long) stats->pack_bytes);
  g_print (_ ("  deltas: %u, covering %u files: %s (%llu bytes)\n"), stats->n_deltas,
           stats->delta_files, deltas, (unsigned long long) stats->delta_bytes);
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
  g_autoptr (JsonNode) root = NULL;
  CxPackageInfo info = { 0 };
  CxPublishStats stats = { 0 };
  PackageJson package = { src, NULL };

  root = read_package_json (src, &info, error);
  if (root == NULL)
    return FALSE;
  package.root = json_node_get_object (root);
  info.add_units = add_units_cb;
  info.user_data = &package;

  if (repository_id == NULL)
    {
      g_autofree char *index = g_build_filename (repo, "v1", "index", NULL);

      if (!g_file_test (index, G_FILE_TEST_EXISTS))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _ ("This is a new repository: give it an id with --repository-id"));
          return FALSE;
        }
    }

  key = cx_signing_key_load (key_file, error);
  if (key == NULL)
    return FALSE;
  writer = cx_repo_writer_open (repo, key, repository_id, error);
  if (writer == NULL)
    return FALSE;
  cx_repo_writer_set_expires_days (writer, (guint) expires_days);
  g_signal_connect (writer, "file-added", G_CALLBACK (file_added_cb), NULL);

  g_print (_ ("Publishing %s:\n"), info.id);
  if (!cx_repo_writer_publish_tree (writer, src, &info, NULL, &stats, NULL, error))
    return FALSE;

  print_summary (info.id, writer, &stats);
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
  int expires_days = CX_REPO_WRITER_DEFAULT_EXPIRES_DAYS;
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
