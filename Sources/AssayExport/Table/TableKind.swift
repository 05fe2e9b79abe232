/// Which table `assay export table` writes.
public enum TableKind: String, Sendable, CaseIterable {
    /// The case study's Table III: classification runs, macro precision, recall, F1, accuracy and CO2.
    case results
    /// The second paper's table: each task's models, headline quality, CO2 per query and small/large ratios.
    case tasks
}
