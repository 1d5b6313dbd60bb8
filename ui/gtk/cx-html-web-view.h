/* cx-html-web-view.h: an HTML lesson page shown by WebKit, off the network */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called once if the page cannot be shown after all; @reason is for people. */
typedef void (*CxHtmlFailedFunc) (const char *reason, gpointer user_data);

GtkWidget *cx_html_web_view_new (
    const char *html, GFile *file, const char *name, CxHtmlFailedFunc failed, gpointer user_data);
void cx_html_web_view_block_external (GtkWidget *view);

G_END_DECLS
