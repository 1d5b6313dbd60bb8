/* cx-reports-page-export.c: the Reports page's exports: the report, and the usage log of a range
 *
 * The file is chosen first (GtkFileChooserNative: the portal's dialog where
 * there is one), then app/ writes it in a worker thread while the page shows
 * the bar and Cancel. The format is the file name's extension, or else the
 * chosen filter's, which is then added to the name.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-report-export.h"
#include "cx-reports-page-private.h"
#include "cx-usage-export.h"

typedef void (*ChosenFunc) (CxReportsPage *self, const char *path, CxExportFormat format);

static const struct
{
  CxExportFormat format;
  const char *name;
  const char *extension;
} formats[] = {
  { CX_EXPORT_FORMAT_XLSX, N_ ("Spreadsheet (XLSX)"), "xlsx" },
  { CX_EXPORT_FORMAT_CSV, N_ ("Comma-separated values (CSV)"), "csv" },
  { CX_EXPORT_FORMAT_JSON, N_ ("JSON"), "json" },
};

static void
add_filter (GtkFileChooser *chooser, guint index)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", formats[index].extension);

  gtk_file_filter_set_name (filter, _ (formats[index].name));
  gtk_file_filter_add_pattern (filter, pattern);
  g_object_set_data (G_OBJECT (filter), "cx-format-index", GUINT_TO_POINTER (index + 1));
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  CxReportsPage *self = CX_REPORTS_PAGE (user_data);
  g_autoptr (GtkNativeDialog) keep = g_object_ref (chooser); /* the page lets go of it below */
  ChosenFunc chosen = g_object_get_data (G_OBJECT (chooser), "cx-chosen");
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  CxExportFormat format;

  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      _cx_reports_page_toast (self, _ ("Choose a file on this computer"));
      return;
    }
  if (!cx_export_format_from_path (path, &format))
    {
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
      guint index =
          filter != NULL
              ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (filter), "cx-format-index"))
              : 0;
      char *with_extension;

      index = index > 0 ? index - 1 : 0;
      with_extension = g_strdup_printf ("%s.%s", path, formats[index].extension);
      g_free (path);
      path = with_extension;
      format = formats[index].format;
    }
  chosen (self, path, format);
}

/* Asks where to save, offering @first_format onwards. */
static void
choose_file (CxReportsPage *self,
             const char *title,
             const char *suggested,
             guint first_format,
             ChosenFunc chosen)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));

  for (guint i = first_format; i < G_N_ELEMENTS (formats); i++)
    add_filter (GTK_FILE_CHOOSER (chooser), i);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "cx-chosen", chosen);
  /* Tied to the page: a chooser left open dies with it (see its dispose). */
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* @failure: what to say when @error is not a cancel */
static void
say_done (CxReportsPage *self, const char *path, const GError *error, const char *failure)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_ ("Export cancelled; nothing was written"));
  else if (error != NULL)
    text = g_strdup (failure);
  else
    text = g_strdup_printf (_ ("Exported “%s”"), name);
  _cx_reports_page_toast (self, text);
}

/* ---- the report ---- */

static void
report_exported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxReportsPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;

  if (!cx_report_export_finish (CX_STORE (source), result, &error))
    /* TRANSLATORS: %s is why, e.g. "Permission denied" */
    failure = g_strdup_printf (_ ("The report was not exported: %s"), error->message);
  if (self->exporting)
    _cx_reports_page_end (self);
  say_done (self, self->export_path, error, failure);
}

static void
report_chosen (CxReportsPage *self, const char *path, CxExportFormat format)
{
  CxStore *store = _cx_reports_page_get_store (self);

  if (store == NULL)
    return;
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  _cx_reports_page_begin (self, _ ("Exporting the report…"), TRUE);
  cx_report_export_async (store, self->year, self->month, format, path, self->cancellable,
                          _cx_reports_page_progress, self, report_exported_cb, g_object_ref (self));
}

static void
on_export_report_clicked (CxReportsPage *self)
{
  /* TRANSLATORS: the start of an exported report's file name, e.g. 村小月报-2026-10.xlsx */
  g_autofree char *name =
      g_strdup_printf ("%s-%04d-%02d.xlsx", _ ("monthly-report"), self->year, self->month);

  choose_file (self, _ ("Export Report"), name, 0, report_chosen);
}

/* ---- the usage log ---- */

static void
usage_exported_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxReportsPage) self = user_data;
  g_autoptr (GError) error = NULL;
  guint64 rows = 0;

  g_autofree char *failure = NULL;

  if (!cx_usage_export_finish (CX_STORE (source), result, &rows, &error))
    failure = g_strdup_printf (_ ("The usage log was not exported: %s"), error->message);
  if (self->exporting)
    _cx_reports_page_end (self);
  say_done (self, self->export_path, error, failure);
}

static void
usage_chosen (CxReportsPage *self, const char *path, CxExportFormat format)
{
  CxStore *store = _cx_reports_page_get_store (self);

  if (store == NULL)
    return;
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  _cx_reports_page_begin (self, _ ("Exporting the usage log…"), TRUE);
  cx_usage_export_async (store, self->usage_from, self->usage_to, format, path, self->cancellable,
                         _cx_reports_page_progress, self, usage_exported_cb, g_object_ref (self));
}

/* The range as typed: both days, or why not, under the entries. */
static gboolean
read_range (GtkWidget *dialog, gint64 *out_from, gint64 *out_to)
{
  GtkEditable *from = g_object_get_data (G_OBJECT (dialog), "cx-from");
  GtkEditable *to = g_object_get_data (G_OBJECT (dialog), "cx-to");
  GtkLabel *problem = g_object_get_data (G_OBJECT (dialog), "cx-problem");
  g_autoptr (GError) error = NULL;
  gboolean ok = cx_usage_parse_range (gtk_editable_get_text (from), gtk_editable_get_text (to),
                                      out_from, out_to, &error);

  gtk_label_set_text (problem, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (problem), !ok);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "choose", ok);
  return ok;
}

static void
on_range_changed (GtkEditable *editable, GtkWidget *dialog)
{
  gint64 from, to;

  read_range (dialog, &from, &to);
}

static void
range_response_cb (AdwMessageDialog *dialog, const char *response, CxReportsPage *self)
{
  g_autofree char *name = NULL;
  gint64 from, to;

  if (g_strcmp0 (response, "choose") != 0 || !read_range (GTK_WIDGET (dialog), &from, &to))
    return;
  /* The range rides on the page until the file is chosen. */
  self->usage_from = from;
  self->usage_to = to;
  /* TRANSLATORS: the start of an exported usage log's file name, e.g.
   * 使用记录-2026-10-01-2026-10-31.csv */
  name = g_strdup_printf (
      "%s-%s-%s.csv", _ ("usage-log"),
      gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "cx-from"))),
      gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "cx-to"))));
  choose_file (self, _ ("Export Usage Log"), name, 1, usage_chosen);
}

static GtkWidget *
add_date_entry (GtkWidget *grid, int row, const char *title, const char *text)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("YYYY-MM-DD"));
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  return entry;
}

static void
on_export_usage_clicked (CxReportsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Export Usage Log"),
      _ ("Every usage record from the first day to the last, both included."));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *problem = gtk_label_new (NULL);
  g_autoptr (GDateTime) first = g_date_time_new_local (self->year, self->month, 1, 0, 0, 0);
  g_autoptr (GDateTime) next = g_date_time_add_months (first, 1);
  g_autoptr (GDateTime) last = g_date_time_add_days (next, -1);
  g_autofree char *from_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *to_text = g_date_time_format (last, "%Y-%m-%d");
  GtkWidget *from, *to;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  from = add_date_entry (grid, 0, _ ("From"), from_text);
  to = add_date_entry (grid, 1, _ ("To"), to_text);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_set_visible (problem, FALSE);
  gtk_grid_attach (GTK_GRID (grid), problem, 0, 2, 2, 1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Cancel"), "choose",
                                    _ ("Choose File…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "choose",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "choose");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "cx-from", from);
  g_object_set_data (G_OBJECT (dialog), "cx-to", to);
  g_object_set_data (G_OBJECT (dialog), "cx-problem", problem);
  g_signal_connect (from, "changed", G_CALLBACK (on_range_changed), dialog);
  g_signal_connect (to, "changed", G_CALLBACK (on_range_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (range_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_cx_reports_page_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_export_report_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_usage_clicked);
}
