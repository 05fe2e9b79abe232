// The parent side of a run: prepares, forks the supervisor, writes the user namespace's id maps, collects the
// output tails, enforces the wall clock and the output cap, and cleans up.
#define _GNU_SOURCE
#include "SandboxInternal.h"

#include <errno.h>
#include <string.h>

#if defined(__linux__)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/// After asking the supervisor to stop the program, how long to wait for its report before killing its process group.
static const double stop_grace_seconds = 2;
/// After killing the process group, how long to keep reading output (only processes that left it hold the pipes).
static const double drain_seconds = 1;

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/// The last `capacity` bytes of a stream, kept as a ring.
struct tail {
    char *buffer;
    size_t capacity;
    size_t next;
    size_t filled;
    uint64_t total;
};

static void tail_append(struct tail *tail, const char *data, size_t count) {
    tail->total += count;
    if (tail->capacity == 0) return;
    if (count >= tail->capacity) {
        memcpy(tail->buffer, data + count - tail->capacity, tail->capacity);
        tail->next = 0;
        tail->filled = tail->capacity;
        return;
    }
    size_t first = tail->capacity - tail->next < count ? tail->capacity - tail->next : count;
    memcpy(tail->buffer + tail->next, data, first);
    memcpy(tail->buffer, data + first, count - first);
    tail->next = (tail->next + count) % tail->capacity;
    tail->filled = tail->filled + count < tail->capacity ? tail->filled + count : tail->capacity;
}

static void reverse(char *bytes, size_t count) {
    for (size_t low = 0, high = count; low + 1 < high; low++, high--) {
        char saved = bytes[low];
        bytes[low] = bytes[high - 1];
        bytes[high - 1] = saved;
    }
}

/// Puts the ring in order, oldest byte first, and returns its length.
static size_t tail_finish(struct tail *tail) {
    if (tail->filled == tail->capacity && tail->next != 0) {
        reverse(tail->buffer, tail->next);
        reverse(tail->buffer + tail->next, tail->capacity - tail->next);
        reverse(tail->buffer, tail->capacity);
    }
    return tail->filled;
}

static void record_failure(struct sandbox_result *result, int stage, int error, const char *path) {
    if (result->failed_stage != SANDBOX_STAGE_NONE) return;
    result->failed_stage = stage;
    result->failed_errno = error;
    if (path != NULL) snprintf(result->failed_path, sizeof result->failed_path, "%s", path);
}

static int write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int error = errno;
    close(fd);
    if (written == (ssize_t)length) return 0;
    errno = written < 0 ? error : EIO;
    return -1;
}

/// Inside, the program is 65534, never root: root of its namespace would have capabilities over its mounts. A root
/// caller maps 65534 to itself and root to root, for the supervisor, which creates the directories of the
/// interpreter's view (a file system refuses inodes with an unmapped owner); any other caller maps 65534 to itself.
static int write_id_maps(pid_t pid, const struct sandbox_plan *plan, struct sandbox_result *result) {
    char path[64], uid_map[64], gid_map[64];
    const char *root = plan->as_root ? "0 0 1\n" : "";
    snprintf(uid_map, sizeof uid_map, "%s%d %u 1\n", root, SANDBOX_NOBODY, (unsigned)plan->uid);
    snprintf(gid_map, sizeof gid_map, "%s%d %u 1\n", root, SANDBOX_NOBODY, (unsigned)plan->gid);
    const char *files[] = {"setgroups", "gid_map", "uid_map"};
    const char *texts[] = {"deny", gid_map, uid_map};
    for (size_t index = 0; index < 3; index++) {
        snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, files[index]);
        if (write_text(path, texts[index]) != 0) {
            record_failure(result, SANDBOX_STAGE_ID_MAPS, errno, path);
            return -1;
        }
    }
    return 0;
}

static void close_descriptor(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static void close_channels(struct sandbox_channels *channels) {
    int *all[] = {&channels->out_read, &channels->out_write, &channels->err_read, &channels->err_write,
                  &channels->status_read, &channels->status_write, &channels->go_parent, &channels->go_child};
    for (size_t index = 0; index < sizeof all / sizeof *all; index++) close_descriptor(all[index]);
}

static int open_channels(struct sandbox_channels *channels) {
    int out[2], err[2], status[2], go[2];
    if (pipe2(out, O_CLOEXEC) != 0) return -1;
    channels->out_read = out[0];
    channels->out_write = out[1];
    if (pipe2(err, O_CLOEXEC) != 0) return -1;
    channels->err_read = err[0];
    channels->err_write = err[1];
    if (pipe2(status, O_CLOEXEC) != 0) return -1;
    channels->status_read = status[0];
    channels->status_write = status[1];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0) return -1;
    channels->go_parent = go[0];
    channels->go_child = go[1];
    return 0;
}

/// What the parent knows while the run goes on.
struct run_state {
    pid_t supervisor;
    double started;
    int finished;
    int stop_sent;
    double stop_sent_at;
    int group_killed;
    double group_killed_at;
};

static void request_stop(struct run_state *state, struct sandbox_result *result, int reason) {
    if (state->finished || state->stop_sent) return;
    result->stopped_by = reason;
    kill(state->supervisor, SIGTERM);
    state->stop_sent = 1;
    state->stop_sent_at = monotonic_seconds();
}

/// The whole process group: in the namespaces only the supervisor is left by now; without them, anything the
/// program left behind that did not start a session of its own.
static void kill_group(struct run_state *state) {
    if (state->group_killed) return;
    kill(-state->supervisor, SIGKILL);
    state->group_killed = 1;
    state->group_killed_at = monotonic_seconds();
}

static void handle_message(const struct sandbox_message *message, struct run_state *state, const struct sandbox_plan *plan,
                           struct sandbox_channels *channels, struct sandbox_result *result) {
    switch (message->kind) {
    case SANDBOX_MESSAGE_UNSHARED:
        if (write_id_maps(state->supervisor, plan, result) == 0) {
            char go = 'g';
            if (send(channels->go_parent, &go, 1, MSG_NOSIGNAL) != 1) record_failure(result, SANDBOX_STAGE_ID_MAPS, errno, NULL);
        }
        close_descriptor(&channels->go_parent);
        break;
    case SANDBOX_MESSAGE_FAILED:
        record_failure(result, message->stage, message->error, message->path[0] != '\0' ? message->path : NULL);
        break;
    case SANDBOX_MESSAGE_FINISHED:
        state->finished = 1;
        result->wall_seconds = monotonic_seconds() - state->started;
        result->exited = WIFEXITED(message->wait_status);
        result->exit_status = result->exited ? WEXITSTATUS(message->wait_status) : 0;
        result->signal = WIFSIGNALED(message->wait_status) ? WTERMSIG(message->wait_status) : 0;
        result->cpu_seconds = message->cpu_seconds;
        result->cpu_measured = 1;
        kill_group(state);
        break;
    default:
        break;
    }
}

static void collect(const struct sandbox_config *config, const struct sandbox_plan *plan, struct sandbox_channels *channels,
                    struct run_state *state, struct sandbox_result *result) {
    struct tail out = {.buffer = config->stdout_tail, .capacity = config->tail_capacity};
    struct tail err = {.buffer = config->stderr_tail, .capacity = config->tail_capacity};
    struct pollfd descriptors[3] = {
        {.fd = channels->out_read, .events = POLLIN},
        {.fd = channels->err_read, .events = POLLIN},
        {.fd = channels->status_read, .events = POLLIN},
    };
    char messages[sizeof(struct sandbox_message) * 4];
    size_t messages_filled = 0;
    char chunk[16384];
    int open_count = 3;
    while (open_count > 0) {
        // Checked on every turn, not only when poll times out: output trickling in must not hold off the wall clock.
        double deadline = !state->finished && !state->stop_sent ? state->started + config->wall_seconds
            : !state->group_killed                              ? state->stop_sent_at + stop_grace_seconds
                                                                : state->group_killed_at + drain_seconds;
        double remaining = deadline - monotonic_seconds();
        if (remaining <= 0) {
            if (!state->finished && !state->stop_sent) {
                request_stop(state, result, SANDBOX_STOP_WALL_CLOCK);
            } else if (!state->group_killed) {
                kill_group(state);
            } else {
                break;
            }
            continue;
        }
        int ready = poll(descriptors, 3, remaining > 60 ? 60000 : (int)(remaining * 1000) + 1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            record_failure(result, SANDBOX_STAGE_WAIT, errno, NULL);
            kill_group(state);
            break;
        }
        for (int index = 0; index < 3; index++) {
            if (descriptors[index].fd < 0 || descriptors[index].revents == 0) continue;
            char *into = index == 2 ? messages + messages_filled : chunk;
            size_t room = index == 2 ? sizeof messages - messages_filled : sizeof chunk;
            ssize_t count = read(descriptors[index].fd, into, room);
            if (count < 0 && errno == EINTR) continue;
            if (count <= 0) {
                close(descriptors[index].fd);
                descriptors[index].fd = -1;
                open_count--;
                continue;
            }
            if (index == 2) {
                messages_filled += (size_t)count;
                size_t whole = messages_filled / sizeof(struct sandbox_message);
                for (size_t message = 0; message < whole; message++) {
                    struct sandbox_message decoded;
                    memcpy(&decoded, messages + message * sizeof decoded, sizeof decoded);
                    handle_message(&decoded, state, plan, channels, result);
                }
                messages_filled -= whole * sizeof(struct sandbox_message);
                memmove(messages, messages + whole * sizeof(struct sandbox_message), messages_filled);
                continue;
            }
            tail_append(index == 0 ? &out : &err, chunk, (size_t)count);
            if (out.total + err.total > config->max_output_bytes) request_stop(state, result, SANDBOX_STOP_OUTPUT);
        }
    }
    for (int index = 0; index < 3; index++) {
        if (descriptors[index].fd >= 0) close(descriptors[index].fd);
    }
    channels->out_read = channels->err_read = channels->status_read = -1;
    result->stdout_bytes = out.total;
    result->stderr_bytes = err.total;
    result->stdout_tail_length = tail_finish(&out);
    result->stderr_tail_length = tail_finish(&err);
}

static int run_planned(const struct sandbox_config *config, const struct sandbox_plan *plan, struct sandbox_result *result) {
    struct sandbox_channels channels = {-1, -1, -1, -1, -1, -1, -1, -1};
    if (open_channels(&channels) != 0) {
        record_failure(result, SANDBOX_STAGE_PIPES, errno, NULL);
        close_channels(&channels);
        return -1;
    }
    struct run_state state = {.started = monotonic_seconds()};
    state.supervisor = fork();
    if (state.supervisor < 0) {
        record_failure(result, SANDBOX_STAGE_FORK, errno, NULL);
        close_channels(&channels);
        return -1;
    }
    if (state.supervisor == 0) sandbox_supervise(config, plan, &channels);
    close_descriptor(&channels.out_write);
    close_descriptor(&channels.err_write);
    close_descriptor(&channels.status_write);
    close_descriptor(&channels.go_child);
    if (!plan->isolate) close_descriptor(&channels.go_parent);
    collect(config, plan, &channels, &state, result);
    close_channels(&channels);
    int status;
    while (waitpid(state.supervisor, &status, 0) < 0 && errno == EINTR) {
    }
    if (!state.finished) {
        result->wall_seconds = monotonic_seconds() - state.started;
        if (result->stopped_by != SANDBOX_STOP_NONE) {
            // Killed with its supervisor before a report: SIGKILL, time unmeasured.
            result->signal = SIGKILL;
        } else {
            record_failure(result, SANDBOX_STAGE_WAIT, ECHILD, NULL);
        }
    }
    return result->failed_stage == SANDBOX_STAGE_NONE ? 0 : -1;
}

int sandbox_run(const struct sandbox_config *config, struct sandbox_result *result) {
    memset(result, 0, sizeof *result);
    struct sandbox_plan plan;
    int status = sandbox_plan_make(config, &plan, result);
    if (status == 0) status = sandbox_plan_make_directory(config, &plan, result);
    if (status == 0) status = run_planned(config, &plan, result);
    sandbox_remove_directory(&plan);
    sandbox_plan_free(&plan);
    return status;
}
#else
int sandbox_run(const struct sandbox_config *config, struct sandbox_result *result) {
    (void)config;
    memset(result, 0, sizeof *result);
    result->failed_stage = SANDBOX_STAGE_NAMESPACES;
    result->failed_errno = ENOSYS;
    return -1;
}
#endif
