/* fork, vfork or posix_spawn of /bin/true from a process with N MB of touched
 * heap (a supervisor is about 1 MB): time per spawn, exec and wait.
 * Usage: spawn_kinds fork|vfork|posix_spawn COUNT [MB] (issue 15, item 4) */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    int n = atoi(argv[2]); const char *how = argv[1];
    size_t ballast = argc > 3 ? atol(argv[3]) : 0; /* MB of touched heap, as a supervisor's */
    char *b = ballast ? malloc(ballast << 20) : 0; if (b) memset(b, 1, ballast << 20);
    char *args[] = {"/bin/true", 0};
    double t0 = now();
    for (int i = 0; i < n; i++) {
        pid_t p;
        if (!strcmp(how, "fork")) { p = fork(); if (!p) { execve(args[0], args, environ); _exit(127); } }
        else if (!strcmp(how, "vfork")) { p = vfork(); if (!p) { execve(args[0], args, environ); _exit(127); } }
        else posix_spawn(&p, args[0], 0, 0, args, environ);
        waitpid(p, 0, 0);
    }
    printf("%s %zuMB: %.1f us per spawn+exec+wait\n", how, ballast, (now() - t0) / n * 1e6);
    return 0;
}
