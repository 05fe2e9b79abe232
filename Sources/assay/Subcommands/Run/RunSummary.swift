import AssayCore
import AssayInference
import AssayStore
import Foundation

/// What `assay run` reports when a session ends (`--json` prints it as an object).
struct RunSummary: Encodable {
    let runId: RunID
    let status: String
    let model: String
    let dataset: String
    let task: String
    let mode: String
    let resumed: Bool
    let selected: Int
    let stored: Int
    let madeThisSession: Int
    let parsed: Int
    let ambiguous: Int
    let unparsed: Int
    /// Requests evaluated together: the embedded engine's batch, or a server's concurrency.
    let batchSize: Int?
    /// Measured seconds of the whole run (all sessions), warm-up excluded.
    let seconds: Double
    let secondsPerItem: Double?
    let energyKwh: Double?
    let energyMethod: EnergyMethod?
    let co2Grams: Double?
    /// in-process | local-server | remote-server.
    let energyScope: EnergyScope?
    /// "estimated, local server", or why there is no figure ("not measured (remote server)").
    let energyLabel: String?
    /// A fleet's predictions, request seconds and energy per server.
    let endpoints: [EndpointTally]?

    init(_ result: RunSession.Result) {
        let plan = result.plan
        let outcome = result.outcome
        let run = result.run
        let stored = result.storedCount
        runId = plan.runID
        status = outcome.status.rawValue
        model = plan.model.name
        dataset = plan.datasetName
        task = plan.task.name
        mode = plan.mode.rawValue
        resumed = plan.resumed
        selected = plan.selected.count
        self.stored = stored
        madeThisSession = outcome.madeThisSession
        parsed = outcome.parsed
        ambiguous = outcome.ambiguous
        unparsed = outcome.unparsed
        batchSize = run.batchSize
        seconds = run.durationSeconds ?? 0
        secondsPerItem = stored > 0 && run.durationSeconds != nil ? seconds / Double(stored) : nil
        energyKwh = run.energyKwh
        energyMethod = run.energyMethod
        co2Grams = run.co2Grams
        energyScope = run.energyScope
        let cost = try? RunCost(
            itemCount: stored, durationSeconds: nil, energyKWh: run.energyKwh, energyMethod: run.energyMethod,
            storedFactor: nil, storedFactorSource: nil, region: nil, powerUsageEffectiveness: nil, scope: run.energyScope)
        energyLabel = cost?.energyLabel
        endpoints = result.endpoints.isEmpty ? nil : result.endpoints
    }

    var text: String {
        var lines = [
            "Run \(runId) \(status): \(stored)/\(selected) items stored (\(madeThisSession) in this session: \(parsed) parsed, \(ambiguous) ambiguous, \(unparsed) unparsed)."
        ]
        var cost = [String(format: "%.1f s measured", seconds)]
        if let batchSize { cost[0] += " (\(batchSize) request\(batchSize == 1 ? "" : "s") at a time)" }
        if let secondsPerItem { cost.append(String(format: "%.3f s per item", secondsPerItem)) }
        if let energyKwh {
            cost.append(String(format: "%.6f kWh (%@)", energyKwh, energyLabel ?? energyMethod?.rawValue ?? "?"))
            if let co2Grams { cost.append(String(format: "%.3f g CO2e", co2Grams)) }
        } else if let energyLabel {
            cost.append("energy and CO2 \(energyLabel)")
        }
        lines.append(cost.joined(separator: ", ") + ".")
        for tally in endpoints ?? [] {
            var parts = [
                "\(tally.predictions) prediction\(tally.predictions == 1 ? "" : "s")",
                String(format: "%.1f s of requests", tally.requestSeconds),
            ]
            if let energy = tally.energyKwh {
                parts.append(String(format: "%.6f kWh (its share)", energy))
            } else {
                parts.append("energy \(energyLabel ?? "not measured")")
            }
            if let reason = tally.droppedBecause { parts.append("dropped in this session (\(reason))") }
            lines.append("  \(tally.endpoint): " + parts.joined(separator: ", ") + ".")
        }
        if status == "interrupted" { lines.append("Run the same command (or assay run --resume \(runId)) to continue.") }
        return lines.joined(separator: "\n")
    }
}
