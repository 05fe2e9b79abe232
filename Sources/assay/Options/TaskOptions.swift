import ArgumentParser
import AssayCore

/// `--task FILE` with the hyperparameters a command line may override, for the commands that send
/// a task's prompts to a model (run, bench server).
struct TaskOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A YAML task file (default: the built-in sentiment task).", valueName: "file"))
    var task: String?

    @Option(help: "Override the task's max_tokens.")
    var maxTokens: Int?

    @Option(help: "Override the task's temperature (0 is greedy).")
    var temperature: Double?

    @Option(
        help:
            "Override the task's batch_size: requests the embedded engine decodes together (1: one at a time); predictions are also committed in batches of this size."
    )
    var batchSize: Int?

    func validate() throws {
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let temperature, !(temperature >= 0) { throw ValidationError("--temperature must be 0 or more") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    /// The task file read, or the built-in sentiment task.
    func definition() throws -> TaskDefinition {
        try TaskFile.definition(at: task)
    }

    var overrides: Hyperparameters { Hyperparameters(batchSize: batchSize, maxTokens: maxTokens, temperature: temperature) }
}
