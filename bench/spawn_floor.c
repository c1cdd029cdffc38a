/* The floor for "100 longruns up": posix_spawn the same 100 run scripts
 * from a tiny C program, no supervision at all, and time until every one
 * has written its byte to the FIFO. Usage: spawn_floor RUN FIFO N [stdout|respawn]
 * (with "stdout", RUN gets the FIFO as its stdout: RUN may then be the
 * daemon itself, for the fork + exec floor; "respawn" does the same, then
 * spawns a child again the moment it dies, until TERM: the restart floor). */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pid_t spawn(const char *run, int fifo, int null, int to_fifo) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* stdout first: the FIFO may be fd 3, which the next line replaces */
    if (to_fifo) posix_spawn_file_actions_adddup2(&fa, fifo, 1);
    posix_spawn_file_actions_adddup2(&fa, null, 3); /* the notification fd */
    char *args[] = {"run", 0};
    pid_t pid = 0;
    posix_spawn(&pid, run, &fa, 0, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) return 100;
    int to_fifo = argc == 5;
    int respawn = argc == 5 && argv[4][0] == 'r';
    int n = atoi(argv[3]);
    pid_t *pids = calloc(n, sizeof *pids);
    int fifo = open(argv[2], O_RDWR);
    int null = open("/dev/null", O_WRONLY);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) pids[i] = spawn(argv[1], fifo, null, to_fifo);
    char buf[256];
    for (int got = 0; got < n;) {
        ssize_t r = read(fifo, buf, sizeof buf < (size_t)(n - got) ? sizeof buf : (size_t)(n - got));
        if (r <= 0) return 111;
        got += r;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.3f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
    fflush(stdout);
    if (respawn) {
        /* No SA_RESTART: TERM interrupts the wait. */
        struct sigaction sa = {.sa_handler = on_term};
        sigaction(SIGTERM, &sa, 0);
        while (!stop) {
            pid_t dead = wait(0);
            for (int i = 0; dead > 0 && i < n; i++)
                if (pids[i] == dead) pids[i] = spawn(argv[1], fifo, null, to_fifo);
        }
    }
    for (int i = 0; i < n; i++) {
        kill(pids[i], SIGKILL);
        waitpid(pids[i], 0, 0);
    }
    return 0;
}
