/* cx-course-children.h: a node's children, loaded when first looked at */
#pragma once

#include <gio/gio.h>

#include "cx-course-node.h"

G_BEGIN_DECLS

#define CX_TYPE_COURSE_CHILDREN (cx_course_children_get_type ())
G_DECLARE_FINAL_TYPE (CxCourseChildren, cx_course_children, CX, COURSE_CHILDREN, GObject)

GListModel *cx_course_children_new (CxCourseNode *node);

G_END_DECLS
