/* cx-hub-timetable.c: `cunxiao-hub timetable --import FILE` publishes the district's timetable */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hub-db.h"
#include "cx-hub.h"
#include "cx-json-private.h"

#define MAX_IMPORT_SIZE (16 * 1024 * 1024)

/* A JSON array of entries (PROTOCOL.md §10.7), every one checked before
 * any is stored. */
static GPtrArray *
read_entries (const char *path, GError **error)
{
  g_autoptr (GPtrArray) records =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cx_timetable_record_free);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *data = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonArray *array;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  if (length > MAX_IMPORT_SIZE ||
      !json_parser_load_from_data (parser, data, (gssize) length, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("%s is too large"), path);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("%s must hold a JSON array of timetable entries"), path);
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr (GError) local = NULL;
      CxTimetableRecord *record =
          JSON_NODE_HOLDS_OBJECT (node)
              ? cx_timetable_record_new_from_json (json_node_get_object (node), &local)
              : NULL;

      if (record == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("Entry %u of %s: %s"), i + 1,
                       path, local != NULL ? local->message : _ ("not an object"));
          return NULL;
        }
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

int
cx_hub_command_timetable (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxHubDb) db = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *import = NULL;
  guint changed = 0;
  const GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_ ("The hub’s data folder"), N_ ("DIR") },
    { "import", 'i', 0, G_OPTION_ARG_FILENAME, &import,
      N_ ("A JSON array of the district’s timetable entries"), N_ ("FILE") },
    { NULL },
  };

  g_option_context_set_summary (
      context, _ ("Publish the district’s shared timetable (大课表). Entries are added or "
                  "replaced by their id; schools receive what changed at their next sync."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cx_hub_usage (error->message);
  if (argc > 1)
    return cx_hub_usage (_ ("“timetable” takes no arguments"));
  if (data_dir == NULL || import == NULL)
    return cx_hub_usage (_ ("Give the hub’s data folder with --data and the file with --import"));

  records = read_entries (import, &error);
  db = records != NULL ? cx_hub_db_open (data_dir, &error) : NULL;
  if (db == NULL || !cx_hub_db_import_timetable (db, records, &changed, &error))
    {
      g_printerr ("cunxiao-hub: %s\n", error->message);
      return CX_HUB_EXIT_FAILED;
    }
  g_print (_ ("%u of %u timetable entries were new or changed\n"), changed, records->len);
  return CX_HUB_EXIT_OK;
}
