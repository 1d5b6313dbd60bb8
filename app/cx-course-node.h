/* cx-course-node.h: one row of the library's course tree
 *
 * Packages hold units, units hold lessons and resources, lessons hold
 * resources. Children are loaded the first time they are asked for, so a
 * library of many packages opens without reading every manifest.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CX_COURSE_NODE_PACKAGE,
  CX_COURSE_NODE_UNIT,
  CX_COURSE_NODE_LESSON,
  CX_COURSE_NODE_RESOURCE,
} CxCourseNodeKind;

#define CX_TYPE_COURSE_NODE (cx_course_node_get_type ())
G_DECLARE_FINAL_TYPE (CxCourseNode, cx_course_node, CX, COURSE_NODE, GObject)

typedef GListModel *(*CxCourseNodeLoader) (CxCourseNode *node, gpointer user_data);

CxCourseNode *
cx_course_node_new (CxCourseNodeKind kind, const char *id, const char *title, const char *subtitle);
CxCourseNodeKind cx_course_node_get_kind (CxCourseNode *self);
const char *cx_course_node_get_id (CxCourseNode *self);
const char *cx_course_node_get_title (CxCourseNode *self);
const char *cx_course_node_get_subtitle (CxCourseNode *self);
gboolean cx_course_node_get_on_disk (CxCourseNode *self);
void cx_course_node_set_on_disk (CxCourseNode *self, gboolean on_disk);
const char *cx_course_node_get_package_key (CxCourseNode *self);
void cx_course_node_set_package_key (CxCourseNode *self, const char *package_key);
gint64 cx_course_node_get_resource_id (CxCourseNode *self);
const char *cx_course_node_get_resource_kind (CxCourseNode *self);
void
cx_course_node_set_resource (CxCourseNode *self, gint64 resource_id, const char *resource_kind);
void cx_course_node_set_loader (CxCourseNode *self,
                                CxCourseNodeLoader loader,
                                gpointer user_data,
                                GDestroyNotify destroy);
void cx_course_node_set_children (CxCourseNode *self, GListModel *children);
gboolean cx_course_node_has_children (CxCourseNode *self);
GListModel *cx_course_node_get_children (CxCourseNode *self);

G_END_DECLS
