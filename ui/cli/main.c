/* main.c: cunxiao-cli, the command-line face of Cunxiao */
#include "cx-cli.h"

int
main (int argc, char **argv)
{
  return cx_cli_main (argc, argv);
}
