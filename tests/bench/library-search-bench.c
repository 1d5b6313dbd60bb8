/* library-search-bench.c: search per keystroke, in process
 *
 *   library-search-bench [--rounds N] [--json] DATA_DIR [QUERY…]
 *
 * Opens the store in DATA_DIR as the app does, reads the library for
 * searching (cx_library_prepare_search(), in a worker, as the app does
 * after its window is up) and times what the Library page runs on the
 * main thread: cx_library_search() (limit 50) for every
 * prefix of each query, typed one character at a time; clearing the search
 * (cx_library_list_packages(), which the page reloads when the text is
 * emptied); expanding a package (its loader: manifest and resources); and
 * the course tree as the page shows it, every package's loader run.
 * Each prefix runs once per round; the first round follows opening the
 * store, as the first keystrokes after starting the app do. Prints one line
 * per prefix and median, p95 and max; with --json, one JSON object instead.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "cx-library.h"
#include "cx-store.h"

#define SEARCH_LIMIT 50 /* as in ui/gtk/cx-library-page.c */

static const char *const default_queries[] = {
  "乘法",  "两位数乘法", "古诗",   "静夜思",    "认识", "练习一",
  "第3课", "math",       "unit 3", "worksheet", NULL,
};

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, index);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

int
main (int argc, char **argv)
{
  gint rounds = 3;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Times each prefix is searched (default 3)",
      "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATA_DIR [QUERY…]");
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = NULL;
  g_autoptr (CxLibrary) library = NULL;
  g_autoptr (GListModel) packages = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) rows = g_string_new (NULL);
  const char *const *queries = default_queries;
  double open_ms, new_ms, index_ms, list_ms, expand_ms, tree_ms;
  guint n_packages, n_units = 0;
  gint64 start;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || rounds < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: library-search-bench DATA_DIR");
      return 2;
    }
  if (argc > 2)
    queries = (const char *const *) argv + 2;

  start = g_get_monotonic_time ();
  store = cx_store_open (argv[1], &error);
  open_ms = ms_since (start);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  library = cx_library_new (store, &error);
  new_ms = ms_since (start);
  if (library == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* The app starts this soon after its window is up; searches wait for
   * nothing meanwhile (they go to the store). */
  start = g_get_monotonic_time ();
  cx_library_prepare_search (library);
  while (!cx_library_get_search_ready (library))
    g_main_context_iteration (NULL, TRUE);
  index_ms = ms_since (start);

  for (gint round = 0; round < rounds; round++)
    for (guint q = 0; queries[q] != NULL; q++)
      {
        const char *query = queries[q];

        for (const char *end = g_utf8_next_char (query);; end = g_utf8_next_char (end))
          {
            g_autofree char *prefix = g_strndup (query, end - query);
            g_autoptr (GListModel) results = NULL;
            double ms;

            start = g_get_monotonic_time ();
            results = cx_library_search (library, prefix, SEARCH_LIMIT, &error);
            ms = ms_since (start);
            if (results == NULL)
              {
                g_printerr ("“%s”: %s\n", prefix, error->message);
                return 1;
              }
            g_array_append_val (all, ms);
            if (round == 0)
              g_array_append_val (first, ms);
            if (round == rounds - 1)
              {
                guint n = g_list_model_get_n_items (results);
                g_autoptr (CxCourseNode) top = n > 0 ? g_list_model_get_item (results, 0) : NULL;

                if (json)
                  {
                    /* The first titles, best first: what the results list shows. */
                    g_string_append_printf (rows, "%s{\"prefix\": ", rows->len > 0 ? ", " : "");
                    json_string (rows, prefix);
                    g_string_append_printf (rows, ", \"results\": %u, \"ms\": %.3f, \"first\": [",
                                            n, ms);
                    for (guint i = 0; i < n && i < 5; i++)
                      {
                        g_autoptr (CxCourseNode) node = g_list_model_get_item (results, i);

                        if (i > 0)
                          g_string_append (rows, ", ");
                        json_string (rows, cx_course_node_get_title (node));
                      }
                    g_string_append (rows, "]}");
                  }
                else
                  g_print ("%-24s %4u results %8.2f ms  %s\n", prefix, n, ms,
                           top != NULL ? cx_course_node_get_title (top) : "");
              }
            if (*end == '\0')
              break;
          }
      }

  /* Emptying the search shows the course tree again: list the packages. */
  start = g_get_monotonic_time ();
  packages = cx_library_list_packages (library, &error);
  list_ms = ms_since (start);
  if (packages == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  n_packages = g_list_model_get_n_items (packages);

  /* Expanding the first package: its loader reads the manifest and resources. */
  expand_ms = 0;
  if (n_packages > 0)
    {
      g_autoptr (CxCourseNode) node = g_list_model_get_item (packages, 0);

      start = g_get_monotonic_time ();
      n_units = g_list_model_get_n_items (cx_course_node_get_children (node));
      expand_ms = ms_since (start);
    }

  /* Every package expanded once: each package's loader run. (The page
   * itself runs a loader only when its row is expanded: folded rows get a
   * child model that loads nothing, cx-course-children.c.) */
  {
    g_autoptr (GListModel) again = NULL;

    start = g_get_monotonic_time ();
    again = cx_library_list_packages (library, &error);
    for (guint i = 0; again != NULL && i < g_list_model_get_n_items (again); i++)
      {
        g_autoptr (CxCourseNode) node = g_list_model_get_item (again, i);

        cx_course_node_get_children (node);
      }
    tree_ms = ms_since (start);
  }

  g_array_sort (all, compare_doubles);
  g_array_sort (first, compare_doubles);
  if (json)
    {
      g_string_append_printf (out,
                              "{\"open_ms\": %.3f, \"library_new_ms\": %.3f,"
                              " \"search_index_ms\": %.3f, \"keystrokes\": %u,"
                              " \"rounds\": %d, \"median_ms\": %.3f, \"p95_ms\": %.3f,"
                              " \"max_ms\": %.3f, \"first_round_median_ms\": %.3f,"
                              " \"first_round_max_ms\": %.3f, \"list_packages_ms\": %.3f,"
                              " \"packages\": %u, \"expand_package_ms\": %.3f, \"units\": %u,"
                              " \"load_every_package_ms\": %.3f, \"prefixes\": [%s]}\n",
                              open_ms, new_ms, index_ms, all->len, rounds, percentile (all, 0.5),
                              percentile (all, 0.95), percentile (all, 1), percentile (first, 0.5),
                              percentile (first, 1), list_ms, n_packages, expand_ms, n_units,
                              tree_ms, rows->str);
      g_print ("%s", out->str);
      return 0;
    }
  g_print ("\nopen the store %.1f ms, the library %.1f ms, read it for searching %.1f ms\n",
           open_ms, new_ms, index_ms);
  g_print ("%u keystrokes × %d rounds: median %.2f ms, p95 %.2f ms, max %.2f ms"
           " (first round: median %.2f ms, max %.2f ms)\n",
           first->len, rounds, percentile (all, 0.5), percentile (all, 0.95), percentile (all, 1),
           percentile (first, 0.5), percentile (first, 1));
  g_print ("clearing the search (list %u packages): %.2f ms\n", n_packages, list_ms);
  g_print ("expanding a package (%u units): %.2f ms\n", n_units, expand_ms);
  g_print ("listing the packages and loading every one's course tree: %.2f ms\n", tree_ms);
  return 0;
}
