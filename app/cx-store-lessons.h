/* cx-store-lessons.h: lesson plans (备课) and their ordered items */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  char *uuid;
  gint64 author_id;
  char *title;
  char *class_name;
  char *subject;
  char *lesson_date;
  char *objectives;
  gint64 created_at;
  gint64 updated_at;
  gboolean upload_pending;
} CxLessonPlan;

typedef struct
{
  gint64 id;
  gint64 plan_id;
  int position;
  gint64 resource_id;
  char *file_path;
  char *title;
  char *notes;
} CxLessonItem;

void cx_lesson_plan_free (CxLessonPlan *plan);
void cx_lesson_item_free (CxLessonItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxLessonPlan, cx_lesson_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxLessonItem, cx_lesson_item_free)

gint64 cx_store_create_lesson_plan (CxStore *self, const CxLessonPlan *plan, GError **error);
CxLessonPlan *cx_store_get_lesson_plan (CxStore *self, gint64 plan_id, GError **error);
GPtrArray *cx_store_list_lesson_plans (CxStore *self, GError **error);
gint64 cx_store_add_lesson_item (CxStore *self, const CxLessonItem *item, GError **error);
GPtrArray *cx_store_list_lesson_items (CxStore *self, gint64 plan_id, GError **error);
gboolean
cx_store_move_lesson_item (CxStore *self, gint64 item_id, int new_position, GError **error);
gint64 cx_store_duplicate_lesson_plan (CxStore *self,
                                       gint64 plan_id,
                                       const char *new_title,
                                       GError **error);
gboolean cx_store_update_lesson_plan (CxStore *self, const CxLessonPlan *plan, GError **error);
gboolean
cx_store_set_lesson_item_notes (CxStore *self, gint64 item_id, const char *notes, GError **error);
gboolean cx_store_remove_lesson_item (CxStore *self, gint64 item_id, GError **error);
gboolean cx_store_mark_lesson_plan_uploaded (CxStore *self,
                                             gint64 plan_id,
                                             gint64 seen_updated_at,
                                             GError **error);

G_END_DECLS
