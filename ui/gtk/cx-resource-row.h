/* cx-resource-row.h: one row of the library: a package, unit, lesson or resource */
#pragma once

#include <adwaita.h>

#include "cx-course-node.h"

G_BEGIN_DECLS

#define CX_TYPE_RESOURCE_ROW (cx_resource_row_get_type ())
G_DECLARE_FINAL_TYPE (CxResourceRow, cx_resource_row, CX, RESOURCE_ROW, AdwBin)

/* What a dragged resource carries: "cunxiao-resource:ID". */
#define CX_RESOURCE_DRAG_PREFIX "cunxiao-resource:"

GtkWidget *cx_resource_row_new (void);
void cx_resource_row_bind (CxResourceRow *self, CxCourseNode *node, GtkTreeListRow *tree_row);
void cx_resource_row_set_online (CxResourceRow *self, gboolean online);
CxCourseNode *cx_resource_row_get_node (CxResourceRow *self);

G_END_DECLS
