import ArgumentParser

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Register the models Assay runs: GGUF files, Ollama tags, OpenAI-compatible servers.",
        discussion: """
            Example:
              assay model fetch smollm2-135m
              assay model add llama-q4 --ollama llama3.2:1b-instruct-q4_0
              assay model list
            """,
        subcommands: [ModelAddCommand.self, ModelListCommand.self, ModelFetchCommand.self]
    )
}
