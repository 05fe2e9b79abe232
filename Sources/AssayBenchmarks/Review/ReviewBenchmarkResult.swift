/// What `assay bench review` measured, with the setup that produced it.
public struct ReviewBenchmarkResult: Codable, Sendable {
    /// "sqlite" or "postgresql".
    public let store: String
    public let predictions: Int
    public let runs: Int
    public let databasePath: String
    public let databaseBytes: Int64
    /// Generating the database (one transaction); for PostgreSQL, copying the generated one there.
    public let buildSeconds: Double
    /// Opening the session: loading, shuffling and indexing the queue, showing the first item.
    public let openSeconds: Double
    /// Reading the next item and its scores from the database and rendering it as text.
    public let renderNextItem: LatencySummary
    /// Storing one score in its own committed transaction, fsync included (synchronous=FULL, as review sessions run).
    public let commitScore: LatencySummary
    /// The same with synchronous=NORMAL (durable against a crash, not a power loss): the cost without the fsync.
    public let commitScoreWithoutFsync: LatencySummary
    /// The upkeep after each reply (a passive checkpoint of the write-ahead log), which the REPL runs
    /// while the annotator reads, off the path of any commit.
    public let upkeepWhileReading: LatencySummary
    /// The journal mode, as read back from the database ("postgresql" for a PostgreSQL store).
    public let journalMode: String
}
