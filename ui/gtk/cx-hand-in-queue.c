/* cx-hand-in-queue.c: files a pupil hands in, taken in one after another
 *
 * Each file is checked and copied in by the core (cx_hand_in_files_add_async)
 * off the main loop; this only keeps the order and tells the page how it
 * goes: "progress" while copying, then "handed-in" or "failed" for each
 * file, with the core's own message. Clearing it (the next pupil) cancels
 * the copy under way, which the core leaves without a trace, and forgets
 * what was waiting.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-hand-in-files.h"
#include "cx-hand-in-queue.h"

typedef struct
{
  GFile *file;
  CxHandIn details;
} Item;

struct _CxHandInQueue
{
  GObject parent_instance;

  CxStore *store;
  GQueue items;
  Item *current;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (CxHandInQueue, cx_hand_in_queue, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum
{
  PROGRESS,
  HANDED_IN,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (CxHandInQueue *self);

static void
item_free (Item *item)
{
  g_clear_object (&item->file);
  g_free (item->details.assignment);
  g_free (item->details.class_name);
  g_free (item->details.pupil);
  g_free (item);
}

static char *
display_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);

  return g_filename_display_name (base != NULL ? base : "");
}

/* The progress of the copy under way; a GCancellable per copy tells a
 * late report of a cleared queue from the current one. */
typedef struct
{
  CxHandInQueue *queue; /* owned */
  GCancellable *cancellable;
  char *name;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_object_unref (data->queue);
  g_object_unref (data->cancellable);
  g_free (data->name);
  g_free (data);
}

static void
on_progress (guint64 copied, guint64 total, gpointer user_data)
{
  CopyData *data = user_data;

  if (data->cancellable != data->queue->cancellable)
    return;
  g_signal_emit (data->queue, signals[PROGRESS], 0, data->name,
                 total > 0 ? (double) copied / total : 0.0);
}

static void
on_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GCancellable) cancellable = user_data;
  g_autoptr (GError) error = NULL;
  CxHandInQueue *self;
  g_autofree char *name = NULL;
  gint64 id = cx_hand_in_files_add_finish (CX_STORE (source), result, &error);

  /* Cleared meanwhile: the queue has moved on, or is gone. */
  self = g_object_get_data (G_OBJECT (cancellable), "cx-queue");
  if (self == NULL || self->cancellable != cancellable)
    return;
  name = display_name (self->current->file);
  if (id != 0)
    g_signal_emit (self, signals[HANDED_IN], 0, name, self->current->details.assignment, id);
  else
    g_signal_emit (self, signals[FAILED], 0, name, error->message);
  g_clear_pointer (&self->current, item_free);
  g_clear_object (&self->cancellable);
  pump (self);
}

static void
pump (CxHandInQueue *self)
{
  g_autofree char *path = NULL;
  CopyData *data;

  if (self->current != NULL)
    return;
  self->current = g_queue_pop_head (&self->items);
  if (self->current == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }
  path = g_file_get_path (self->current->file);
  self->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->cancellable), "cx-queue", self);
  data = g_new0 (CopyData, 1);
  data->queue = g_object_ref (self);
  data->cancellable = g_object_ref (self->cancellable);
  data->name = display_name (self->current->file);
  g_signal_emit (self, signals[PROGRESS], 0, data->name, 0.0);
  if (path == NULL)
    {
      /* Not a local file (a phone over MTP, say): the core reads paths. */
      g_autofree char *message =
          g_strdup_printf (_ ("“%s” is not on this computer: copy it here first."), data->name);

      g_signal_emit (self, signals[FAILED], 0, data->name, message);
      copy_data_free (data);
      g_clear_pointer (&self->current, item_free);
      g_clear_object (&self->cancellable);
      pump (self);
      return;
    }
  cx_hand_in_files_add_async (self->store, path, &self->current->details, on_progress, data,
                              (GDestroyNotify) copy_data_free, self->cancellable, on_added,
                              g_object_ref (self->cancellable));
}

static void
cx_hand_in_queue_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxHandInQueue *self = CX_HAND_IN_QUEUE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cx_hand_in_queue_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_hand_in_queue_dispose (GObject *object)
{
  CxHandInQueue *self = CX_HAND_IN_QUEUE (object);

  cx_hand_in_queue_clear (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (cx_hand_in_queue_parent_class)->dispose (object);
}

static void
cx_hand_in_queue_class_init (CxHandInQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cx_hand_in_queue_get_property;
  object_class->dispose = cx_hand_in_queue_dispose;

  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The file's name and how much of it is in (0–1). */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);
  /* The file's name, the assignment it went to and the hand-in's id. */
  signals[HANDED_IN] =
      g_signal_new ("handed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
  /* The file's name and why, in words for the pupil. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cx_hand_in_queue_init (CxHandInQueue *self)
{
  g_queue_init (&self->items);
}

CxHandInQueue *
cx_hand_in_queue_new (CxStore *store)
{
  CxHandInQueue *self = g_object_new (CX_TYPE_HAND_IN_QUEUE, NULL);

  self->store = g_object_ref (store);
  return self;
}

/**
 * cx_hand_in_queue_add:
 * @pupil: (nullable): whose work, if they gave their name
 */
void
cx_hand_in_queue_add (CxHandInQueue *self,
                      GFile *file,
                      const CxAssignment *assignment,
                      const char *class_name,
                      const char *pupil)
{
  Item *item;
  gboolean was_busy;

  g_return_if_fail (CX_IS_HAND_IN_QUEUE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (assignment != NULL);

  was_busy = cx_hand_in_queue_get_busy (self);
  item = g_new0 (Item, 1);
  item->file = g_object_ref (file);
  item->details.assignment_id = assignment->id;
  item->details.lesson_plan_id = assignment->plan_id;
  item->details.assignment = g_strdup (assignment->title);
  item->details.class_name = g_strdup (class_name);
  item->details.pupil = g_strdup (pupil);
  g_queue_push_tail (&self->items, item);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  pump (self);
}

gboolean
cx_hand_in_queue_get_busy (CxHandInQueue *self)
{
  g_return_val_if_fail (CX_IS_HAND_IN_QUEUE (self), FALSE);
  return self->current != NULL || !g_queue_is_empty (&self->items);
}

/* Nothing of it stays: the copy under way is cancelled, the rest dropped. */
void
cx_hand_in_queue_clear (CxHandInQueue *self)
{
  gboolean was_busy;

  g_return_if_fail (CX_IS_HAND_IN_QUEUE (self));
  was_busy = cx_hand_in_queue_get_busy (self);
  if (self->cancellable != NULL)
    {
      g_object_set_data (G_OBJECT (self->cancellable), "cx-queue", NULL);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  g_clear_pointer (&self->current, item_free);
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  if (was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
