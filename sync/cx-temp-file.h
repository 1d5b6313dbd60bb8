/* cx-temp-file.h: files written so that a power cut leaves the old one or the new one */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Temporaries start so; a crashed writer's are found by it. */
#define CX_TEMP_FILE_PREFIX ".tmp-"

typedef struct
{
  char *path;
  int fd;
  GOutputStream *stream; /* owns fd */
} CxTempFile;

gboolean _cx_temp_file_open (CxTempFile *temp, const char *dir, GError **error);
void _cx_temp_file_discard (CxTempFile *temp);
gboolean
_cx_temp_file_commit (CxTempFile *temp, const char *path, guint64 *out_size, GError **error);
gboolean _cx_write_file_atomic (const char *path, GBytes *bytes, GError **error);
gboolean _cx_ensure_dir_durable (const char *dir, GError **error);
gboolean _cx_set_errno_error (GError **error, int saved, const char *what);

G_END_DECLS
