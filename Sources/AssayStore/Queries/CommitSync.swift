/// SQLite's `synchronous` level for the write connection: when a commit waits for the disk.
public enum CommitSync: String, Sendable, Codable {
    /// fsync at every commit: the commit survives power loss.
    case full = "FULL"
    /// In WAL mode, fsync only at checkpoints: the commit survives a crash of the process, not of the machine.
    case normal = "NORMAL"
}
