import AssayCore
import AssayStore

/// How runs are named on screen: letters (Run A, Run B) in blind mode, so that nothing reveals the
/// model or its quantization; run ids with model and quantization otherwise.
public struct ReviewRunLabels: Sendable {
    public let runs: [ReviewRun]
    public let blind: Bool

    public init(runs: [ReviewRun], blind: Bool) {
        self.runs = runs
        self.blind = blind
    }

    /// "A", "B", ... "Z", "AA", ... by the run's place in the session.
    public func letter(of runID: RunID) -> String {
        guard var index = runs.firstIndex(where: { $0.id == runID }) else { return "?" }
        var letters = ""
        repeat {
            letters = String(UnicodeScalar(UInt8(65 + index % 26))) + letters
            index = index / 26 - 1
        } while index >= 0
        return letters
    }

    /// What `run=` takes and the filter shows: the letter when blind, else the id.
    public func shortName(of runID: RunID) -> String {
        blind ? letter(of: runID) : runID.description
    }

    /// The heading of a prediction: "Run A" when blind, else "run 3 · model-name (Q4_1)".
    public func heading(of runID: RunID) -> String {
        guard !blind, let run = runs.first(where: { $0.id == runID }) else { return "Run \(letter(of: runID))" }
        return "run \(run.id) · \(run.modelName)" + (run.quantization.map { " (\($0))" } ?? "")
    }

    /// The values `run=` accepts, for errors and completion.
    public var choices: [String] { runs.map { shortName(of: $0.id) } }

    /// The run a typed name refers to: a letter, or (when not blind) an id.
    public func runID(for name: String) -> RunID? {
        if let run = runs.first(where: { letter(of: $0.id) == name.uppercased() }) { return run.id }
        guard !blind, let id = Int64(name).map(RunID.init(rawValue:)) else { return nil }
        return runs.first(where: { $0.id == id })?.id
    }
}
