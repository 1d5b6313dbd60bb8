/* cx-store-assignments.h: the assignments of a lesson plan, which pupils hand work in to
 *
 * A teacher sets assignments while preparing a lesson (备课); in student
 * mode a class sees the assignments of its lesson plans, newest lesson
 * first, and each hand-in names the one it answers.
 */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

#define CX_ASSIGNMENT_TITLE_MAX_CHARS        200
#define CX_ASSIGNMENT_INSTRUCTIONS_MAX_CHARS 4000

typedef struct
{
  gint64 id;
  gint64 plan_id;
  char *title;
  char *instructions; /* NULL when there are none */
  gint64 created_at;
  /* Of its lesson plan, for lists that span plans. */
  char *plan_title;
  char *class_name;
  char *subject;
  char *lesson_date; /* YYYY-MM-DD, or "" */
  guint n_hand_ins;
} CxAssignment;

void cx_assignment_free (CxAssignment *assignment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxAssignment, cx_assignment_free)

gint64 cx_store_add_assignment (
    CxStore *self, gint64 plan_id, const char *title, const char *instructions, GError **error);
CxAssignment *cx_store_get_assignment (CxStore *self, gint64 assignment_id, GError **error);
GPtrArray *cx_store_list_assignments (CxStore *self, gint64 plan_id, GError **error);
gboolean cx_store_remove_assignment (CxStore *self, gint64 assignment_id, GError **error);
GPtrArray *cx_store_list_class_assignments (CxStore *self, const char *class_name, GError **error);

G_END_DECLS
