#pragma once
#include "CSandbox.h"
#include <limits.h>
#include <sys/types.h>

/// The unprivileged user and group a root caller's programs run as: RLIMIT_NPROC does not bind root.
enum { SANDBOX_NOBODY = 65534 };
/// Interpreter directories one run can make reachable; a python has at most a few prefixes.
enum { SANDBOX_MAX_EXPOSURES = 16 };

/// An interpreter directory under `hidden[hidden_index]`, which the sandbox user cannot search: the child
/// covers that directory with an empty tmpfs and mounts the interpreter directory into it, read-only.
struct sandbox_exposure {
    char *path;
    size_t hidden_index;
};

/// Everything the children need, prepared by the parent: after fork they may only make system calls.
struct sandbox_plan {
    int isolate;
    /// Root that switches the program to SANDBOX_NOBODY; any other caller's program keeps the caller's ids.
    int as_root;
    /// The program's user and group as the caller sees them.
    uid_t uid;
    gid_t gid;
    pid_t parent_pid;
    uint64_t process_limit;
    char directory[PATH_MAX];
    /// O_PATH, from creation: the cleanup must not follow a name the program could have replaced.
    int directory_fd;
    char **mount_points;
    size_t mount_count;
    char **hidden;
    size_t hidden_count;
    struct sandbox_exposure *exposures;
    size_t exposure_count;
    char *arguments[5];
    char *environment[5];
};

struct sandbox_channels {
    int out_read, out_write;
    int err_read, err_write;
    /// Children to parent: sandbox_message records.
    int status_read, status_write;
    /// Parent to supervisor: one byte once the user namespace's id maps are written (a socket, so that
    /// a write to a dead child fails instead of raising SIGPIPE).
    int go_parent, go_child;
};

enum sandbox_message_kind {
    SANDBOX_MESSAGE_UNSHARED = 1,
    SANDBOX_MESSAGE_FAILED,
    SANDBOX_MESSAGE_FINISHED,
};

/// Small enough for one atomic pipe write.
struct sandbox_message {
    int kind;
    int stage;
    int error;
    int wait_status;
    double cpu_seconds;
    char path[256];
};

int sandbox_plan_make(const struct sandbox_config *config, struct sandbox_plan *plan, struct sandbox_result *result);
int sandbox_plan_make_directory(const struct sandbox_config *config, struct sandbox_plan *plan, struct sandbox_result *result);
void sandbox_plan_free(struct sandbox_plan *plan);
void sandbox_remove_directory(struct sandbox_plan *plan);
_Noreturn void sandbox_supervise(const struct sandbox_config *config, const struct sandbox_plan *plan,
                                 const struct sandbox_channels *channels);
