/* cx-cli.h: what the cunxiao-cli commands share */
#pragma once

#include <glib.h>

#include "cx-store.h"

G_BEGIN_DECLS

/* Exit statuses, documented in --help and the README. */
typedef enum
{
  CX_CLI_EXIT_OK = 0,
  CX_CLI_EXIT_FAILED = 1,
  CX_CLI_EXIT_USAGE = 2,
  CX_CLI_EXIT_NO_STORE = 3,
} CxCliExit;

typedef struct
{
  char *data_dir;
  char *data_dir_option;
} CxCli;

typedef int (*CxCliCommand) (CxCli *cli, int argc, char **argv);

int cx_cli_main (int argc, char **argv);

GOptionContext *cx_cli_context_new (CxCli *cli, const char *parameters);
gboolean cx_cli_parse (CxCli *cli, GOptionContext *context, int *argc, char ***argv, int *out_exit);
int cx_cli_usage (GOptionContext *context, const char *message);
int cx_cli_fail (const GError *error);
CxStore *cx_cli_open_store (CxCli *cli, int *out_exit);
void cx_cli_print_padded (const char *label, int width);
gboolean cx_cli_parse_rate (const char *text, guint64 *out_rate);

int cx_cli_command_init (CxCli *cli, int argc, char **argv);
int cx_cli_command_status (CxCli *cli, int argc, char **argv);
int cx_cli_command_accounts (CxCli *cli, int argc, char **argv);
int cx_cli_command_search (CxCli *cli, int argc, char **argv);
int cx_cli_command_hub (CxCli *cli, int argc, char **argv);
int cx_cli_command_packages (CxCli *cli, int argc, char **argv);
int cx_cli_command_enroll (CxCli *cli, int argc, char **argv);
int cx_cli_command_sync (CxCli *cli, int argc, char **argv);
int cx_cli_command_hand_in (CxCli *cli, int argc, char **argv);
int cx_cli_command_timetable (CxCli *cli, int argc, char **argv);
int cx_cli_command_class (CxCli *cli, int argc, char **argv);
int cx_cli_command_setting (CxCli *cli, int argc, char **argv);
int cx_cli_command_lesson (CxCli *cli, int argc, char **argv);
int cx_cli_command_assignment (CxCli *cli, int argc, char **argv);
int cx_cli_command_report (CxCli *cli, int argc, char **argv);
int cx_cli_command_usage (CxCli *cli, int argc, char **argv);

G_END_DECLS
