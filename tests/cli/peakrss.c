/*
 * peakrss.c - runs a command with stdout/stderr to /dev/null and prints
 * "EXIT PEAK_KB": its exit code and the peak resident set size the kernel
 * recorded for it. A small C parent keeps the inherited baseline (Linux
 * carries the parent's peak into the child across exec) near 1 MB.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: peakrss CMD [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0)
        return 2;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return 2;
    printf("%d %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128, ru.ru_maxrss);
    return 0;
}
