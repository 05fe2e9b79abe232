import AssayAnalysis
import AssayCore
import AssayStore
import Foundation

/// Everything the HTML report shows, gathered from the store.
public struct StudyReport: Sendable {
    /// One rubric criterion's agreement figures.
    public struct CriterionAgreement: Sendable {
        public let scores: CriterionScores
        public let report: AgreementReport
    }

    public let databasePath: String
    public let generatedAt: Date
    public let evaluations: [EvaluatedRun]
    public let table: ResultsTable
    /// The runs past classification, by task and model.
    public let tasks: TaskModelTable
    /// Each quantized run against its family's most precise run: flips, and divergence where measured.
    public let pairs: [ComparisonView]
    /// The per-item divergences measured over any of those pairs (`assay divergence --dataset`).
    public let itemDivergences: [RunPairDivergence]
    public let scores: [ScoreExportRow]
    public let agreement: [CriterionAgreement]
    public let examples: [QualitativeExample]

    public init(
        databasePath: String, generatedAt: Date, policy: UnparsedPolicy, evaluations: [EvaluatedRun], pairs: [ComparisonView] = [],
        itemDivergences: [RunPairDivergence] = [], scores: [ScoreExportRow], agreement: [CriterionScores], examples: [QualitativeExample]
    ) throws {
        self.databasePath = databasePath
        self.generatedAt = generatedAt
        self.evaluations = evaluations
        self.table = ResultsTable(evaluations, policy: policy)
        self.tasks = TaskModelTable(evaluations)
        self.pairs = pairs
        self.itemDivergences = itemDivergences
        self.scores = scores
        self.agreement = try agreement.map { sheet in
            CriterionAgreement(
                scores: sheet, report: try AgreementReport(criterion: sheet.criterion, coders: sheet.annotators, scores: sheet.values))
        }
        self.examples = examples
    }
}
