import ArgumentParser
import AssayCore

/// `--run ID`, for every command that reads runs: repeat it (`--run 1 --run 2`) or list several
/// after one (`--run 1 2`). No `--run` means every run the command applies to, which each command's
/// help names; `metrics` alone asks for `--all` instead, so that a forgotten `--run` does not print
/// the metrics of every run in a large study.
struct RunsOption: ParsableArguments {
    @Option(
        name: .customLong("run"), parsing: .upToNextOption,
        help: ArgumentHelp("A run id; repeat --run or list several after it (default: every run).", valueName: "id"))
    var ids: [RunID] = []

    func validate() throws {
        if let bad = ids.first(where: { $0.rawValue < 1 }) {
            throw ValidationError("--run \(bad) is not a run id; run ids start at 1 (assay metrics --all lists them)")
        }
    }
}
