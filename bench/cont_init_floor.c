/* The floor for "a cont-init.d of 20 execline scripts": what the scripts
 * themselves must do, from a tiny C program, one forked child per script
 * run to its end before the next (as a stage runner must): make the
 * directory (with -p's probes of its parents), create the file, write the
 * line. No interpreter, no exec, no logging. Prints the seconds taken.
 * Usage: cont_init_floor TOPDIR N (TOPDIR/ci must not exist yet) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void script(const char *top, int i) {
    char d[4096], f[4200], line[32];
    snprintf(d, sizeof d, "%s/ci", top);
    /* s6-mkdir -p: each parent, then the leaf */
    if (mkdir(top, 0777) < 0 && errno != EEXIST) _exit(111);
    if (mkdir(d, 0777) < 0 && errno != EEXIST) _exit(111);
    snprintf(d, sizeof d, "%s/ci/d%02d", top, i);
    if (mkdir(d, 0777) < 0 && errno != EEXIST) _exit(111);
    snprintf(f, sizeof f, "%s/f", d);
    int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) _exit(111);
    int n = snprintf(line, sizeof line, "hello %02d\n", i);
    if (write(fd, line, n) != n) _exit(111);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 3) return 100;
    int n = atoi(argv[2]);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 1; i <= n; i++) {
        pid_t pid = fork();
        if (pid < 0) return 111;
        if (pid == 0) script(argv[1], i);
        int st;
        if (waitpid(pid, &st, 0) < 0 || st != 0) return 111;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.6f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
    return 0;
}
