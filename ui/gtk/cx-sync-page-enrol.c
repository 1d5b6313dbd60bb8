/* cx-sync-page-enrol.c: the Sync page's enrolment with a hub, once
 *
 * Enrolling blocks on the network, so it runs in a worker thread over a
 * CxStore of its own: the app's store belongs to the main thread.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cx-sync-display.h"
#include "cx-sync-page-private.h"

typedef struct
{
  char *data_dir;
  char *hub_url;
  char *code;
  char *device_name;
} EnrolJob;

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
  g_clear_object (&self->enrol_cancellable);
  _cx_sync_page_update_actions (self);
  if (enrolment == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->enrol_message_label), "error");
      _cx_sync_page_set_label (self->enrol_message_label,
                               cx_sync_display_explain_enrol_error (error));
      _cx_sync_page_set_label (self->enrol_detail_label, error->message);
      return;
    }
  self->refused = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  _cx_sync_page_set_label (self->enrol_message_label, NULL);
  _cx_sync_page_set_label (self->enrol_detail_label, NULL);
  /* TRANSLATORS: %s is the school the hub enrolled this computer for */
  text = g_strdup_printf (_ ("This computer is enrolled with %s. Sync Now sends what it holds for "
                             "the hub."),
                          enrolment->school);
  gtk_label_set_text (self->status_label, text);
  _cx_sync_page_refresh (self);
  /* A newly enrolled computer has things to send. */
  cx_sync_controller_enrolment_changed (self->controller);
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
  g_autoptr (GTask) task = NULL;
  EnrolJob *job;

  if (self->app == NULL || self->enrol_cancellable != NULL ||
      cx_sync_controller_get_state (self->controller) == CX_SYNC_CONTROLLER_RUNNING)
    return;
  if (*hub == '\0' || *code == '\0')
    {
      if (*hub == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->hub_row), "error");
      if (*code == '\0')
        gtk_widget_add_css_class (GTK_WIDGET (self->code_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->enrol_message_label), "error");
      _cx_sync_page_set_label (
          self->enrol_message_label,
          _ ("Give the hub’s address and the enrolment code its administrator gave you."));
      _cx_sync_page_set_label (self->enrol_detail_label, NULL);
      return;
    }

  job = g_new0 (EnrolJob, 1);
  job->data_dir = g_strdup (cx_store_get_data_dir (cx_application_get_store (self->app)));
  /* People type "10.0.0.2:8080"; the hub speaks plain HTTP on a school LAN. */
  job->hub_url = strstr (hub, "://") != NULL ? g_strdup (hub) : g_strconcat ("http://", hub, NULL);
  job->code = g_steal_pointer (&code);
  job->device_name = g_strdup (g_get_host_name ());

  gtk_widget_remove_css_class (GTK_WIDGET (self->enrol_message_label), "error");
  _cx_sync_page_set_label (self->enrol_message_label, _ ("Asking the hub…"));
  _cx_sync_page_set_label (self->enrol_detail_label, NULL);
  self->enrol_cancellable = g_cancellable_new ();
  _cx_sync_page_update_actions (self);

  task = g_task_new (self, self->enrol_cancellable, on_enrol_done, NULL);
  g_task_set_source_tag (task, enroll);
  g_task_set_task_data (task, job, enrol_job_free);
  g_task_run_in_thread (task, enrol_thread);
}

static void
on_code_activated (CxSyncPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sync.enroll", NULL);
}

static void
cancel_enrolment (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CxSyncPage *self = CX_SYNC_PAGE (widget);

  if (self->enrol_cancellable != NULL)
    g_cancellable_cancel (self->enrol_cancellable);
}

void
_cx_sync_page_class_init_enrolment (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_enrol_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
  gtk_widget_class_install_action (widget_class, "sync.enroll", NULL, enroll);
  gtk_widget_class_install_action (widget_class, "sync.cancel-enrolment", NULL, cancel_enrolment);
}
