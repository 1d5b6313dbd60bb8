/* cx-pdf-view.h: a scrollable, zoomable view of one PDF page at a time */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CX_TYPE_PDF_VIEW (cx_pdf_view_get_type ())
G_DECLARE_FINAL_TYPE (CxPdfView, cx_pdf_view, CX, PDF_VIEW, GtkWidget)

GtkWidget *cx_pdf_view_new (void);

gboolean cx_pdf_view_load (CxPdfView *self, GFile *file, GError **error);

int cx_pdf_view_get_n_pages (CxPdfView *self);
int cx_pdf_view_get_page (CxPdfView *self);
void cx_pdf_view_set_page (CxPdfView *self, int page);
gboolean cx_pdf_view_next_page (CxPdfView *self);
gboolean cx_pdf_view_previous_page (CxPdfView *self);

double cx_pdf_view_get_zoom (CxPdfView *self);
void cx_pdf_view_set_zoom (CxPdfView *self, double zoom);
gboolean cx_pdf_view_get_fit_width (CxPdfView *self);
void cx_pdf_view_zoom_in (CxPdfView *self);
void cx_pdf_view_zoom_out (CxPdfView *self);
void cx_pdf_view_zoom_fit_width (CxPdfView *self);

gboolean cx_pdf_view_get_presenting (CxPdfView *self);
void cx_pdf_view_set_presenting (CxPdfView *self, gboolean presenting);

G_END_DECLS
