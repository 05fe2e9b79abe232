import AssayCore

extension AssayStore {
    /// `prediction.run_id IN (...)` for a non-empty run list, always true for an empty one (every
    /// run): the scope of the review and agreement queries. The ids are integers, written inline.
    static func runCondition(_ runIDs: [RunID]) -> String {
        runIDs.isEmpty ? "TRUE" : "prediction.run_id IN (\(runIDs.map { String($0.rawValue) }.joined(separator: ", ")))"
    }
}
