// What the parent prepares before forking: the mount points to make read-only, the interpreter directories to
// make reachable, the process limit, the run's directory with program.py, and the program's argv and environment.
#define _GNU_SOURCE
#include "SandboxInternal.h"

#if defined(__linux__)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void record_failure(struct sandbox_result *result, int stage, int error, const char *path) {
    result->failed_stage = stage;
    result->failed_errno = error;
    if (path != NULL) snprintf(result->failed_path, sizeof result->failed_path, "%s", path);
}

/// Decodes mountinfo's octal escapes (\040 for a space, \011, \012, \134) in place.
static void unescape_mount_point(char *text) {
    char *read = text, *write = text;
    while (*read != '\0') {
        if (read[0] == '\\' && read[1] >= '0' && read[1] <= '3' && read[2] >= '0' && read[2] <= '7' && read[3] >= '0'
            && read[3] <= '7') {
            *write++ = (char)((read[1] - '0') * 64 + (read[2] - '0') * 8 + (read[3] - '0'));
            read += 4;
        } else {
            *write++ = *read++;
        }
    }
    *write = '\0';
}

static int append_string(char ***list, size_t *count, const char *text) {
    char **grown = realloc(*list, (*count + 1) * sizeof **list);
    if (grown == NULL) return -1;
    *list = grown;
    grown[*count] = strdup(text);
    if (grown[*count] == NULL) return -1;
    (*count)++;
    return 0;
}

/// The mount points of this mount namespace, in mount order (the child's copy has the same ones).
static int read_mount_points(struct sandbox_plan *plan) {
    FILE *table = fopen("/proc/self/mountinfo", "re");
    if (table == NULL) return -1;
    char *line = NULL;
    size_t capacity = 0;
    int status = 0;
    while (status == 0 && getline(&line, &capacity, table) > 0) {
        // Fields: mount ID, parent ID, major:minor, root, mount point, ...
        char *cursor = line;
        for (int field = 0; field < 4 && cursor != NULL; field++) {
            cursor = strchr(cursor, ' ');
            if (cursor != NULL) cursor++;
        }
        if (cursor == NULL) continue;
        char *end = strchr(cursor, ' ');
        if (end == NULL) continue;
        *end = '\0';
        unescape_mount_point(cursor);
        if (append_string(&plan->mount_points, &plan->mount_count, cursor) != 0) status = -1;
    }
    int read_error = ferror(table);
    free(line);
    fclose(table);
    if (read_error) errno = EIO;
    return read_error ? -1 : status;
}

static int searchable_by(const struct stat *status, uid_t uid, gid_t gid) {
    if (status->st_uid == uid) return (status->st_mode & S_IXUSR) != 0;
    if (status->st_gid == gid) return (status->st_mode & S_IXGRP) != 0;
    return (status->st_mode & S_IXOTH) != 0;
}

/// The outermost strict ancestor of `path` that the sandbox user cannot search, or 0 when there is none.
static size_t private_ancestor_length(const char *path, uid_t uid, gid_t gid) {
    char buffer[PATH_MAX];
    size_t length = strlen(path);
    memcpy(buffer, path, length + 1);
    for (size_t index = 1; index < length; index++) {
        if (buffer[index] != '/') continue;
        buffer[index] = '\0';
        struct stat status;
        int private = stat(buffer, &status) == 0 && S_ISDIR(status.st_mode) && !searchable_by(&status, uid, gid);
        buffer[index] = '/';
        if (private) return index;
    }
    return 0;
}

static int is_within(const char *path, const char *directory) {
    size_t length = strlen(directory);
    return strncmp(path, directory, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

static int shorter_first(const void *left, const void *right) {
    size_t left_length = strlen(*(const char *const *)left), right_length = strlen(*(const char *const *)right);
    return (left_length > right_length) - (left_length < right_length);
}

/// Plans the mounts that make each interpreter directory reachable, outermost first so that one mount covers
/// the directories inside it.
static int plan_exposures(const struct sandbox_config *config, struct sandbox_plan *plan, struct sandbox_result *result) {
    size_t count = config->interpreter_path_count;
    const char **paths = calloc(count + 1, sizeof *paths);
    if (paths == NULL) return -1;
    for (size_t index = 0; index < count; index++) {
        const char *path = config->interpreter_paths[index];
        if (path == NULL || path[0] != '/' || strlen(path) >= PATH_MAX) {
            record_failure(result, SANDBOX_STAGE_INTERPRETER_PATHS, EINVAL, path);
            free(paths);
            return -1;
        }
        paths[index] = path;
    }
    qsort(paths, count, sizeof *paths, shorter_first);
    int status = 0;
    for (size_t index = 0; index < count && status == 0; index++) {
        const char *path = paths[index];
        int covered = 0;
        for (size_t exposure = 0; exposure < plan->exposure_count; exposure++) covered |= is_within(path, plan->exposures[exposure].path);
        size_t hidden_length = private_ancestor_length(path, plan->uid, plan->gid);
        if (covered || hidden_length == 0) continue;
        if (plan->exposure_count == SANDBOX_MAX_EXPOSURES) {
            record_failure(result, SANDBOX_STAGE_INTERPRETER_PATHS, E2BIG, path);
            status = -1;
            break;
        }
        char hidden[PATH_MAX];
        memcpy(hidden, path, hidden_length);
        hidden[hidden_length] = '\0';
        size_t hidden_index = 0;
        while (hidden_index < plan->hidden_count && strcmp(plan->hidden[hidden_index], hidden) != 0) hidden_index++;
        if (hidden_index == plan->hidden_count && append_string(&plan->hidden, &plan->hidden_count, hidden) != 0) status = -1;
        struct sandbox_exposure *grown = realloc(plan->exposures, (plan->exposure_count + 1) * sizeof *grown);
        if (status != 0 || grown == NULL) {
            status = -1;
            break;
        }
        plan->exposures = grown;
        grown[plan->exposure_count].path = strdup(path);
        grown[plan->exposure_count].hidden_index = hidden_index;
        if (grown[plan->exposure_count].path == NULL) status = -1;
        plan->exposure_count++;
    }
    free(paths);
    if (status != 0 && result->failed_stage == SANDBOX_STAGE_NONE) record_failure(result, SANDBOX_STAGE_INTERPRETER_PATHS, ENOMEM, NULL);
    return status;
}

/// Processes and threads whose real user is `uid`: without a user namespace RLIMIT_NPROC counts them all.
static uint64_t count_tasks(uid_t uid) {
    DIR *processes = opendir("/proc");
    if (processes == NULL) return 0;
    uint64_t total = 0;
    struct dirent *entry;
    while ((entry = readdir(processes)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%s/status", entry->d_name);
        FILE *status = fopen(path, "re");
        if (status == NULL) continue;
        char line[256];
        long real_uid = -1, threads = 0;
        while (fgets(line, sizeof line, status) != NULL) {
            if (strncmp(line, "Uid:", 4) == 0) real_uid = strtol(line + 4, NULL, 10);
            if (strncmp(line, "Threads:", 8) == 0) threads = strtol(line + 8, NULL, 10);
        }
        fclose(status);
        if (real_uid == (long)uid) total += (uint64_t)threads;
    }
    closedir(processes);
    return total;
}

/// Whether `id` is in one of the ranges of an id map ("inside outside count" lines).
static int id_mapped(const char *map_path, unsigned long id) {
    FILE *map = fopen(map_path, "re");
    if (map == NULL) return 0;
    unsigned long inside, outside, count;
    int mapped = 0;
    while (!mapped && fscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3) mapped = id >= inside && id - inside < count;
    fclose(map);
    return mapped;
}

/// Root that can become the unprivileged user: root of the initial user namespace, or of one (a container's) that
/// maps 65534 and allows setgroups. Root of a namespace that maps only itself (`unshare -r`) is treated as any user.
static int can_become_nobody(void) {
    if (geteuid() != 0 || !id_mapped("/proc/self/uid_map", SANDBOX_NOBODY) || !id_mapped("/proc/self/gid_map", SANDBOX_NOBODY)) return 0;
    FILE *setgroups = fopen("/proc/self/setgroups", "re");
    if (setgroups == NULL) return 1;
    char policy[8] = "";
    int allowed = fgets(policy, sizeof policy, setgroups) != NULL && strncmp(policy, "allow", 5) == 0;
    fclose(setgroups);
    return allowed;
}

int sandbox_plan_make(const struct sandbox_config *config, struct sandbox_plan *plan, struct sandbox_result *result) {
    memset(plan, 0, sizeof *plan);
    plan->directory_fd = -1;
    plan->isolate = config->isolate;
    plan->as_root = can_become_nobody();
    plan->uid = plan->as_root ? SANDBOX_NOBODY : getuid();
    plan->gid = plan->as_root ? SANDBOX_NOBODY : getgid();
    plan->parent_pid = getpid();
    result->sandbox_uid = (uint32_t)plan->uid;
    if (config->interpreter == NULL || config->interpreter[0] != '/') {
        record_failure(result, SANDBOX_STAGE_EXEC, EINVAL, config->interpreter);
        return -1;
    }
    if (config->temporary_root == NULL) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, EINVAL, NULL);
        return -1;
    }
    if (plan->isolate) {
        if (read_mount_points(plan) != 0) {
            record_failure(result, SANDBOX_STAGE_MOUNT_TABLE, errno, "/proc/self/mountinfo");
            return -1;
        }
        if (plan_exposures(config, plan, result) != 0) return -1;
    }
    // In its own user namespace the program's user counts only the sandbox's tasks (the supervisor among them
    // when it is the same user); without one it also counts every other process that user has.
    uint64_t others = plan->isolate ? 0 : count_tasks(plan->uid);
    plan->process_limit = others + config->max_processes + (plan->as_root ? 0 : 1);
    const char *arguments[] = {config->interpreter, "-I", "-B", "program.py"};
    for (size_t index = 0; index < 4; index++) {
        plan->arguments[index] = strdup(arguments[index]);
        if (plan->arguments[index] == NULL) {
            record_failure(result, SANDBOX_STAGE_EXEC, ENOMEM, NULL);
            return -1;
        }
    }
    return 0;
}

int sandbox_plan_make_directory(const struct sandbox_config *config, struct sandbox_plan *plan, struct sandbox_result *result) {
    int length = snprintf(plan->directory, sizeof plan->directory, "%s/assay-sandbox-XXXXXX", config->temporary_root);
    if (length < 0 || (size_t)length >= sizeof plan->directory) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, ENAMETOOLONG, config->temporary_root);
        return -1;
    }
    if (mkdtemp(plan->directory) == NULL) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, errno, plan->directory);
        return -1;
    }
    plan->directory_fd = open(plan->directory, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (plan->directory_fd < 0) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, errno, plan->directory);
        rmdir(plan->directory);
        return -1;
    }
    char program_path[PATH_MAX + 16];
    snprintf(program_path, sizeof program_path, "%s/program.py", plan->directory);
    int fd = openat(plan->directory_fd, "program.py", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, errno, program_path);
        return -1;
    }
    size_t written = 0;
    while (written < config->program_length) {
        ssize_t count = write(fd, config->program + written, config->program_length - written);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) {
            record_failure(result, SANDBOX_STAGE_DIRECTORY, count < 0 ? errno : EIO, program_path);
            close(fd);
            return -1;
        }
        written += (size_t)count;
    }
    close(fd);
    if (plan->as_root && chown(plan->directory, plan->uid, plan->gid) != 0) {
        record_failure(result, SANDBOX_STAGE_DIRECTORY, errno, plan->directory);
        return -1;
    }
    const char *variables[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=", "TMPDIR="};
    for (size_t index = 0; index < 4; index++) {
        int with_directory = index >= 2;
        if (asprintf(&plan->environment[index], "%s%s", variables[index], with_directory ? plan->directory : "") < 0) {
            plan->environment[index] = NULL;
            record_failure(result, SANDBOX_STAGE_DIRECTORY, ENOMEM, NULL);
            return -1;
        }
    }
    return 0;
}

static void free_list(char **list, size_t count) {
    for (size_t index = 0; index < count; index++) free(list[index]);
    free(list);
}

void sandbox_plan_free(struct sandbox_plan *plan) {
    free_list(plan->mount_points, plan->mount_count);
    free_list(plan->hidden, plan->hidden_count);
    for (size_t index = 0; index < plan->exposure_count; index++) free(plan->exposures[index].path);
    free(plan->exposures);
    for (size_t index = 0; index < 5; index++) {
        free(plan->arguments[index]);
        free(plan->environment[index]);
    }
}

/// Empties the directory behind the O_PATH descriptor `handle` and closes it, making each directory writable
/// first (the program may have locked itself out). Descriptors, not names: a name the program swapped for a
/// symlink cannot redirect a chmod or a removal.
static void remove_entries(int handle) {
    char handle_path[32];
    snprintf(handle_path, sizeof handle_path, "/proc/self/fd/%d", handle);
    chmod(handle_path, 0700);
    int fd = openat(handle, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    close(handle);
    if (fd < 0) return;
    DIR *directory = fdopendir(fd);
    if (directory == NULL) {
        close(fd);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if (unlinkat(fd, entry->d_name, 0) == 0) continue;
        int inner = openat(fd, entry->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (inner < 0) continue;
        remove_entries(inner);
        unlinkat(fd, entry->d_name, AT_REMOVEDIR);
    }
    closedir(directory);
}

void sandbox_remove_directory(struct sandbox_plan *plan) {
    if (plan->directory_fd < 0) return;
    remove_entries(plan->directory_fd);
    plan->directory_fd = -1;
    rmdir(plan->directory);
}
#endif
