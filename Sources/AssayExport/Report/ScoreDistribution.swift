import AssayCore
import AssayStore

/// How often each value of one criterion was given, per run: what the experts concluded.
struct ScoreDistribution {
    struct RunCounts {
        let title: String
        /// Aligned with `values`.
        let counts: [Int]
    }

    let criterion: String
    /// Numbers ascending, then category names alphabetically.
    let values: [ScoreValue]
    let runs: [RunCounts]

    /// One distribution per criterion over the scores that count: a prediction's adjudicated
    /// scores when it has any, else every annotator's.
    static func distributions(of scores: [ScoreExportRow]) -> [ScoreDistribution] {
        let adjudicated = Set(scores.filter { $0.kind == .adjudication }.map(\.predictionID))
        let counted = scores.filter { $0.kind == .adjudication || !adjudicated.contains($0.predictionID) }
        let criteria = CriterionOrder.arrange(counted.flatMap(\.criteria.keys), rubricOrders: counted.map(\.rubricCriteria).uniqued())
        var runOrder: [RunID] = []
        var runTitles: [RunID: String] = [:]
        for score in counted.sorted(by: { $0.runID < $1.runID }) where runTitles[score.runID] == nil {
            runOrder.append(score.runID)
            runTitles[score.runID] = "\(ModelVariant.title(model: score.modelName, quantization: score.quantization)), run \(score.runID)"
        }
        return criteria.map { criterion in
            let values = Set(counted.compactMap { $0.criteria[criterion] }).sorted(by: order)
            let runs = runOrder.map { runID in
                let given = counted.filter { $0.runID == runID }.compactMap { $0.criteria[criterion] }
                return RunCounts(
                    title: runTitles[runID] ?? "run \(runID)",
                    counts: values.map { value in given.filter { $0 == value }.count })
            }
            return ScoreDistribution(criterion: criterion, values: values, runs: runs)
        }
    }

    private static func order(_ left: ScoreValue, _ right: ScoreValue) -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)): a < b
        case (.number, .text): true
        case (.text, .number): false
        case (.text(let a), .text(let b)): a < b
        }
    }
}
