/* cx-course-node.c: one row of the library's course tree */
#include "config.h"

#include "cx-course-node.h"

struct _CxCourseNode
{
  GObject parent_instance;

  CxCourseNodeKind kind;
  char *id;
  char *title;
  char *subtitle;
  char *package_key;
  gboolean on_disk;
  gint64 resource_id;
  char *resource_kind;

  GListModel *children;
  CxCourseNodeLoader loader;
  gpointer loader_data;
  GDestroyNotify loader_destroy;
};

G_DEFINE_FINAL_TYPE (CxCourseNode, cx_course_node, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_ON_DISK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_loader (CxCourseNode *self)
{
  if (self->loader_destroy != NULL)
    self->loader_destroy (self->loader_data);
  self->loader = NULL;
  self->loader_data = NULL;
  self->loader_destroy = NULL;
}

static void
cx_course_node_finalize (GObject *object)
{
  CxCourseNode *self = CX_COURSE_NODE (object);

  clear_loader (self);
  g_clear_object (&self->children);
  g_free (self->id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->package_key);
  g_free (self->resource_kind);
  G_OBJECT_CLASS (cx_course_node_parent_class)->finalize (object);
}

static void
cx_course_node_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CxCourseNode *self = CX_COURSE_NODE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_ON_DISK:
      g_value_set_boolean (value, self->on_disk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cx_course_node_class_init (CxCourseNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cx_course_node_finalize;
  object_class->get_property = cx_course_node_get_property;

  properties[PROP_TITLE] =
      g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
      g_param_spec_string ("subtitle", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ON_DISK] =
      g_param_spec_boolean ("on-disk", NULL, NULL, TRUE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cx_course_node_init (CxCourseNode *self)
{
  self->on_disk = TRUE;
}

CxCourseNode *
cx_course_node_new (CxCourseNodeKind kind, const char *id, const char *title, const char *subtitle)
{
  CxCourseNode *self = g_object_new (CX_TYPE_COURSE_NODE, NULL);

  self->kind = kind;
  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle != NULL ? subtitle : "");
  return self;
}

CxCourseNodeKind
cx_course_node_get_kind (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), CX_COURSE_NODE_RESOURCE);
  return self->kind;
}

const char *
cx_course_node_get_id (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);
  return self->id;
}

const char *
cx_course_node_get_title (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);
  return self->title;
}

const char *
cx_course_node_get_subtitle (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);
  return self->subtitle;
}

gboolean
cx_course_node_get_on_disk (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), FALSE);
  return self->on_disk;
}

void
cx_course_node_set_on_disk (CxCourseNode *self, gboolean on_disk)
{
  g_return_if_fail (CX_IS_COURSE_NODE (self));
  if (self->on_disk == !!on_disk)
    return;
  self->on_disk = !!on_disk;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_DISK]);
}

const char *
cx_course_node_get_package_key (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);
  return self->package_key;
}

void
cx_course_node_set_package_key (CxCourseNode *self, const char *package_key)
{
  g_return_if_fail (CX_IS_COURSE_NODE (self));
  g_free (self->package_key);
  self->package_key = g_strdup (package_key);
}

gint64
cx_course_node_get_resource_id (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), 0);
  return self->resource_id;
}

const char *
cx_course_node_get_resource_kind (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);
  return self->resource_kind;
}

/* @resource_id is 0 for a file of a unit that is not on this computer. */
void
cx_course_node_set_resource (CxCourseNode *self, gint64 resource_id, const char *resource_kind)
{
  g_return_if_fail (CX_IS_COURSE_NODE (self));
  self->resource_id = resource_id;
  g_free (self->resource_kind);
  self->resource_kind = g_strdup (resource_kind);
}

void
cx_course_node_set_loader (CxCourseNode *self,
                           CxCourseNodeLoader loader,
                           gpointer user_data,
                           GDestroyNotify destroy)
{
  g_return_if_fail (CX_IS_COURSE_NODE (self));
  clear_loader (self);
  self->loader = loader;
  self->loader_data = user_data;
  self->loader_destroy = destroy;
}

void
cx_course_node_set_children (CxCourseNode *self, GListModel *children)
{
  g_return_if_fail (CX_IS_COURSE_NODE (self));
  g_set_object (&self->children, children);
}

/**
 * cx_course_node_has_children:
 *
 * Whether the node has children, or a loader for them, without loading
 * them: a collapsed tree asks this of every row it shows.
 */
gboolean
cx_course_node_has_children (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), FALSE);
  return self->children != NULL || self->loader != NULL;
}

/**
 * cx_course_node_get_children:
 *
 * Returns: (transfer none) (nullable): the children, loaded now if they
 *   were not yet; %NULL for a resource
 */
GListModel *
cx_course_node_get_children (CxCourseNode *self)
{
  g_return_val_if_fail (CX_IS_COURSE_NODE (self), NULL);

  if (self->children == NULL && self->loader != NULL)
    {
      self->children = self->loader (self, self->loader_data);
      clear_loader (self);
    }
  return self->children;
}
