/// What isolation was in force for a run. The raw values are for storage.
public enum SandboxIsolation: String, Sendable, CaseIterable {
    /// Own user, mount, network and PID namespaces: every mount read-only but the run's directory, loopback down,
    /// the program PID 1 of its namespace and an unprivileged user; resource limits as well.
    case namespaces = "namespaces+rlimits"
    /// Resource limits only (and, for a root caller, an unprivileged user), where the kernel refused the namespaces
    /// and the caller allowed running without them: the program can reach the network and write wherever its user may.
    case rlimitsOnly = "rlimits only (unsandboxed)"
}
