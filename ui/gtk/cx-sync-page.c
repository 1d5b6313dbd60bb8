/* cx-sync-page.c: the Sync page: enrol with a hub, sync now, and how the last sync went
 *
 * Enrolling and syncing block on the network, so they run in worker
 * threads, each over a CxStore of its own: the app's store belongs to the
 * main thread, where the other pages keep reading it. Progress comes back
 * through the main loop, and is dropped once the page is gone or the run it
 * belongs to was cancelled.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cx-store-catalog.h"
#include "cx-sync-error.h"
#include "cx-sync-page.h"
#include "cx-window.h"

#define PULSE_INTERVAL_MS 150
#define TICK_SECONDS      60

struct _CxSyncPage
{
  AdwBin parent_instance;

  AdwPreferencesGroup *enrol_group;
  AdwEntryRow *hub_row;
  AdwEntryRow *code_row;
  GtkLabel *enrol_message_label;
  GtkLabel *enrol_detail_label;
  GtkWidget *enrol_spinner;
  GtkWidget *enrol_cancel_button;
  AdwPreferencesGroup *hub_group;
  AdwActionRow *school_row;
  AdwActionRow *hub_url_row;
  AdwPreferencesGroup *sync_group;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkLabel *detail_label;
  AdwPreferencesGroup *packages_group;
  GtkListBox *packages_list;
  AdwActionRow *last_row;
  AdwActionRow *last_error_row;
  AdwActionRow *conditions_row;

  CxApplication *app;        /* not owned; NULL once disposed */
  GCancellable *cancellable; /* of the enrolment or sync under way; NULL when idle */
  gboolean enrolling;
  gboolean refused;         /* the hub no longer accepts this computer */
  GHashTable *package_rows; /* package key → its row in packages_list */
  guint pulse_source;       /* moves the bar while the amount left is unknown */
  guint tick_source;        /* the sync hours open and close as time passes */
};

G_DEFINE_FINAL_TYPE (CxSyncPage, cx_sync_page, ADW_TYPE_BIN)

/* Shared by the page and the worker: the run's progress finds the page
 * through it, if the page is still there and still waiting for that run. */
typedef struct
{
  GWeakRef page;
  GCancellable *cancellable;
} ProgressSink;

typedef struct
{
  ProgressSink *sink;
  CxSyncProgress progress; /* its strings owned */
} ProgressUpdate;

typedef struct
{
  char *data_dir;
  char *hub_url;
  char *code;
  char *device_name;
} EnrolJob;

static void refresh (CxSyncPage *self);

static void
progress_sink_clear (gpointer data)
{
  ProgressSink *sink = data;

  g_weak_ref_clear (&sink->page);
  g_clear_object (&sink->cancellable);
}

static ProgressSink *
progress_sink_new (CxSyncPage *page, GCancellable *cancellable)
{
  ProgressSink *sink = g_atomic_rc_box_new0 (ProgressSink);

  g_weak_ref_init (&sink->page, page);
  sink->cancellable = g_object_ref (cancellable);
  return sink;
}

static void
progress_sink_unref (gpointer sink)
{
  g_atomic_rc_box_release_full (sink, progress_sink_clear);
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  progress_sink_unref (update->sink);
  g_free ((char *) update->progress.package_key);
  g_free ((char *) update->progress.package_title);
  g_free (update);
}

static void
enrol_job_free (gpointer data)
{
  EnrolJob *job = data;

  g_free (job->data_dir);
  g_free (job->hub_url);
  g_free (job->code);
  g_free (job->device_name);
  g_free (job);
}

static CxWindow *
window_of (CxSyncPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return CX_IS_WINDOW (root) ? CX_WINDOW (root) : NULL;
}

static void
set_window_state (CxSyncPage *self, const char *text)
{
  CxWindow *window = window_of (self);

  if (window != NULL)
    cx_window_set_sync_state (window, text);
}

static void
set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* Only one thing talks to the hub at a time. */
static void
set_busy (CxSyncPage *self, GCancellable *cancellable, gboolean enrolling)
{
  gboolean busy = cancellable != NULL;

  g_clear_object (&self->cancellable);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->enrolling = busy && enrolling;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.run", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enroll", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.cancel", busy);
  gtk_widget_set_visible (self->enrol_spinner, self->enrolling);
  gtk_spinner_set_spinning (GTK_SPINNER (self->enrol_spinner), self->enrolling);
  gtk_widget_set_visible (self->enrol_cancel_button, self->enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hub_row), !self->enrolling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !self->enrolling);
}

/* --- words for people ---------------------------------------------------- */

static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == CX_SYNC_ERROR)
    return error->code == CX_SYNC_ERROR_NETWORK || error->code == CX_SYNC_ERROR_HTTP;
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_HOST_NOT_FOUND || error->code == G_IO_ERROR_TIMED_OUT ||
           error->code == G_IO_ERROR_CONNECTION_REFUSED ||
           error->code == G_IO_ERROR_NETWORK_UNREACHABLE ||
           error->code == G_IO_ERROR_HOST_UNREACHABLE ||
           error->code == G_IO_ERROR_CONNECTION_CLOSED || error->code == G_IO_ERROR_BROKEN_PIPE;
  return FALSE;
}

static gboolean
is_untrusted (const GError *error)
{
  if (error->domain != CX_SYNC_ERROR)
    return FALSE;
  switch ((CxSyncError) error->code)
    {
    case CX_SYNC_ERROR_MALFORMED:
    case CX_SYNC_ERROR_TRUNCATED:
    case CX_SYNC_ERROR_TOO_LARGE:
    case CX_SYNC_ERROR_BAD_KEY:
    case CX_SYNC_ERROR_BAD_SIGNATURE:
    case CX_SYNC_ERROR_UNTRUSTED:
    case CX_SYNC_ERROR_EXPIRED:
    case CX_SYNC_ERROR_ROLLBACK:
    case CX_SYNC_ERROR_WRONG_REPOSITORY:
    case CX_SYNC_ERROR_HASH_MISMATCH:
    case CX_SYNC_ERROR_SIZE_MISMATCH:
    case CX_SYNC_ERROR_BAD_PATH:
    case CX_SYNC_ERROR_CHANGED:
      return TRUE;
    case CX_SYNC_ERROR_FAILED:
    case CX_SYNC_ERROR_INVALID_ARGUMENT:
    case CX_SYNC_ERROR_UNSUPPORTED_VERSION:
    case CX_SYNC_ERROR_NOT_FOUND:
    case CX_SYNC_ERROR_HTTP:
    case CX_SYNC_ERROR_NETWORK:
    case CX_SYNC_ERROR_RANGE_IGNORED:
    case CX_SYNC_ERROR_UNAUTHORIZED:
    case CX_SYNC_ERROR_REFUSED:
    default:
      return FALSE;
    }
}

/* What a failed sync means for the teacher; the error's own message, for
 * whoever looks after the laptops, goes on the line below. */
static const char *
explain_sync_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _ ("Sync cancelled. What arrived is kept, and the next sync goes on from there.");
  if (is_unreachable (error))
    return _ ("The hub could not be reached. Everything on this computer still works; sync again "
              "when the network is back.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED))
    return _ ("The hub no longer accepts this computer. Ask the hub’s administrator for a new "
              "enrolment code, and enrol again above.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_REFUSED))
    return _ ("The hub refused part of the sync. What it accepted is kept.");
  if (is_untrusted (error))
    return _ ("Something the hub sent failed its safety checks and was not used. Nothing on this "
              "computer was changed by it.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return _ ("The disk is full. What arrived is kept; free some space and sync again.");
  if (error->domain == CX_STORE_ERROR)
    return _ ("Cunxiao could not read or write its own data on this computer.");
  return _ ("The sync did not finish. Everything on this computer still works.");
}

static const char *
explain_enrol_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _ ("Enrolment cancelled.");
  if (is_unreachable (error))
    return _ ("The hub could not be reached. Check the address, and that this computer is on "
              "the same network as the hub.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_REFUSED))
    return _ ("The hub did not accept this code. Each code works only once; ask the hub’s "
              "administrator for a new one.");
  if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_INVALID_ARGUMENT))
    return _ ("That is not a hub address. It looks like http://10.0.0.2:8080/.");
  return _ ("This computer could not be enrolled.");
}

static char *
format_duration (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", (gulong) seconds),
                            (guint) seconds);
  if (seconds < 3600)
    {
      guint minutes = (guint) ((seconds + 30) / 60);

      return g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes), minutes);
    }
  /* TRANSLATORS: hours and minutes of a download still to go */
  return g_strdup_printf (_ ("%u h %u min"), (guint) (seconds / 3600),
                          (guint) (seconds % 3600 / 60));
}

static char *
format_when (gint64 unix_time)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = NULL;
  int day_diff;

  if (when == NULL)
    return g_strdup ("");
  clock = g_date_time_format (when, "%H:%M");
  day_diff = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (when);
  if (g_date_time_get_year (now) == g_date_time_get_year (when) && day_diff == 0)
    return g_strdup_printf (_ ("Today at %s"), clock);
  if (g_date_time_get_year (now) == g_date_time_get_year (when) && day_diff == 1)
    return g_strdup_printf (_ ("Yesterday at %s"), clock);
  /* TRANSLATORS: when the last sync was, a g_date_time_format() format; in
   * Chinese e.g. "%Y年%-m月%-d日 %H:%M" */
  return g_date_time_format (when, C_ ("last sync", "%-d %B %Y at %H:%M"));
}

static char *
describe_report (const CxSyncReport *report, gboolean enrolled)
{
  guint events = (guint) MIN (report->events_sent, G_MAXUINT);
  g_autofree char *packages = g_strdup_printf (
      ngettext ("%u package updated", "%u packages updated", report->packages_updated),
      report->packages_updated);
  g_autoptr (GString) text = g_string_new (NULL);

  if (enrolled)
    {
      g_autofree char *sent_events = g_strdup_printf (
          ngettext ("%u usage record sent", "%u usage records sent", events), events);
      g_autofree char *sent_hand_ins =
          g_strdup_printf (ngettext ("%u hand-in sent", "%u hand-ins sent", report->hand_ins_sent),
                           report->hand_ins_sent);

      /* TRANSLATORS: the three parts are e.g. "12 usage records sent",
       * "1 hand-in sent" and "2 packages updated" */
      g_string_append_printf (text, _ ("Sync finished: %s, %s, %s."), sent_events, sent_hand_ins,
                              packages);
    }
  else
    g_string_append_printf (text, _ ("Sync finished: %s."), packages);

  if (report->timetable_conflicts > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (
          text,
          ngettext ("%u timetable entry was changed both here and at the hub; both versions are "
                    "kept.",
                    "%u timetable entries were changed both here and at the hub; both versions "
                    "are kept.",
                    report->timetable_conflicts),
          report->timetable_conflicts);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* --- progress ------------------------------------------------------------ */

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

/* @fraction: below 0 when how much is left is not known */
static void
show_fraction (CxSyncPage *self, double fraction)
{
  g_autofree char *state = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  if (fraction < 0)
    {
      if (self->pulse_source == 0)
        self->pulse_source = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self->progress_bar);
      set_window_state (self, _ ("Syncing…"));
      return;
    }
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  /* TRANSLATORS: in the header bar while a sync runs, e.g. "Syncing 40 %" */
  state = g_strdup_printf (_ ("Syncing %d %%"), (int) (CLAMP (fraction, 0.0, 1.0) * 100));
  set_window_state (self, state);
}

/* Downloading is most of a package's time; checking and building the rest. */
static double
package_fraction (const CxSyncProgress *p)
{
  double part = p->bytes_total > 0 ? (double) p->bytes_done / (double) p->bytes_total : 0.0;

  switch (p->install_step)
    {
    case CX_INSTALL_PHASE_DOWNLOADING:
      return 0.9 * MIN (part, 1.0);
    case CX_INSTALL_PHASE_BUILDING:
      return 0.9 + 0.1 * MIN (part, 1.0);
    case CX_INSTALL_PHASE_DONE:
      return 1.0;
    case CX_INSTALL_PHASE_PLANNING:
    default:
      return 0.0;
    }
}

static char *
describe_package_step (const CxSyncProgress *p)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *done = NULL;

  switch (p->install_step)
    {
    case CX_INSTALL_PHASE_PLANNING:
      return g_strdup (_ ("Working out what to fetch"));
    case CX_INSTALL_PHASE_BUILDING:
      return g_strdup (_ ("Checking the files and putting them in place"));
    case CX_INSTALL_PHASE_DONE:
      return g_strdup (_ ("Up to date"));
    case CX_INSTALL_PHASE_DOWNLOADING:
    default:
      break;
    }

  done = g_format_size (p->bytes_done);
  if (p->bytes_total > 0)
    {
      g_autofree char *total = g_format_size (p->bytes_total);

      /* TRANSLATORS: bytes of a package fetched so far, e.g. "1.2 MB of 30 MB" */
      g_string_append_printf (text, _ ("%s of %s"), done, total);
    }
  else
    /* TRANSLATORS: bytes of a package fetched so far, e.g. "1.2 MB received" */
    g_string_append_printf (text, _ ("%s received"), done);
  if (p->bytes_per_second > 0)
    {
      g_autofree char *rate = g_format_size (p->bytes_per_second);

      /* TRANSLATORS: a download rate, e.g. "30 kB/s" */
      g_string_append (text, " · ");
      g_string_append_printf (text, _ ("%s/s"), rate);
    }
  if (p->seconds_left >= 0)
    {
      g_autofree char *left = format_duration (p->seconds_left);

      /* TRANSLATORS: time a download still needs, e.g. "about 3 minutes left" */
      g_string_append (text, " · ");
      g_string_append_printf (text, _ ("about %s left"), left);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static AdwActionRow *
ensure_package_row (CxSyncPage *self, const CxSyncProgress *p)
{
  AdwActionRow *row = g_hash_table_lookup (self->package_rows, p->package_key);
  GtkWidget *bar;

  if (row != NULL)
    return row;
  row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (
      ADW_PREFERENCES_ROW (row),
      p->package_title != NULL && *p->package_title != '\0' ? p->package_title : p->package_key);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
  adw_action_row_add_suffix (row, bar);
  g_object_set_data (G_OBJECT (row), "bar", bar);
  gtk_list_box_append (self->packages_list, GTK_WIDGET (row));
  g_hash_table_insert (self->package_rows, g_strdup (p->package_key), row);
  gtk_widget_set_visible (GTK_WIDGET (self->packages_group), TRUE);
  return row;
}

static void
show_package (CxSyncPage *self, const CxSyncProgress *p)
{
  AdwActionRow *row = ensure_package_row (self, p);
  g_autofree char *step = describe_package_step (p);

  adw_action_row_set_subtitle (row, step);
  gtk_progress_bar_set_fraction (g_object_get_data (G_OBJECT (row), "bar"), package_fraction (p));
  g_object_set_data (G_OBJECT (row), "done",
                     GINT_TO_POINTER (p->install_step == CX_INSTALL_PHASE_DONE));
}

static void
show_progress (CxSyncPage *self, const CxSyncProgress *p)
{
  g_autofree char *status = NULL;
  double fraction = -1;

  switch (p->phase)
    {
    case CX_SYNC_PHASE_EVENTS:
      status = g_strdup (_ ("Sending usage records…"));
      break;
    case CX_SYNC_PHASE_HAND_INS:
      status = g_strdup (_ ("Sending pupils’ work…"));
      break;
    case CX_SYNC_PHASE_TIMETABLE:
      status = g_strdup (_ ("Bringing the timetable up to date…"));
      break;
    case CX_SYNC_PHASE_PACKAGES:
    default:
      if (p->package_key == NULL)
        {
          status = g_strdup (_ ("Asking the hubs what is new…"));
          break;
        }
      status = g_strdup_printf (_ ("Fetching package %u of %u: %s"), p->package_index + 1,
                                MAX (p->n_packages, p->package_index + 1),
                                p->package_title != NULL ? p->package_title : p->package_key);
      show_package (self, p);
      if (p->n_packages > 0)
        fraction = (p->package_index + package_fraction (p)) / p->n_packages;
      break;
    }
  gtk_label_set_text (self->status_label, status);
  show_fraction (self, fraction);
}

static gboolean
show_progress_cb (gpointer data)
{
  ProgressUpdate *update = data;
  g_autoptr (CxSyncPage) self = g_weak_ref_get (&update->sink->page);

  /* A late update of a run that was cancelled, or of a page now gone. */
  if (self == NULL || self->app == NULL || self->cancellable != update->sink->cancellable ||
      g_cancellable_is_cancelled (update->sink->cancellable))
    return G_SOURCE_REMOVE;
  show_progress (self, &update->progress);
  return G_SOURCE_REMOVE;
}

/* In the sync's worker thread. */
static void
on_run_progress (const CxSyncProgress *progress, gpointer user_data)
{
  ProgressSink *sink = user_data;
  ProgressUpdate *update;

  if (g_cancellable_is_cancelled (sink->cancellable))
    return;
  update = g_new0 (ProgressUpdate, 1);
  update->sink = g_atomic_rc_box_acquire (sink);
  update->progress = *progress;
  update->progress.package_key = g_strdup (progress->package_key);
  update->progress.package_title = g_strdup (progress->package_title);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_progress_cb, update,
                              progress_update_free);
}

/* --- state --------------------------------------------------------------- */

static void
show_last_run (CxSyncPage *self)
{
  CxSyncService *service = cx_application_get_sync_service (self->app);
  g_autofree char *last_error = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  gint64 last_run = cx_sync_service_get_last_run (service, &last_error);

  if (last_run <= 0)
    {
      adw_action_row_set_subtitle (self->last_row, _ ("Never: this computer has not synced yet"));
      gtk_widget_set_visible (GTK_WIDGET (self->last_error_row), FALSE);
      return;
    }
  when = format_when (last_run);
  if (last_error != NULL && *last_error != '\0')
    /* TRANSLATORS: %s is when, e.g. "Today at 14:05" */
    text = g_strdup_printf (_ ("%s. It did not finish; everything on this computer still works, "
                               "and the next sync picks up where it stopped."),
                            when);
  else
    /* TRANSLATORS: %s is when, e.g. "Today at 14:05" */
    text = g_strdup_printf (_ ("%s. Everything went through."), when);
  adw_action_row_set_subtitle (self->last_row, text);
  adw_action_row_set_subtitle (self->last_error_row, last_error != NULL ? last_error : "");
  /* Not twice: the run that just failed shows it under the status already. */
  gtk_widget_set_visible (GTK_WIDGET (self->last_error_row),
                          last_error != NULL && *last_error != '\0' &&
                              g_strcmp0 (last_error, gtk_label_get_text (self->detail_label)) != 0);
}

/* What keeps automatic syncs back right now. The network monitor only knows
 * of a default route, and a hub on the school's own network needs none, so
 * none of this keeps Sync Now from running. */
static void
show_conditions (CxSyncPage *self)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  CxSyncService *service = cx_application_get_sync_service (self->app);
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  guint wait_seconds = 0;

  if (!g_network_monitor_get_network_available (monitor))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->conditions_row), _ ("No network"));
      adw_action_row_set_subtitle (self->conditions_row,
                                   _ ("Syncs wait until there is one. Everything else works as "
                                      "usual, and a hub on the school’s own network may still be "
                                      "reached with Sync Now."));
      gtk_widget_set_visible (GTK_WIDGET (self->conditions_row), TRUE);
      return;
    }
  reason = cx_sync_service_check_conditions (service, monitor, &wait_seconds);
  if (reason == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->conditions_row), FALSE);
      return;
    }
  /* TRANSLATORS: %s is the reason, e.g. "Outside the sync window (18:00-07:00)" */
  text = g_strdup_printf (_ ("%s. Sync Now runs anyway; the sync hours and the metered rule are "
                             "in Preferences."),
                          reason);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->conditions_row),
                                 _ ("Automatic syncs are waiting"));
  adw_action_row_set_subtitle (self->conditions_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->conditions_row), TRUE);
}

static gboolean
has_hubs (CxSyncPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hubs = cx_store_list_hubs (cx_application_get_store (self->app), &error);

  if (hubs == NULL)
    {
      g_debug ("Could not list the hubs: %s", error->message);
      return FALSE;
    }
  if (hubs->len > 0 && *gtk_editable_get_text (GTK_EDITABLE (self->hub_row)) == '\0')
    {
      /* Most schools enrol with the hub they already fetch packages from. */
      const CxHub *hub = g_ptr_array_index (hubs, 0);

      gtk_editable_set_text (GTK_EDITABLE (self->hub_row), hub->url);
    }
  return hubs->len > 0;
}

static void
refresh (CxSyncPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSyncEnrolment) enrolment = NULL;
  gboolean enrolled;
  gboolean hubs;

  if (self->app == NULL || cx_application_get_sync_service (self->app) == NULL)
    return;
  enrolment = cx_sync_service_get_enrolment (cx_application_get_sync_service (self->app), &error);
  if (error != NULL && !self->enrolling)
    {
      set_label (self->enrol_message_label, _ ("Cunxiao could not read whether this computer is "
                                               "enrolled."));
      set_label (self->enrol_detail_label, error->message);
    }
  enrolled = enrolment != NULL;
  hubs = has_hubs (self);

  gtk_widget_set_visible (GTK_WIDGET (self->enrol_group), !enrolled || self->refused);
  gtk_widget_set_visible (GTK_WIDGET (self->hub_group), enrolled);
  if (enrolled)
    {
      adw_action_row_set_subtitle (self->school_row, enrolment->school);
      adw_action_row_set_subtitle (self->hub_url_row, enrolment->hub_url);
      if (*gtk_editable_get_text (GTK_EDITABLE (self->hub_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->hub_row), enrolment->hub_url);
    }
  /* Not enrolled, a sync can still bring package updates from the hubs
   * the packages came from. */
  gtk_widget_set_visible (GTK_WIDGET (self->sync_group), enrolled || hubs);
  adw_preferences_group_set_description (
      self->sync_group,
      enrolled ? NULL
               : _ ("This computer is not enrolled yet, so a sync only fetches package updates. "
                    "Usage records and pupils’ work stay here until it is enrolled."));
  show_last_run (self);
  show_conditions (self);
}

/* --- enrolment ----------------------------------------------------------- */

static void
enrol_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EnrolJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = cx_store_open (job->data_dir, &error);
  g_autoptr (CxSyncService) service = NULL;
  CxSyncEnrolment *enrolment;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  service = cx_sync_service_new (store);
  if (!cx_sync_service_enroll (service, job->hub_url, job->code, job->device_name, cancellable,
                               &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  enrolment = cx_sync_service_get_enrolment (service, &error);
  if (enrolment == NULL && error == NULL)
    g_set_error_literal (&error, CX_STORE_ERROR, CX_STORE_ERROR_FAILED,
                         _ ("The enrolment was not kept"));
  if (enrolment == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, enrolment, (GDestroyNotify) cx_sync_enrolment_free);
}

static void
on_enrol_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxSyncPage *self = CX_SYNC_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (CxSyncEnrolment) enrolment = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (self->app == NULL)
    return;
  set_busy (self, NULL, FALSE);
  if (enrolment == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->enrol_message_label), "error");
      set_label (self->enrol_message_label, explain_enrol_error (error));
      set_label (self->enrol_detail_label, error->message);
      return;
    }
  self->refused = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  set_label (self->enrol_message_label, NULL);
  set_label (self->enrol_detail_label, NULL);
  /* TRANSLATORS: %s is the school the hub enrolled this computer for */
  text = g_strdup_printf (_ ("This computer is enrolled with %s. Sync Now sends what it holds for "
                             "the hub."),
                          enrolment->school);
  gtk_label_set_text (self->status_label, text);
  refresh (self);
}

static void
on_enrol_changed (CxSyncPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->hub_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->code_row), "error");
}

static void
enroll (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);
  g_autofree char *hub =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->hub_row))));
  g_autofree char *code =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GTask) task = NULL;
  EnrolJob *job;

  if (self->app == NULL || self->cancellable != NULL)
    return;
  if (*hub == '\0' || *code == '\0')
    {
      if (*hub == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->hub_row), "error");
      if (*code == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->code_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->enrol_message_label), "error");
      set_label (self->enrol_message_label,
                 _ ("Give the hub’s address and the enrolment code its administrator gave you."));
      set_label (self->enrol_detail_label, NULL);
      return;
    }

  job = g_new0 (EnrolJob, 1);
  job->data_dir = g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app)));
  /* People type "10.0.0.2:8080"; the hub speaks plain HTTP on a school LAN. */
  job->hub_url = strstr (hub, "://") != NULL ? g_strdup (hub) : g_strconcat ("http://", hub, NULL);
  job->code = g_steal_pointer (&code);
  job->device_name = g_strdup (g_get_host_name ());

  gtk_widget_remove_css_class (GTK_WIDGET (self->enrol_message_label), "error");
  set_label (self->enrol_message_label, _ ("Asking the hub…"));
  set_label (self->enrol_detail_label, NULL);
  cancellable = g_cancellable_new ();
  set_busy (self, cancellable, TRUE);

  task = g_task_new (self, cancellable, on_enrol_done, NULL);
  g_task_set_source_tag (task, enroll);
  g_task_set_task_data (task, job, enrol_job_free);
  g_task_run_in_thread (task, enrol_thread);
}

static void
on_code_activated (CxSyncPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sync.enroll", NULL);
}

/* --- sync ---------------------------------------------------------------- */

static void
mark_unfinished_packages (CxSyncPage *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->package_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    if (!GPOINTER_TO_INT (g_object_get_data (row, "done")))
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _ ("Not finished; the next sync goes on from here"));
}

static void
finish_run (CxSyncPage *self, const CxSyncReport *report, const GError *error)
{
  g_autoptr (CxSyncEnrolment) enrolment =
      cx_sync_service_get_enrolment (cx_application_get_sync_service (self->app), NULL);

  set_busy (self, NULL, FALSE);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  set_window_state (self, NULL);
  mark_unfinished_packages (self);

  if (error == NULL)
    {
      g_autofree char *text = describe_report (report, enrolment != NULL);

      gtk_label_set_text (self->status_label, text);
      set_label (self->detail_label, NULL);
    }
  else
    {
      gtk_label_set_text (self->status_label, explain_sync_error (error));
      set_label (self->detail_label,
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL : error->message);
      if (g_error_matches (error, CX_SYNC_ERROR, CX_SYNC_ERROR_UNAUTHORIZED))
        self->refused = TRUE;
    }
  refresh (self);
  /* Even a sync cut short may have brought packages or timetable changes. */
  cx_application_library_changed (self->app);
  cx_application_lessons_changed (self->app);
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ProgressSink *sink = user_data;
  g_autoptr (CxSyncPage) self = g_weak_ref_get (&sink->page);
  g_autoptr (GError) error = NULL;
  CxSyncReport report = { 0 };
  gboolean ok = cx_sync_service_run_finish (CX_SYNC_SERVICE (source), result, &report, &error);

  if (self != NULL && self->app != NULL && self->cancellable == sink->cancellable)
    finish_run (self, &report, ok ? NULL : error);
  else if (!ok)
    g_debug ("A sync the page no longer waits for ended: %s", error->message);
  progress_sink_unref (sink);
}

/* The sync gets a store of its own, opened here, off the main thread. */
static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  CxStore *store = cx_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
on_store_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CxSyncPage *self = CX_SYNC_PAGE (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (CxStore) store = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (CxSyncService) service = NULL;
  GSettings *settings;
  ProgressSink *sink;

  if (self->app == NULL || self->cancellable != cancellable)
    return;
  if (store == NULL)
    {
      finish_run (self, NULL, error);
      return;
    }
  settings = cx_application_get_settings (self->app);
  service = cx_sync_service_new (store);
  /* kbit/s as people give it, bytes/s as the transfer counts. */
  cx_sync_service_set_rate_limit (
      service, (guint64) g_settings_get_uint (settings, "rate-limit-kbit") * 1000 / 8);
  sink = progress_sink_new (self, cancellable);
  cx_sync_service_set_progress_func (service, on_run_progress, g_atomic_rc_box_acquire (sink),
                                     progress_sink_unref);
  /* From here the store belongs to the run's thread. */
  cx_sync_service_run_async (service, cancellable, on_run_done, sink);
}

static void
run_sync (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GTask) task = NULL;

  if (self->app == NULL || self->cancellable != NULL)
    return;

  g_hash_table_remove_all (self->package_rows);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self->packages_list)));)
    gtk_list_box_remove (self->packages_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->packages_group), FALSE);
  gtk_label_set_text (self->status_label, _ ("Getting ready…"));
  set_label (self->detail_label, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable, FALSE);
  show_fraction (self, -1);

  task = g_task_new (self, cancellable, on_store_opened, NULL);
  g_task_set_source_tag (task, run_sync);
  g_task_set_task_data (
      task, g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app))), g_free);
  g_task_run_in_thread (task, open_thread);
}

static void
cancel (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  if (!self->enrolling)
    gtk_label_set_text (self->status_label, _ ("Stopping…"));
}

/* --- overrides ----------------------------------------------------------- */

static void
on_network_changed (GNetworkMonitor *monitor, gboolean available, CxSyncPage *self)
{
  if (self->app != NULL)
    show_conditions (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  CxSyncPage *self = user_data;

  if (self->app != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      show_last_run (self);
      show_conditions (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
cx_sync_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cx_sync_page_parent_class)->map (widget);
  refresh (CX_SYNC_PAGE (widget));
}

static void
cx_sync_page_dispose (GObject *object)
{
  CxSyncPage *self = CX_SYNC_PAGE (object);

  /* A sync under way stops at its next step; what arrived is kept. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_window_state (self, NULL);
    }
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_pointer (&self->package_rows, g_hash_table_unref);
  self->app = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), CX_TYPE_SYNC_PAGE);
  G_OBJECT_CLASS (cx_sync_page_parent_class)->dispose (object);
}

static void
cx_sync_page_class_init (CxSyncPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cx_sync_page_dispose;
  widget_class->map = cx_sync_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cunxiao/Cunxiao/ui/cx-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_message_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_detail_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_spinner);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, enrol_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, school_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, hub_url_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, sync_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, packages_group);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, packages_list);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, last_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, last_error_row);
  gtk_widget_class_bind_template_child (widget_class, CxSyncPage, conditions_row);
  gtk_widget_class_bind_template_callback (widget_class, on_enrol_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);

  gtk_widget_class_install_action (widget_class, "sync.run", NULL, run_sync);
  gtk_widget_class_install_action (widget_class, "sync.cancel", NULL, cancel);
  gtk_widget_class_install_action (widget_class, "sync.enroll", NULL, enroll);
}

static void
cx_sync_page_init (CxSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->package_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  set_busy (self, NULL, FALSE);
}

GtkWidget *
cx_sync_page_new (CxApplication *app)
{
  CxSyncPage *self;

  g_return_val_if_fail (CX_IS_APPLICATION (app), NULL);

  self = g_object_new (CX_TYPE_SYNC_PAGE, NULL);
  self->app = app;
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (on_network_changed), self, 0);
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
  refresh (self);
  return GTK_WIDGET (self);
}
