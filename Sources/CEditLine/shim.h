// libedit's readline-compatible interface. Do not include GNU readline's header alongside it.
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <editline/readline.h>
