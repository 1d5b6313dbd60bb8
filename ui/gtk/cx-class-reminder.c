/* cx-class-reminder.c: a desktop notification a few minutes before a live class
 *
 * A synchronous classroom or a master-teacher class is taught live from
 * elsewhere: a teacher who misses its start misses it. While the app runs,
 * a notification comes the number of minutes before the start that the
 * class-reminder-minutes setting says (0 turns them off); clicking it opens
 * the class.
 *
 * One timer, set for the next reminder due (and at least every ten
 * minutes, for a clock that jumped or a laptop that slept). The timer reads
 * the store at most once a minute; a change to the timetable or the
 * setting reads it again at once, through cx_class_reminder_rearm().
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-class-reminder.h"
#include "cx-timetable-format.h"
#include "cx-timetable-item.h"

#define HORIZON           (6 * 3600) /* seconds ahead read each time */
#define MIN_READ_INTERVAL 60         /* seconds between reads of the store by the timer */
#define MAX_SLEEP         600        /* seconds the timer waits at most */

struct _CxClassReminder
{
  GObject parent_instance;

  GApplication *app; /* not owned: it owns this */
  CxStore *store;
  GSettings *settings;
  GListModel *upcoming; /* live classes of the next hours, as last read */
  gint64 read_at;       /* monotonic seconds of that read */
  gboolean stale;       /* the timetable changed since */
  GHashTable *reminded; /* uuid → start time already reminded of */
  guint timer;
};

G_DEFINE_FINAL_TYPE (CxClassReminder, cx_class_reminder, G_TYPE_OBJECT)

static void check (CxClassReminder *self);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
read_upcoming (CxClassReminder *self, gint64 now)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) items = NULL;
  GListStore *live = g_list_store_new (CX_TYPE_TIMETABLE_ITEM);
  GHashTableIter iter;
  gpointer starts;

  g_clear_object (&self->upcoming);
  self->upcoming = G_LIST_MODEL (live);
  self->read_at = g_get_monotonic_time () / G_USEC_PER_SEC;
  self->stale = FALSE;
  items = cx_timetable_list_items (self->store, now, now + HORIZON, &error);
  if (items == NULL)
    {
      g_warning ("Class reminders: the timetable could not be read: %s", error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (CxTimetableItem) item = g_list_model_get_item (items, i);

      if (cx_timetable_item_is_live (item) && cx_timetable_item_get_entry (item)->starts_at > now)
        g_list_store_append (live, item);
    }
  /* Classes long started need no memory of their reminder. */
  g_hash_table_iter_init (&iter, self->reminded);
  while (g_hash_table_iter_next (&iter, NULL, &starts))
    if (*(gint64 *) starts < now - 3600)
      g_hash_table_iter_remove (&iter);
}

static void
notify (CxClassReminder *self, CxTimetableItem *item, gint64 now)
{
  const CxTimetableEntry *entry = cx_timetable_item_get_entry (item);
  guint minutes = (guint) ((entry->starts_at - now + 59) / 60);
  g_autofree char *what = cx_timetable_format_title (entry);
  g_autofree char *range = cx_timetable_format_range (entry);
  g_autofree char *title = g_strdup_printf (
      ngettext ("%s starts in %u minute", "%s starts in %u minutes", minutes), what, minutes);
  g_autoptr (GString) body = g_string_new (cx_activity_form_get_label (entry->form));
  g_autofree char *id = g_strconcat ("class-", entry->uuid, NULL);
  g_autoptr (GNotification) notification = NULL;
  g_autoptr (GIcon) icon = g_themed_icon_new (cx_timetable_form_icon (entry->form));

  g_string_append_printf (body, ", %s", range);
  if (entry->partner_school != NULL && *entry->partner_school != '\0')
    {
      g_string_append (body, ", ");
      /* TRANSLATORS: the other school of a paired class, e.g. "with 城关小学" */
      g_string_append_printf (body, _ ("with %s"), entry->partner_school);
    }
  if (entry->teacher != NULL && *entry->teacher != '\0')
    g_string_append_printf (body, ", %s", entry->teacher);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-timetable-entry", "s",
                                                entry->uuid);
  g_application_send_notification (self->app, id, notification);
  g_hash_table_insert (self->reminded, g_strdup (entry->uuid),
                       g_memdup2 (&entry->starts_at, sizeof entry->starts_at));
  g_debug ("class reminder: %s at %s", what, range);
}

static gboolean
timer_cb (gpointer user_data)
{
  CxClassReminder *self = user_data;

  self->timer = 0;
  check (self);
  return G_SOURCE_REMOVE;
}

/* Reminds of what is due and sets the timer for what comes next. */
static void
check (CxClassReminder *self)
{
  guint minutes = g_settings_get_uint (self->settings, "class-reminder-minutes");
  gint64 now = now_seconds ();
  gint64 next = G_MAXINT64;
  gint64 since_read = g_get_monotonic_time () / G_USEC_PER_SEC - self->read_at;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (minutes == 0)
    return;
  if (self->stale || self->upcoming == NULL || since_read >= MIN_READ_INTERVAL)
    read_upcoming (self, now);
  for (guint i = 0; i < g_list_model_get_n_items (self->upcoming); i++)
    {
      g_autoptr (CxTimetableItem) item = g_list_model_get_item (self->upcoming, i);
      const CxTimetableEntry *entry = cx_timetable_item_get_entry (item);
      gint64 remind_at = entry->starts_at - (gint64) minutes * 60;
      gint64 *reminded = g_hash_table_lookup (self->reminded, entry->uuid);

      if (entry->starts_at <= now || (reminded != NULL && *reminded == entry->starts_at))
        continue;
      if (remind_at <= now)
        notify (self, item, now);
      else
        next = MIN (next, remind_at);
    }
  self->timer = g_timeout_add_seconds ((guint) CLAMP (next - now, 1, MAX_SLEEP), timer_cb, self);
}

/* The timetable or the setting changed: read again and set the timer anew. */
void
cx_class_reminder_rearm (CxClassReminder *self)
{
  g_return_if_fail (CX_IS_CLASS_REMINDER (self));
  self->stale = TRUE;
  check (self);
}

static void
on_minutes_changed (GSettings *settings, const char *key, CxClassReminder *self)
{
  cx_class_reminder_rearm (self);
}

static void
cx_class_reminder_dispose (GObject *object)
{
  CxClassReminder *self = CX_CLASS_REMINDER (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->upcoming);
  G_OBJECT_CLASS (cx_class_reminder_parent_class)->dispose (object);
}

static void
cx_class_reminder_finalize (GObject *object)
{
  g_hash_table_unref (CX_CLASS_REMINDER (object)->reminded);
  G_OBJECT_CLASS (cx_class_reminder_parent_class)->finalize (object);
}

static void
cx_class_reminder_class_init (CxClassReminderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cx_class_reminder_dispose;
  G_OBJECT_CLASS (klass)->finalize = cx_class_reminder_finalize;
}

static void
cx_class_reminder_init (CxClassReminder *self)
{
  self->reminded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * cx_class_reminder_new:
 * @app: sends the notifications; owns the reminder
 *
 * Starts reminding at once.
 */
CxClassReminder *
cx_class_reminder_new (GApplication *app, CxStore *store, GSettings *settings)
{
  CxClassReminder *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (CX_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CX_TYPE_CLASS_REMINDER, NULL);
  self->app = app;
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed::class-reminder-minutes", G_CALLBACK (on_minutes_changed),
                    self);
  check (self);
  return self;
}
