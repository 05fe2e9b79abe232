import AssayCore
import GRDB

extension AssayStore {
    /// `prediction.run_id IN (...)` for a non-empty run list, always true for an empty one (every
    /// run): the scope of the review and agreement queries, bound as arguments.
    static func runCondition(_ runIDs: [RunID]) -> SQL {
        runIDs.isEmpty ? "1" : "prediction.run_id IN \(runIDs)"
    }
}
