#include "CSwnetShim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <sys/vfs.h>
#include <linux/magic.h>

const int swnet_CLONE_NEWNET = CLONE_NEWNET;
const int swnet_CLONE_NEWNS = CLONE_NEWNS;
const int swnet_CLONE_NEWUTS = CLONE_NEWUTS;

int swnet_unshare(int flags) { return unshare(flags); }
int swnet_setns(int fd, int nstype) { return setns(fd, nstype); }

int swnet_is_nsfs(int fd) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    return info.f_type == NSFS_MAGIC ? 1 : 0;
}

int swnet_exchange(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
}

struct swnet_thread_job {
    int nsfd;             // namespace to enter, or -1 for a new one
    swnet_thread_body body;
    void *context;
    int error;
};

static void *swnet_thread_main(void *arg) {
    struct swnet_thread_job *job = arg;
    int rc = job->nsfd >= 0 ? setns(job->nsfd, CLONE_NEWNET) : unshare(CLONE_NEWNET);
    if (rc != 0) {
        job->error = errno;
        return NULL;
    }
    job->body(job->context);
    return NULL;
}

static int swnet_run_job(struct swnet_thread_job *job) {
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, swnet_thread_main, job);
    if (rc != 0) return rc;
    rc = pthread_join(thread, NULL);
    if (rc != 0) return rc;
    return job->error;
}

int swnet_run_in_netns(int nsfd, swnet_thread_body body, void *context) {
    struct swnet_thread_job job = { nsfd, body, context, 0 };
    return swnet_run_job(&job);
}

int swnet_run_in_new_netns(swnet_thread_body body, void *context) {
    struct swnet_thread_job job = { -1, body, context, 0 };
    return swnet_run_job(&job);
}
