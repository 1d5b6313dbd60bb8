/* cx-source-files.h: the files of a package folder being published */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *path;   /* in the package */
  char *source; /* on disk */
} CxSourceFile;

void _cx_source_file_free (CxSourceFile *file);
GPtrArray *_cx_source_files_list (const char *src_dir, const char *skip, GError **error);
GInputStream *_cx_source_file_open (const char *source, guint32 *out_mode, GError **error);

G_END_DECLS
