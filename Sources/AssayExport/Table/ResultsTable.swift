import AssayAnalysis
import AssayCore

/// The paper's results table: one row per run, grouped by model family with the most precise
/// run first, so that each quantized run sits under the baseline it is compared with.
public struct ResultsTable: Sendable, Codable, Equatable {
    public struct Group: Sendable, Codable, Equatable {
        public let family: String
        /// Most precise first; ties keep run order.
        public let rows: [ResultsTableRow]
    }

    public private(set) var groups: [Group]
    /// One sentence on how unparsed answers enter the metrics.
    public let unparsedPolicy: String
    /// Whether the flips and divergence columns are shown (`assay export table --changes`).
    public private(set) var showsChanges = false

    public var rows: [ResultsTableRow] { groups.flatMap(\.rows) }

    /// Groups `rows` by family in order of first appearance and works out each run's CO2 change
    /// against its family's baseline.
    public init(rows: [ResultsTableRow], unparsedPolicy: String) {
        var families: [String] = []
        var byFamily: [String: [ResultsTableRow]] = [:]
        for row in rows {
            if byFamily[row.family] == nil { families.append(row.family) }
            byFamily[row.family, default: []].append(row)
        }
        groups = families.map { family in
            let members = byFamily[family] ?? []
            var ordered = members.enumerated().sorted { left, right in
                if left.element.variant.isMorePrecise(than: right.element.variant) { return true }
                if right.element.variant.isMorePrecise(than: left.element.variant) { return false }
                return left.offset < right.offset
            }.map(\.element)
            let baseline = ordered.first?.co2GramsPerQuery
            for index in ordered.indices.dropFirst() {
                if let baseline, baseline > 0, let current = ordered[index].co2GramsPerQuery {
                    ordered[index].co2ChangeFromBaseline = current / baseline - 1
                }
            }
            return Group(family: family, rows: ordered)
        }
        self.unparsedPolicy = unparsedPolicy
    }

    /// Adds the flips and divergence columns: `changes(baseline, run)` gives each quantized run's
    /// against the first run of its group.
    public mutating func addChanges(_ changes: (RunID, RunID) throws -> ResultsTableRow.Changes?) rethrows {
        showsChanges = true
        for group in groups.indices {
            guard let baseline = groups[group].rows.first?.runID else { continue }
            var rows = groups[group].rows
            for index in rows.indices.dropFirst() { rows[index].changes = try changes(baseline, rows[index].runID) }
            groups[group] = Group(family: groups[group].family, rows: rows)
        }
    }

    /// The caption: what the numbers are and where the energy and CO2 figures come from.
    public var caption: String {
        let items = Set(rows.map(\.items)).sorted().map(String.init).joined(separator: "/")
        var text = "Macro-averaged precision, recall and F1, and accuracy, over \(items) items per run; \(unparsedPolicy). "
        text += "Runs are grouped by model, most precise quantization first; CO2 change is per query against the first run of the group. "
        let measured = rows.filter { $0.energyKwh != nil }
        let energy = attributed(\.energy, among: measured)
        let factors = attributed(\.emissionFactor, among: measured)
        if factors.isEmpty {
            text += "No run recorded its energy, so there is no CO2 figure."
        } else {
            text += "Energy \(energy.joined(separator: "; ")); CO2 = energy × grid emission factor: \(factors.joined(separator: "; "))."
        }
        let unmeasured = rows.filter { $0.energyKwh == nil && $0.energy != nil }
        if !unmeasured.isEmpty {
            let reasons = unmeasured.compactMap(\.energy).uniqued().map { reason in
                let ids = unmeasured.filter { $0.energy == reason }.map { String($0.runID) }
                return "\(reason) (\(ids.count == 1 ? "run" : "runs") \(ids.joined(separator: ", ")))"
            }
            text += " n/m: energy and CO2 \(reasons.joined(separator: "; "))."
        }
        if showsChanges {
            text +=
                " Flips: items right in the group's first run and wrong in this one (R→W), and the reverse (W→R); "
                + "KLD: mean KL divergence of this model's next-token distribution from the first run's model, and same top: the share of "
                + "positions where their most probable token agrees, both as measured by assay divergence (– where it was not)."
        }
        let mixedGroups = groups.filter { Set($0.rows.compactMap(\.emissionFactor)).count > 1 }.map(\.family)
        if !mixedGroups.isEmpty {
            text +=
                " The CO2 change of \(mixedGroups.joined(separator: ", ")) compares runs reckoned with different emission factors, so it reflects the grid as well as the quantization."
        }
        return text
    }

    /// The distinct values of a column; when they differ, each names its runs ("estimated (run 1)"),
    /// so that a reader can tell which figure came from which method or grid.
    private func attributed(_ column: KeyPath<ResultsTableRow, String?>, among rows: [ResultsTableRow]) -> [String] {
        let values = rows.compactMap { $0[keyPath: column] }.uniqued()
        guard values.count > 1 else { return values }
        return values.map { value in
            let ids = rows.filter { $0[keyPath: column] == value }.map { String($0.runID) }
            return "\(value) (\(ids.count == 1 ? "run" : "runs") \(ids.joined(separator: ", ")))"
        }
    }
}

extension ResultsTable {
    /// The table for these evaluated runs (their classification runs; the task-by-model table has the others).
    public init(_ evaluations: [EvaluatedRun], policy: UnparsedPolicy) {
        self.init(rows: evaluations.compactMap(\.tableRow), unparsedPolicy: policy.statement)
    }
}
