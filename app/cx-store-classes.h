/* cx-store-classes.h: the classes this computer knows, their grade and their pupils
 *
 * A class is known by its name (一年级, 三年二班, …), as the timetable,
 * lesson plans and hand-ins already write it; no separate id. Its grade
 * is set by someone or else guessed from the name, and decides which
 * installed packages are "the class's courses" in student mode. The
 * roster is the list of the class's pupils, which student mode offers
 * when a pupil hands in work.
 */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_GRADE_MAX            12
#define CX_CLASS_NAME_MAX_CHARS 64
#define CX_PUPIL_NAME_MAX_CHARS 64

typedef struct
{
  char *name;
  int grade;          /* 1–12, or 0 when it is neither set nor to be guessed from the name */
  gboolean grade_set; /* set by someone (cx_store_set_class_grade()), not guessed */
  guint n_pupils;     /* on the roster */
} CxClass;

void cx_class_free (CxClass *klass);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxClass, cx_class_free)

int cx_class_guess_grade (const char *name);
int cx_class_name_compare (const char *a, const char *b);

gboolean cx_store_set_class_grade (CxStore *self, const char *name, int grade, GError **error);
CxClass *cx_store_get_class (CxStore *self, const char *name, GError **error);
GPtrArray *cx_store_list_classes (CxStore *self, GError **error);
GPtrArray *cx_store_list_class_packages (CxStore *self, const char *name, GError **error);

gboolean
cx_store_add_pupil (CxStore *self, const char *class_name, const char *pupil, GError **error);
gboolean
cx_store_remove_pupil (CxStore *self, const char *class_name, const char *pupil, GError **error);
char **cx_store_list_pupils (CxStore *self, const char *class_name, GError **error);

G_END_DECLS
