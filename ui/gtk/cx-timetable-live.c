/* cx-timetable-live.c: a synchronous class's live stream, and what to open instead
 *
 * A village link often cannot carry the live stream, or drops it. The
 * class then goes on with a file of its package kept on this computer
 * (the entry's fallback). Whether the stream's server answers is tried
 * once when the class is shown, so the teacher sees which of the two to
 * use before the pupils wait; joining stays possible either way.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-library.h"
#include "cx-timetable-live.h"
#include "cx-usage-events.h"
#include "cx-window.h"

/* Long enough for a 600 ms link, short enough not to keep a class waiting. */
#define PROBE_TIMEOUT_SECONDS 8

struct _CxTimetableLive
{
  AdwBin parent_instance;

  AdwActionRow *stream_row;
  GtkStack *stream_state;
  GtkSpinner *checking_spinner;
  GtkWidget *join_button;
  AdwActionRow *instead_row;
  GtkWidget *instead_button;

  CxApplication *app; /* not owned: it outlives its windows */
  char *uuid;
  char *live_url;
  gint64 instead_id; /* the fallback's resource, 0 when it cannot be opened */
  GCancellable *probing;
};

G_DEFINE_FINAL_TYPE (CxTimetableLive, cx_timetable_live, ADW_TYPE_BIN)

static void
record (CxTimetableLive *self, const char *kind, gint64 resource_id)
{
  g_autoptr (JsonBuilder) payload = json_builder_new ();
  g_autoptr (GError) error = NULL;

  json_builder_begin_object (payload);
  /* The entry's form, subject, class and teacher too: the hub may not
   * know a school's own entries, and the monthly report counts by them. */
  if (!cx_usage_events_describe_entry (cx_application_get_store (self->app), self->uuid, payload,
                                       &error))
    g_debug ("timetable: entry %s not described: %s", self->uuid, error->message);
  if (resource_id != 0)
    {
      json_builder_set_member_name (payload, "resource");
      json_builder_add_int_value (payload, resource_id);
    }
  cx_application_record (self->app, kind, payload);
}

static void
set_instead_suggested (CxTimetableLive *self, gboolean suggested)
{
  if (suggested && self->instead_id != 0)
    gtk_widget_add_css_class (self->instead_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->instead_button, "suggested-action");
}

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (CxTimetableLive) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection =
      g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->probing);
  gtk_spinner_set_spinning (self->checking_spinner, FALSE);
  if (connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      gtk_stack_set_visible_child_name (self->stream_state, "reachable");
      text = g_strdup_printf (_ ("Its server answers: %s"), self->live_url);
      gtk_widget_add_css_class (self->join_button, "suggested-action");
      set_instead_suggested (self, FALSE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stream_state, "unreachable");
      text = self->instead_id != 0
                 ? g_strdup_printf (_ ("It cannot be reached from here (%s). Open the material "
                                       "below instead."),
                                    error->message)
                 : g_strdup_printf (_ ("It cannot be reached from here (%s)."), error->message);
      gtk_widget_remove_css_class (self->join_button, "suggested-action");
      set_instead_suggested (self, TRUE);
    }
  adw_action_row_set_subtitle (self->stream_row, text);
}

/* Tries the stream's server, as a player would connect to it. */
static void
probe (CxTimetableLive *self)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autofree char *scheme = g_uri_parse_scheme (self->live_url);
  guint16 port = g_strcmp0 (scheme, "https") == 0 ? 443 : 80;

  if (self->probing != NULL)
    g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  self->probing = g_cancellable_new ();
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_SECONDS);
  gtk_stack_set_visible_child_name (self->stream_state, "checking");
  gtk_spinner_set_spinning (self->checking_spinner, TRUE);
  adw_action_row_set_subtitle (self->stream_row, _ ("Trying whether it can be reached…"));
  g_socket_client_connect_to_uri_async (client, self->live_url, port, self->probing, on_probed,
                                        g_object_ref (self));
}

static void
show_instead (CxTimetableLive *self, const CxTimetableEntry *entry)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  CxFallbackState state = CX_FALLBACK_NONE;
  CxLibrary *library = cx_application_get_library (self->app);

  self->instead_id =
      library != NULL ? cx_library_find_fallback (library, entry, &state, &unit, &error) : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->instead_row),
                          entry->fallback != NULL && *entry->fallback != '\0');
  if (entry->fallback == NULL || *entry->fallback == '\0')
    return;
  name = g_path_get_basename (entry->fallback);
  switch (state)
    {
    case CX_FALLBACK_READY:
      text = g_strdup_printf (_ ("%s, kept on this computer"), name);
      break;
    case CX_FALLBACK_PACKAGE_MISSING:
      text = g_strdup_printf (_ ("%s: its package is not on this computer yet; a sync fetches it"),
                              name);
      break;
    case CX_FALLBACK_UNIT_MISSING:
      text = g_strdup_printf (
          _ ("%s: the unit holding it is not on this computer; fetch it in the Library"), name);
      break;
    case CX_FALLBACK_FILE_MISSING:
      text = g_strdup_printf (_ ("%s: the package on this computer has no such file"), name);
      break;
    case CX_FALLBACK_NONE:
    default:
      text = g_strdup_printf (_ ("%s cannot be opened: %s"), name,
                              error != NULL ? error->message : _ ("unknown reason"));
      break;
    }
  adw_action_row_set_subtitle (self->instead_row, text);
  gtk_widget_set_visible (self->instead_button, self->instead_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.open-instead", self->instead_id != 0);
}

static GtkWindow *
main_window (CxTimetableLive *self, GtkWindow **out_own)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *parent =
      GTK_IS_WINDOW (root) ? gtk_window_get_transient_for (GTK_WINDOW (root)) : NULL;

  *out_own = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  return CX_IS_WINDOW (parent) ? parent : NULL;
}

static void
join (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableLive *self = CX_TIMETABLE_LIVE (widget);
  GtkWindow *own;

  main_window (self, &own);
  record (self, "class.joined", 0);
  gtk_show_uri (own, self->live_url, GDK_CURRENT_TIME);
}

static void
open_instead (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxTimetableLive *self = CX_TIMETABLE_LIVE (widget);
  GtkWindow *own;
  GtkWindow *window = main_window (self, &own);

  if (window == NULL || self->instead_id == 0)
    return;
  record (self, "class.fallback-opened", self->instead_id);
  cx_window_open_resource (CX_WINDOW (window), self->instead_id);
  if (own != NULL)
    gtk_window_destroy (own);
}

/**
 * cx_timetable_live_show:
 *
 * Shows @entry's live stream (and tries it) and its fallback; hides
 * itself when the entry has neither.
 */
void
cx_timetable_live_show (CxTimetableLive *self, CxApplication *app, const CxTimetableEntry *entry)
{
  gboolean has_stream;

  g_return_if_fail (CX_IS_TIMETABLE_LIVE (self));
  g_return_if_fail (CX_IS_APPLICATION (app));
  g_return_if_fail (entry != NULL);

  self->app = app;
  g_free (self->uuid);
  self->uuid = g_strdup (entry->uuid);
  has_stream = entry->live_url != NULL && *entry->live_url != '\0';
  gtk_widget_set_visible (GTK_WIDGET (self),
                          has_stream || (entry->fallback != NULL && *entry->fallback != '\0'));
  show_instead (self, entry);
  gtk_widget_set_visible (GTK_WIDGET (self->stream_row), has_stream);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.join", has_stream);
  if (!has_stream)
    return;
  /* The same class shown again (after an edit, a sync) is tried again only
   * when its address changed. */
  if (g_strcmp0 (self->live_url, entry->live_url) == 0)
    return;
  g_free (self->live_url);
  self->live_url = g_strdup (entry->live_url);
  probe (self);
}

static void
cx_timetable_live_dispose (GObject *object)
{
  CxTimetableLive *self = CX_TIMETABLE_LIVE (object);

  if (self->probing != NULL)
    g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_TIMETABLE_LIVE);
  G_OBJECT_CLASS (cx_timetable_live_parent_class)->dispose (object);
}

static void
cx_timetable_live_finalize (GObject *object)
{
  CxTimetableLive *self = CX_TIMETABLE_LIVE (object);

  g_free (self->uuid);
  g_free (self->live_url);
  G_OBJECT_CLASS (cx_timetable_live_parent_class)->finalize (object);
}

static void
cx_timetable_live_class_init (CxTimetableLiveClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_timetable_live_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_timetable_live_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/cunxiao/Cunxiao/ui/cx-timetable-live.ui");
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, stream_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, stream_state);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, join_button);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, instead_row);
  gtk_widget_class_bind_template_child (widget_class, CxTimetableLive, instead_button);

  gtk_widget_class_install_action (widget_class, "live.join", NULL, join);
  gtk_widget_class_install_action (widget_class, "live.open-instead", NULL, open_instead);
}

static void
cx_timetable_live_init (CxTimetableLive *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
