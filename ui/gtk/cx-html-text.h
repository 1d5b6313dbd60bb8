/* cx-html-text.h: the text of a simple HTML lesson, for showing without a browser engine */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cx_html_to_text (const char *html, GArray *headings);

G_END_DECLS
