/* cx-search-index.h: the library's searchable text, held in memory */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_TYPE_SEARCH_INDEX (cx_search_index_get_type ())
G_DECLARE_FINAL_TYPE (CxSearchIndex, cx_search_index, CX, SEARCH_INDEX, GObject)

CxSearchIndex *cx_search_index_new (CxStore *store, GCancellable *cancellable, GError **error);
const char *cx_search_index_get_stamp (CxSearchIndex *self);
guint cx_search_index_get_size (CxSearchIndex *self);
GArray *cx_search_index_find (CxSearchIndex *self, const char *text, guint limit);

G_END_DECLS
