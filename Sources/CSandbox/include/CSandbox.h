#pragma once
#include <stddef.h>
#include <stdint.h>

/// One run of a Python program in a fresh directory, under limits and (when `isolate` is 1) in its own
/// user, mount, network and PID namespaces. Linux only; elsewhere every run fails at SANDBOX_STAGE_NAMESPACES.
struct sandbox_config {
    /// Absolute path, executed as given (a virtual environment's python keeps its environment).
    const char *interpreter;
    /// Absolute, symlink-free directories the interpreter reads (its prefixes). Where one lies under a
    /// directory the sandbox user cannot search (root's home), it is mounted into an otherwise empty view of it.
    const char *const *interpreter_paths;
    size_t interpreter_path_count;
    /// Where the per-run directory is made; it is removed after the run.
    const char *temporary_root;
    /// The program's text, written to program.py in the run's directory.
    const char *program;
    size_t program_length;
    /// 1: namespaces and resource limits; 0: resource limits only.
    int isolate;
    double wall_seconds;
    uint64_t cpu_seconds;
    uint64_t address_space_bytes;
    /// Processes and threads the program may have at once, itself included.
    uint64_t max_processes;
    /// Standard output and error together; also the largest file the program may write.
    uint64_t max_output_bytes;
    /// Receive the last `tail_capacity` bytes of standard output and standard error.
    char *stdout_tail;
    char *stderr_tail;
    size_t tail_capacity;
};

/// The setup step that failed, when a run could not start the program.
enum sandbox_stage {
    SANDBOX_STAGE_NONE = 0,
    SANDBOX_STAGE_MOUNT_TABLE,
    SANDBOX_STAGE_DIRECTORY,
    SANDBOX_STAGE_PIPES,
    SANDBOX_STAGE_FORK,
    SANDBOX_STAGE_NAMESPACES,
    SANDBOX_STAGE_ID_MAPS,
    SANDBOX_STAGE_READ_ONLY_MOUNTS,
    SANDBOX_STAGE_INTERPRETER_PATHS,
    SANDBOX_STAGE_PROC,
    SANDBOX_STAGE_LIMITS,
    SANDBOX_STAGE_CREDENTIALS,
    SANDBOX_STAGE_EXEC,
    SANDBOX_STAGE_WAIT,
};

/// Why the parent stopped the program, if it did.
enum sandbox_stop {
    SANDBOX_STOP_NONE = 0,
    SANDBOX_STOP_WALL_CLOCK,
    SANDBOX_STOP_OUTPUT,
};

struct sandbox_result {
    /// SANDBOX_STAGE_NONE when the program ran; else the failed step, its errno and the path involved.
    int failed_stage;
    int failed_errno;
    char failed_path[256];
    /// The program's end: an exit status, or the signal that killed it.
    int exited;
    int exit_status;
    int signal;
    int stopped_by;
    double wall_seconds;
    /// User plus system time of the program and the descendants it waited for; valid when cpu_measured is 1.
    double cpu_seconds;
    int cpu_measured;
    uint64_t stdout_bytes;
    uint64_t stderr_bytes;
    size_t stdout_tail_length;
    size_t stderr_tail_length;
    /// The user the program ran as (65534 when the caller is root).
    uint32_t sandbox_uid;
};

/// Runs the program and fills `result`. Returns 0 when the program ran (whatever its end), -1 when setup failed.
int sandbox_run(const struct sandbox_config *config, struct sandbox_result *result);
