import ArgumentParser
import AssayCore
import AssayInference

/// `--limit N` or `--sample N --seed S`: which of a dataset's items a command sends to a model.
struct SelectionOptions: ParsableArguments {
    @Option(help: "Only the first N items, in dataset order.")
    var limit: Int?

    @Option(help: "N items drawn at random with --seed.")
    var sample: Int?

    @Option(help: "The seed for --sample (default 0).")
    var seed: UInt64?

    func validate() throws {
        if limit != nil && sample != nil { throw ValidationError("give --limit or --sample, not both") }
        if seed != nil && sample == nil { throw ValidationError("--seed goes with --sample") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
    }

    var isEmpty: Bool { limit == nil && sample == nil }

    /// The selection, or `fallback` when neither --limit nor --sample is given.
    func selection(else fallback: RunSelection = RunSelection()) -> RunSelection {
        isEmpty ? fallback : RunSelection(limit: limit, sample: sample, seed: sample == nil ? nil : (seed ?? 0))
    }
}
