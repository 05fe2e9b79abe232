import ArgumentParser
import AssayInference

/// `--threads N`: the embedded engine's worker threads, with one default for every command that
/// runs it (run, demo, generate, bench engine).
struct EngineOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "CPU threads for the embedded engine (default: every core of this machine). `run` also sends it to Ollama as num_thread, only when given.",
            valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The count the engine uses: the one given, else every core.
    var resolvedThreads: Int { threads ?? BackendFactory.defaultThreads }
}
