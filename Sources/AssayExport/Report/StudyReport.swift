import AssayCore
import AssayStore
import Foundation

/// Everything the HTML report shows, gathered from the store.
public struct StudyReport: Sendable {
    public let databasePath: String
    public let generatedAt: Date
    public let policy: UnparsedPolicy
    public let evaluations: [RunEvaluation]
    public let table: ResultsTable
    public let scores: [ScoreExportRow]
    public let examples: [QualitativeExample]

    public init(databasePath: String, generatedAt: Date, policy: UnparsedPolicy, evaluations: [RunEvaluation],
                scores: [ScoreExportRow], examples: [QualitativeExample]) {
        self.databasePath = databasePath
        self.generatedAt = generatedAt
        self.policy = policy
        self.evaluations = evaluations
        self.table = ResultsTable(evaluations, policy: policy)
        self.scores = scores
        self.examples = examples
    }
}
