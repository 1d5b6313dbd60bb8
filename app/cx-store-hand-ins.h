/* cx-store-hand-ins.h: work pupils hand in, queued for upload */
#pragma once

#include "cx-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  char *uuid;
  gint64 lesson_plan_id;
  gint64 assignment_id; /* 0 when it answers no assignment of a lesson plan */
  char *assignment;     /* what it answers, as text: the assignment's title if it has one */
  char *class_name;
  char *pupil;
  char *file_name;
  char *content_hash;
  gint64 size;
  gint64 created_at;
  gboolean uploaded;
} CxHandIn;

void cx_hand_in_free (CxHandIn *hand_in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CxHandIn, cx_hand_in_free)

gint64 cx_store_add_hand_in (CxStore *self, const CxHandIn *hand_in, GError **error);
CxHandIn *cx_store_get_hand_in (CxStore *self, gint64 hand_in_id, GError **error);
GPtrArray *cx_store_list_hand_ins (CxStore *self, gboolean only_pending, GError **error);
GPtrArray *cx_store_list_assignment_hand_ins (CxStore *self, gint64 assignment_id, GError **error);
gboolean cx_store_mark_hand_in_uploaded (CxStore *self, gint64 hand_in_id, GError **error);

G_END_DECLS
