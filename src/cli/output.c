/*
 * output.c - where a command's output goes: stdout, or a file written
 * atomically (temporary file in the same directory, fsync, rename), so a
 * reader never sees half a file and a failed run leaves the old file intact.
 */
#include "cli.h"
#include "diagprint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct vm_out {
    FILE *fp;
    char *path;   /* destination; NULL for stdout */
    char *tmp;    /* temporary file next to it */
    bool direct;  /* an existing non-regular file, written in place */
    char *buf;    /* fp's buffer (not stdout's), freed after fclose */
};

/* Reports are written a document at a time, often 5-15 KB each: with
 * stdio's default 4 KB buffer every one would be two or three write(2)s. A
 * stream that is not a terminal gets a 256 KB buffer instead (batch.c
 * writes it out at 64 KB while its output is short, so that a short run
 * does not touch the rest of its pages; a terminal
 * keeps stdio's interactive buffering). The buffer must be given: glibc's
 * setvbuf ignores the size when the buffer is NULL and keeps st_blksize.
 * Standard output's is static (it is flushed at exit) and set once, before
 * its first write; a file's is the vm_out's, freed after its fclose. */
#define OUT_BUFFER ((size_t)256 * 1024)

static void big_buffer(vm_out *o)
{
    if (isatty(fileno(o->fp)))
        return;
    if (o->fp == stdout) {
        static char stdout_buffer[OUT_BUFFER];
        static bool done;
        if (!done)
            setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
        done = true;
        return;
    }
    o->buf = malloc(OUT_BUFFER);
    if (o->buf) /* else stdio's own buffer: slower, not wrong */
        setvbuf(o->fp, o->buf, _IOFBF, OUT_BUFFER);
}

vm_out *vm_out_open(const char *path)
{
    vm_out *o = calloc(1, sizeof *o);
    if (!o) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return NULL;
    }
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        big_buffer(o);
        return o;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, FIFO or /dev/stdout: nothing to replace, write through */
        o->path = malloc(strlen(path) + 1);
        o->fp = o->path ? fopen(path, "wb") : NULL;
        if (!o->fp) {
            if (o->path)
                vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
            else
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
            free(o->path);
            free(o);
            return NULL;
        }
        strcpy(o->path, path);
        o->direct = true;
        big_buffer(o);
        return o;
    }
    size_t n = strlen(path);
    o->path = malloc(n + 1);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        goto fail;
    }
    memcpy(o->path, path, n + 1);
    /* "dir/.name.XXXXXX": same directory, so rename is atomic */
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(o->tmp, n + 16, "%.*s.%s.XXXXXX", (int)dl, path, path + dl);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        goto fail;
    }
    /* mkstemp makes 0600: an existing file keeps its mode (a 0600 report
     * stays private), a new one gets the usual 0666 & ~umask */
    struct stat old;
    if (stat(path, &old) == 0) {
        (void)fchmod(fd, old.st_mode & 07777);
    } else {
        mode_t um = umask(0);
        umask(um);
        (void)fchmod(fd, 0666 & ~um);
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        goto fail;
    }
    big_buffer(o);
    return o;
fail:
    free(o->path);
    free(o->tmp);
    free(o);
    return NULL;
}

FILE *vm_out_fp(vm_out *o) { return o->fp; }

static void out_free(vm_out *o)
{
    free(o->buf);
    free(o->path);
    free(o->tmp);
    free(o);
}

void vm_out_abort(vm_out *o)
{
    if (!o)
        return;
    if (o->direct) {
        fclose(o->fp);
    } else if (o->path) {
        fclose(o->fp);
        unlink(o->tmp);
    }
    out_free(o);
}

int vm_out_commit(vm_out *o)
{
    int err = 0;
    if (!o->path || o->direct) {
        bool is_stdout = !o->path;
        /* errno still holds the reason of a failed earlier write, if any */
        if (fflush(o->fp) != 0 || ferror(o->fp))
            err = errno ? errno : EIO;
        if (is_stdout)
            clearerr(stdout); /* reported here; main need not repeat it */
        else if (fclose(o->fp) != 0 && !err)
            err = errno ? errno : EIO;
        if (err)
            vm_eprintf("%s: write error on %s: %s\n", VM_PROG,
                    is_stdout ? "standard output" : o->path, strerror(err));
        out_free(o);
        return err ? VM_EIO : 0;
    }
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(o->fp)) != 0)
        err = errno;
    if (fclose(o->fp) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, o->path, strerror(err));
        unlink(o->tmp);
        out_free(o);
        return VM_EIO;
    }
    /* make the rename itself durable; failure here loses nothing visible */
    const char *slash = strrchr(o->path, '/');
    char dir[4096];
    if (slash && (size_t)(slash - o->path) < sizeof dir - 1) {
        snprintf(dir, sizeof dir, "%.*s", slash == o->path ? 1 : (int)(slash - o->path), o->path);
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    out_free(o);
    return 0;
}

int vm_out_write(const char *path, const char *data, size_t len)
{
    vm_out *o = vm_out_open(path);
    if (!o)
        return VM_EIO;
    fwrite(data ? data : "", 1, len, o->fp);
    return vm_out_commit(o);
}

int vm_print_buf(vm_buf *b, const char *cmd)
{
    int rc = VM_OK;
    if (b->oom) {
        fprintf(stderr, "%s %s: out of memory\n", VM_PROG, cmd);
        rc = VM_EIO;
    } else {
        fwrite(b->data ? b->data : "", 1, b->len, stdout);
    }
    vm_buf_free(b);
    return rc;
}

int vm_out_write_buf(const char *path, vm_buf *b)
{
    int rc = b->oom ? VM_EIO : vm_out_write(path, b->data, b->len);
    vm_buf_free(b);
    return rc;
}

size_t vm_slug(const char *s, size_t len, char *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            out[n++] = ch;
        else if (n && out[n - 1] != '-')
            out[n++] = '-';
    }
    return n;
}

int vm_out_dir(const char *output, char *dir, size_t cap)
{
    struct stat st;
    size_t n = output ? strlen(output) : 0;
    if (!n || !(output[n - 1] == '/' || (stat(output, &st) == 0 && S_ISDIR(st.st_mode))))
        return 0;
    snprintf(dir, cap, "%s", output);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dir[--dl] = '\0';
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, dir, strerror(errno));
        return -1;
    }
    return 1;
}
