import ArgumentParser
import AssayCore

/// `--runs BASE,MODEL`: two different run ids, the base model's run first.
struct RunPair {
    let base: RunID
    let model: RunID

    /// Reads "1,2"; anything else is an error that says what to give.
    static func parse(_ argument: String) throws -> RunPair {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let base = RunID(parts[0]), let model = RunID(parts[1]), base.rawValue >= 1, model.rawValue >= 1,
            base != model
        else {
            throw ValidationError(
                "--runs '\(argument)' is not a pair of runs; give the base model's run id and the other's, as in --runs 1,2 (assay metrics --all lists them)"
            )
        }
        return RunPair(base: base, model: model)
    }
}
