/* cx-lesson-files.h: the teacher's own files in a lesson plan
 *
 * A PDF, slides, a video or photos from a USB stick are copied into the
 * store when they are added (DATA/lesson-files/), so the lesson still works
 * when the stick is gone.
 */
#pragma once

#include <gio/gio.h>

#include "cx-store.h"

G_BEGIN_DECLS

/* Large enough for a classroom video, small enough for a village laptop. */
#define CX_LESSON_FILE_MAX_SIZE (G_GUINT64_CONSTANT (1024) * 1024 * 1024)

gint64 cx_lesson_files_add (
    CxStore *store, gint64 plan_id, const char *path, GCancellable *cancellable, GError **error);
char *cx_lesson_files_get_path (CxStore *store, const char *file_path);

G_END_DECLS
