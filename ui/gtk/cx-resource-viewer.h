/* cx-resource-viewer.h: shows one file of a package, whatever its kind */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CX_TYPE_RESOURCE_VIEWER (cx_resource_viewer_get_type ())
G_DECLARE_FINAL_TYPE (CxResourceViewer, cx_resource_viewer, CX, RESOURCE_VIEWER, GtkWidget)

GtkWidget *cx_resource_viewer_new (void);

void cx_resource_viewer_show (CxResourceViewer *self, const char *path, const char *kind);
const char *cx_resource_viewer_get_path (CxResourceViewer *self);
const char *cx_resource_viewer_get_kind (CxResourceViewer *self);
const char *cx_resource_viewer_get_error (CxResourceViewer *self);

gboolean cx_resource_viewer_next_page (CxResourceViewer *self);
gboolean cx_resource_viewer_previous_page (CxResourceViewer *self);

void cx_resource_viewer_block_external (CxResourceViewer *self);

gboolean cx_resource_viewer_get_presenting (CxResourceViewer *self);
void cx_resource_viewer_set_presenting (CxResourceViewer *self, gboolean presenting);

G_END_DECLS
