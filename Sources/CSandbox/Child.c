// The two children of a run. The supervisor (forked by the parent) enters the namespaces, makes the mounts
// read-only and forks the program, which becomes PID 1 of the new PID namespace, sets its limits, drops to the
// sandbox user and executes python. Both run in a child of a multithreaded process: system calls only.
#define _GNU_SOURCE
#include "SandboxInternal.h"

#if defined(__linux__)
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static volatile sig_atomic_t program_pid;
static volatile sig_atomic_t stop_requested;

/// The parent's SIGTERM: kill the program (PID 1 of its namespace, so everything in it dies too) and let
/// wait4 report how it ended.
static void stop_program(int signal_number) {
    (void)signal_number;
    stop_requested = 1;
    if (program_pid > 0) kill((pid_t)program_pid, SIGKILL);
}

static void send_message(int fd, const struct sandbox_message *message) {
    ssize_t written;
    do {
        written = write(fd, message, sizeof *message);
    } while (written < 0 && errno == EINTR);
}

_Noreturn static void fail(int fd, int stage, int error, const char *path) {
    struct sandbox_message message;
    memset(&message, 0, sizeof message);
    message.kind = SANDBOX_MESSAGE_FAILED;
    message.stage = stage;
    message.error = error;
    if (path != NULL) {
        size_t length = strlen(path);
        if (length >= sizeof message.path) length = sizeof message.path - 1;
        memcpy(message.path, path, length);
    }
    send_message(fd, &message);
    _exit(127);
}

static void reset_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number != SIGKILL && signal_number != SIGSTOP) sigaction(signal_number, &action, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/// The flags a user namespace may not clear on a mount it inherited: a remount that drops them fails with EPERM.
static int locked_flags(const char *path, unsigned long *flags) {
    struct statfs status;
    if (statfs(path, &status) != 0) return -1;
    unsigned long mount_flags = 0;
    if (status.f_flags & ST_NOSUID) mount_flags |= MS_NOSUID;
    if (status.f_flags & ST_NODEV) mount_flags |= MS_NODEV;
    if (status.f_flags & ST_NOEXEC) mount_flags |= MS_NOEXEC;
    if (status.f_flags & ST_NOATIME) mount_flags |= MS_NOATIME;
    if (status.f_flags & ST_NODIRATIME) mount_flags |= MS_NODIRATIME;
    if (status.f_flags & ST_RELATIME) mount_flags |= MS_RELATIME;
    *flags = mount_flags;
    return 0;
}

/// Changes only this mount's flags: without MS_BIND a remount would change the file system, host included.
static int remount(const char *path, unsigned long flags) {
    unsigned long locked;
    if (locked_flags(path, &locked) != 0) return -1;
    return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | locked | flags, NULL);
}

static void format_descriptor_path(char *buffer, int fd) {
    static const char prefix[] = "/proc/self/fd/";
    memcpy(buffer, prefix, sizeof prefix - 1);
    char digits[12];
    int count = 0;
    do {
        digits[count++] = (char)('0' + fd % 10);
        fd /= 10;
    } while (fd > 0);
    size_t position = sizeof prefix - 1;
    while (count > 0) buffer[position++] = digits[--count];
    buffer[position] = '\0';
}

/// Creates the directories from just below `hidden` down to `path` (inside the fresh tmpfs).
static int make_directories(const char *hidden, const char *path) {
    char buffer[PATH_MAX];
    size_t length = strlen(path);
    memcpy(buffer, path, length + 1);
    for (size_t index = strlen(hidden) + 1; index <= length; index++) {
        if (buffer[index] != '/' && buffer[index] != '\0') continue;
        char saved = buffer[index];
        buffer[index] = '\0';
        if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return -1;
        buffer[index] = saved;
    }
    return 0;
}

static void expose_interpreter(const struct sandbox_plan *plan, int fd) {
    int directories[SANDBOX_MAX_EXPOSURES];
    for (size_t index = 0; index < plan->exposure_count; index++) {
        directories[index] = open(plan->exposures[index].path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (directories[index] < 0) fail(fd, SANDBOX_STAGE_INTERPRETER_PATHS, errno, plan->exposures[index].path);
    }
    for (size_t index = 0; index < plan->hidden_count; index++) {
        if (mount("tmpfs", plan->hidden[index], "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") != 0)
            fail(fd, SANDBOX_STAGE_INTERPRETER_PATHS, errno, plan->hidden[index]);
    }
    for (size_t index = 0; index < plan->exposure_count; index++) {
        const struct sandbox_exposure *exposure = &plan->exposures[index];
        char source[32];
        format_descriptor_path(source, directories[index]);
        if (make_directories(plan->hidden[exposure->hidden_index], exposure->path) != 0
            || mount(source, exposure->path, NULL, MS_BIND | MS_REC, NULL) != 0
            || remount(exposure->path, MS_RDONLY | MS_NOSUID) != 0)
            fail(fd, SANDBOX_STAGE_INTERPRETER_PATHS, errno, exposure->path);
        close(directories[index]);
    }
    for (size_t index = 0; index < plan->hidden_count; index++) {
        if (remount(plan->hidden[index], MS_RDONLY | MS_NOSUID | MS_NODEV) != 0)
            fail(fd, SANDBOX_STAGE_INTERPRETER_PATHS, errno, plan->hidden[index]);
    }
}

/// Every mount read-only except the run's directory, which first gets a mount of its own.
static void make_mounts_read_only(const struct sandbox_plan *plan, int fd) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail(fd, SANDBOX_STAGE_READ_ONLY_MOUNTS, errno, "/");
    if (mount(plan->directory, plan->directory, NULL, MS_BIND | MS_REC, NULL) != 0)
        fail(fd, SANDBOX_STAGE_READ_ONLY_MOUNTS, errno, plan->directory);
    for (size_t index = 0; index < plan->mount_count; index++) {
        // A mount point the supervisor cannot reach (gone, or behind a private directory) the program cannot either.
        if (remount(plan->mount_points[index], MS_RDONLY | MS_NOSUID) != 0 && errno != ENOENT && errno != EACCES)
            fail(fd, SANDBOX_STAGE_READ_ONLY_MOUNTS, errno, plan->mount_points[index]);
    }
    if (remount(plan->directory, MS_NOSUID | MS_NODEV) != 0) fail(fd, SANDBOX_STAGE_READ_ONLY_MOUNTS, errno, plan->directory);
    expose_interpreter(plan, fd);
}

/// Lowers a limit, never above the hard limit the caller already has (raising it would fail with EPERM).
static int lower_limit(int resource, uint64_t soft, uint64_t hard) {
    struct rlimit current;
    if (getrlimit(resource, &current) != 0) return -1;
    struct rlimit wanted = {.rlim_cur = (rlim_t)soft, .rlim_max = (rlim_t)hard};
    if (current.rlim_max != RLIM_INFINITY) {
        if (wanted.rlim_max > current.rlim_max) wanted.rlim_max = current.rlim_max;
        if (wanted.rlim_cur > current.rlim_max) wanted.rlim_cur = current.rlim_max;
    }
    return setrlimit(resource, &wanted);
}

static void close_other_descriptors(void) {
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    struct rlimit files;
    rlim_t last = 65536;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < last) last = files.rlim_cur;
    for (int fd = 3; fd < (int)last; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

_Noreturn static void run_program(const struct sandbox_config *config, const struct sandbox_plan *plan,
                                  const struct sandbox_channels *channels) {
    int fd = channels->status_write;
    if (plan->isolate) {
        // This process is PID 1 of the new namespace: a /proc of its own shows only the sandbox's processes.
        // Where the kernel refuses a new proc (a /proc partly covered by the container), an empty one hides the host's.
        unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        if (mount("proc", "/proc", "proc", flags, NULL) != 0 && mount("tmpfs", "/proc", "tmpfs", flags, "size=4k,mode=0555") != 0)
            fail(fd, SANDBOX_STAGE_PROC, errno, "/proc");
    }
    // At the soft CPU limit the kernel sends SIGXCPU, which PID 1 ignores; the hard limit's SIGKILL ends it.
    if (lower_limit(RLIMIT_CPU, config->cpu_seconds, config->cpu_seconds + 1) != 0
        || lower_limit(RLIMIT_AS, config->address_space_bytes, config->address_space_bytes) != 0
        || lower_limit(RLIMIT_NPROC, plan->process_limit, plan->process_limit) != 0
        || lower_limit(RLIMIT_FSIZE, config->max_output_bytes, config->max_output_bytes) != 0
        || lower_limit(RLIMIT_CORE, 0, 0) != 0)
        fail(fd, SANDBOX_STAGE_LIMITS, errno, NULL);
    if (plan->as_root && (setresgid(plan->gid, plan->gid, plan->gid) != 0 || setresuid(plan->uid, plan->uid, plan->uid) != 0))
        fail(fd, SANDBOX_STAGE_CREDENTIALS, errno, NULL);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(fd, SANDBOX_STAGE_CREDENTIALS, errno, NULL);
    if (chdir(plan->directory) != 0) fail(fd, SANDBOX_STAGE_DIRECTORY, errno, plan->directory);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0) fail(fd, SANDBOX_STAGE_EXEC, errno, "/dev/null");
    if (dup2(null, STDIN_FILENO) < 0 || dup2(channels->out_write, STDOUT_FILENO) < 0 || dup2(channels->err_write, STDERR_FILENO) < 0)
        fail(fd, SANDBOX_STAGE_EXEC, errno, NULL);
    close_other_descriptors();
    reset_signals();
    execve(config->interpreter, plan->arguments, plan->environment);
    fail(fd, SANDBOX_STAGE_EXEC, errno, config->interpreter);
}

_Noreturn void sandbox_supervise(const struct sandbox_config *config, const struct sandbox_plan *plan,
                                 const struct sandbox_channels *channels) {
    int fd = channels->status_write;
    // Dies with the thread that forked it, which waits in sandbox_run until the run ends.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != plan->parent_pid) _exit(127);
    close(channels->out_read);
    close(channels->err_read);
    close(channels->status_read);
    close(channels->go_parent);
    reset_signals();
    struct sigaction stop;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = stop_program;
    sigaction(SIGTERM, &stop, NULL);
    setsid();
    if (plan->as_root && setgroups(0, NULL) != 0) fail(fd, SANDBOX_STAGE_CREDENTIALS, errno, NULL);
    if (plan->isolate) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID) != 0) fail(fd, SANDBOX_STAGE_NAMESPACES, errno, NULL);
        struct sandbox_message unshared;
        memset(&unshared, 0, sizeof unshared);
        unshared.kind = SANDBOX_MESSAGE_UNSHARED;
        send_message(fd, &unshared);
        char go;
        ssize_t received;
        do {
            received = read(channels->go_child, &go, 1);
        } while (received < 0 && errno == EINTR);
        if (received != 1) _exit(127);
        make_mounts_read_only(plan, fd);
    }
    close(channels->go_child);
    pid_t pid = fork();
    if (pid < 0) fail(fd, SANDBOX_STAGE_FORK, errno, NULL);
    if (pid == 0) run_program(config, plan, channels);
    program_pid = pid;
    if (stop_requested) kill(pid, SIGKILL);
    close(channels->out_write);
    close(channels->err_write);
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) fail(fd, SANDBOX_STAGE_WAIT, errno, NULL);
    }
    struct sandbox_message finished;
    memset(&finished, 0, sizeof finished);
    finished.kind = SANDBOX_MESSAGE_FINISHED;
    finished.wait_status = status;
    finished.cpu_seconds = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6
        + (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
    send_message(fd, &finished);
    _exit(0);
}
#endif
