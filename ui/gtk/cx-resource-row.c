/* cx-resource-row.c: one row of the library: a package, unit, lesson or resource
 *
 * The whole row is a flat button, so it can be clicked, reached with the
 * keyboard and activated through the accessibility tree alike: a resource
 * opens, anything else expands or folds. A unit that is not on this
 * computer says so and offers to fetch it when a network is there.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cx-resource-row.h"

struct _CxResourceRow
{
  AdwBin parent_instance;

  GtkWidget *button;
  GtkWidget *outer;
  GtkWidget *box;
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *subtitle;
  GtkLabel *missing;       /* made when first needed: most rows are on disk */
  GtkWidget *fetch_button; /* made when first needed: only units and packages */
  gboolean online;

  CxCourseNode *node;
  GtkTreeListRow *tree_row; /* NULL in search results */
};

G_DEFINE_FINAL_TYPE (CxResourceRow, cx_resource_row, ADW_TYPE_BIN)

enum
{
  OPEN,
  FETCH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
icon_for (CxCourseNode *node)
{
  const char *kind = cx_course_node_get_resource_kind (node);

  switch (cx_course_node_get_kind (node))
    {
    case CX_COURSE_NODE_PACKAGE:
      return "accessories-dictionary-symbolic";
    case CX_COURSE_NODE_UNIT:
      return "folder-symbolic";
    case CX_COURSE_NODE_LESSON:
      return "x-office-document-symbolic";
    case CX_COURSE_NODE_RESOURCE:
    default:
      break;
    }
  if (g_strcmp0 (kind, "pdf") == 0)
    return "x-office-document-symbolic";
  if (g_strcmp0 (kind, "image") == 0)
    return "image-x-generic-symbolic";
  if (g_strcmp0 (kind, "video") == 0)
    return "video-x-generic-symbolic";
  if (g_strcmp0 (kind, "audio") == 0)
    return "audio-x-generic-symbolic";
  if (g_strcmp0 (kind, "html") == 0 || g_strcmp0 (kind, "text") == 0)
    return "text-x-generic-symbolic";
  return "text-x-generic-symbolic";
}

static void
on_clicked (GtkButton *button, CxResourceRow *self)
{
  if (self->node == NULL)
    return;
  if (cx_course_node_get_kind (self->node) == CX_COURSE_NODE_RESOURCE)
    {
      if (cx_course_node_get_on_disk (self->node))
        g_signal_emit (self, signals[OPEN], 0, self->node);
      return;
    }
  if (self->tree_row != NULL)
    gtk_tree_list_row_set_expanded (self->tree_row,
                                    !gtk_tree_list_row_get_expanded (self->tree_row));
}

static void
on_fetch_clicked (GtkButton *button, CxResourceRow *self)
{
  if (self->node != NULL)
    g_signal_emit (self, signals[FETCH], 0, self->node);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, CxResourceRow *self)
{
  g_autofree char *text = NULL;

  if (self->node == NULL || cx_course_node_get_resource_id (self->node) == 0)
    return NULL;
  text = g_strdup_printf (CX_RESOURCE_DRAG_PREFIX "%" G_GINT64_FORMAT,
                          cx_course_node_get_resource_id (self->node));
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
cx_resource_row_dispose (GObject *object)
{
  CxResourceRow *self = CX_RESOURCE_ROW (object);

  g_clear_object (&self->node);
  g_clear_object (&self->tree_row);
  G_OBJECT_CLASS (cx_resource_row_parent_class)->dispose (object);
}

static void
cx_resource_row_class_init (CxResourceRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cx_resource_row_dispose;

  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, CX_TYPE_COURSE_NODE);
  signals[FETCH] = g_signal_new ("fetch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, CX_TYPE_COURSE_NODE);
}

/* A search shows dozens of rows per keystroke: a row has only what every
 * row needs until it needs more. */
static void
cx_resource_row_init (CxResourceRow *self)
{
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkDragSource *drag = gtk_drag_source_new ();

  self->online = TRUE;
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->icon = GTK_IMAGE (gtk_image_new ());
  self->title = GTK_LABEL (gtk_label_new (NULL));
  self->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_xalign (self->subtitle, 0);
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (self->subtitle, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "caption");
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (labels), GTK_WIDGET (self->subtitle));
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (self->box), labels);

  self->button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->button), self->box);
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_set_hexpand (self->button, TRUE);
  g_signal_connect (self->button, "clicked", G_CALLBACK (on_clicked), self);

  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  gtk_widget_add_controller (self->button, GTK_EVENT_CONTROLLER (drag));

  gtk_box_append (GTK_BOX (self->outer), self->button);
  adw_bin_set_child (ADW_BIN (self), self->outer);
}

static void
ensure_missing_label (CxResourceRow *self)
{
  if (self->missing != NULL)
    return;
  self->missing = GTK_LABEL (gtk_label_new (_ ("Not on this computer")));
  gtk_widget_add_css_class (GTK_WIDGET (self->missing), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->missing), "caption");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->missing));
}

static void
ensure_fetch_button (CxResourceRow *self)
{
  g_autofree char *fetch_label = NULL;

  if (self->fetch_button == NULL)
    {
      self->fetch_button = gtk_button_new_with_label (_ ("Fetch"));
      gtk_widget_set_valign (self->fetch_button, GTK_ALIGN_CENTER);
      g_signal_connect (self->fetch_button, "clicked", G_CALLBACK (on_fetch_clicked), self);
      gtk_box_append (GTK_BOX (self->outer), self->fetch_button);
    }
  fetch_label = g_strdup_printf (_ ("Fetch “%s”"), cx_course_node_get_title (self->node));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fetch_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, fetch_label, -1);
}

GtkWidget *
cx_resource_row_new (void)
{
  return g_object_new (CX_TYPE_RESOURCE_ROW, NULL);
}

static void
update_availability (CxResourceRow *self, gboolean online)
{
  gboolean on_disk = cx_course_node_get_on_disk (self->node);
  gboolean fetchable = !on_disk && cx_course_node_get_kind (self->node) != CX_COURSE_NODE_LESSON &&
                       cx_course_node_get_kind (self->node) != CX_COURSE_NODE_RESOURCE;

  self->online = online;
  if (!on_disk)
    ensure_missing_label (self);
  if (self->missing != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->missing), !on_disk);
  if (fetchable)
    {
      ensure_fetch_button (self);
      gtk_widget_set_sensitive (self->fetch_button, online);
      gtk_widget_set_tooltip_text (self->fetch_button,
                                   online ? _ ("Download it from the hub")
                                          : _ ("Needs a network: connect, then fetch"));
    }
  if (self->fetch_button != NULL)
    gtk_widget_set_visible (self->fetch_button, fetchable);
  if (on_disk)
    gtk_widget_remove_css_class (self->button, "not-on-disk");
  else
    gtk_widget_add_css_class (self->button, "not-on-disk");
}

/**
 * cx_resource_row_bind:
 * @tree_row: (nullable): the row of the course tree, to expand and fold
 */
void
cx_resource_row_bind (CxResourceRow *self, CxCourseNode *node, GtkTreeListRow *tree_row)
{
  const char *subtitle;

  g_return_if_fail (CX_IS_RESOURCE_ROW (self));

  g_set_object (&self->node, node);
  g_set_object (&self->tree_row, tree_row);
  if (node == NULL)
    return;

  subtitle = cx_course_node_get_subtitle (node);
  gtk_image_set_from_icon_name (self->icon, icon_for (node));
  gtk_label_set_text (self->title, cx_course_node_get_title (node));
  gtk_label_set_text (self->subtitle, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), subtitle != NULL && *subtitle != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cx_course_node_get_title (node), -1);
  update_availability (self, self->online);
}

void
cx_resource_row_set_online (CxResourceRow *self, gboolean online)
{
  g_return_if_fail (CX_IS_RESOURCE_ROW (self));
  self->online = online;
  if (self->node != NULL)
    update_availability (self, online);
}

CxCourseNode *
cx_resource_row_get_node (CxResourceRow *self)
{
  g_return_val_if_fail (CX_IS_RESOURCE_ROW (self), NULL);
  return self->node;
}
