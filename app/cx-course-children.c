/* cx-course-children.c: a node's children, loaded when first looked at
 *
 * A GtkTreeListModel makes a row's child model to learn whether the row
 * can be expanded, and drops it again while the row stays folded. With a
 * hundred packages each a thousand files, loading every course tree there
 * would cost seconds at start; this model costs nothing until its items
 * are asked for, which only an expanded row does.
 */
#include "config.h"

#include "cx-course-children.h"

struct _CxCourseChildren
{
  GObject parent_instance;

  CxCourseNode *node;
};

static void cx_course_children_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CxCourseChildren,
                               cx_course_children,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cx_course_children_list_model_init))

static GType
cx_course_children_get_item_type (GListModel *model)
{
  return CX_TYPE_COURSE_NODE;
}

static guint
cx_course_children_get_n_items (GListModel *model)
{
  GListModel *children = cx_course_node_get_children (CX_COURSE_CHILDREN (model)->node);

  return children != NULL ? g_list_model_get_n_items (children) : 0;
}

static gpointer
cx_course_children_get_item (GListModel *model, guint position)
{
  GListModel *children = cx_course_node_get_children (CX_COURSE_CHILDREN (model)->node);

  return children != NULL ? g_list_model_get_item (children, position) : NULL;
}

static void
cx_course_children_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cx_course_children_get_item_type;
  iface->get_n_items = cx_course_children_get_n_items;
  iface->get_item = cx_course_children_get_item;
}

static void
cx_course_children_dispose (GObject *object)
{
  g_clear_object (&CX_COURSE_CHILDREN (object)->node);
  G_OBJECT_CLASS (cx_course_children_parent_class)->dispose (object);
}

static void
cx_course_children_class_init (CxCourseChildrenClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cx_course_children_dispose;
}

static void
cx_course_children_init (CxCourseChildren *self)
{
}

/**
 * cx_course_children_new:
 *
 * Returns: (transfer full): the children of @node as a list model that
 *   loads them on first use
 */
GListModel *
cx_course_children_new (CxCourseNode *node)
{
  CxCourseChildren *self;

  g_return_val_if_fail (CX_IS_COURSE_NODE (node), NULL);

  self = g_object_new (CX_TYPE_COURSE_CHILDREN, NULL);
  self->node = g_object_ref (node);
  return G_LIST_MODEL (self);
}
