/* cx-sync-page-private.h: what the Sync page's files share */
#pragma once

#include "cx-sync-page.h"

G_BEGIN_DECLS

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
  GtkWidget *sync_button;
  GtkWidget *pause_button;
  GtkWidget *resume_button;
  GtkWidget *cancel_button;
  AdwPreferencesGroup *packages_group;
  GtkListBox *packages_list;
  AdwActionRow *last_row;
  AdwActionRow *last_error_row;
  AdwActionRow *conditions_row;

  CxApplication *app;              /* not owned; NULL once disposed */
  CxSyncController *controller;    /* the app's sync, shown here */
  CxSyncControllerState shown;     /* the state the page shows */
  GCancellable *enrol_cancellable; /* of the enrolment under way; NULL when none is */
  gboolean refused;                /* the hub no longer accepts this computer */
  GHashTable *package_rows;        /* package key → its row in packages_list */
  guint pulse_source;              /* moves the bar while the amount left is unknown */
  guint tick_source;               /* the sync hours open and close as time passes */
};

void _cx_sync_page_set_label (GtkLabel *label, const char *text);
void _cx_sync_page_update_actions (CxSyncPage *self);
void _cx_sync_page_refresh (CxSyncPage *self);
void _cx_sync_page_class_init_enrolment (GtkWidgetClass *widget_class);

G_END_DECLS
