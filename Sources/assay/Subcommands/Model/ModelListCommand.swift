import ArgumentParser
import AssayStore

struct ModelListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered models.",
        discussion: """
            Example:
              assay model list
              assay model list --json
            """
    )

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let models = try database.open(create: false).models()
        if output.json {
            try JSONOutput.print(models)
            return
        }
        if models.isEmpty {
            print("No models yet; add one with: assay model fetch smollm2-135m, or assay model add NAME --gguf PATH")
            return
        }
        let table = TextTable(header: ["name", "backend", "reference", "server", "quantization", "parameters", "size"])
        for model in models {
            let servers = model.servers
            table.add([
                model.name, model.backend.rawValue, model.reference,
                servers.count > 1 ? "\(servers.count) servers: \(servers[0].url), ..." : servers.first?.url ?? "-",
                model.quantization ?? "-", model.parameterCount.map(Self.compact) ?? "-", model.fileSize.map(Self.megabytes) ?? "-",
            ])
        }
        print(table.render())
    }

    /// "embedded Q4_1, 134.5M parameters, /path/model.gguf"
    static func summary(of model: ModelRecord) -> String {
        var parts = [model.backend.rawValue]
        if let quantization = model.quantization { parts[0] += " \(quantization)" }
        if let count = model.parameterCount { parts.append("\(compact(count)) parameters") }
        let servers = model.servers.map { server in server.url + (server.concurrency.map { " (\($0) at a time)" } ?? "") }
        parts.append(servers.isEmpty ? model.reference : "\(model.reference) at \(servers.joined(separator: ", "))")
        return parts.joined(separator: ", ")
    }

    static func compact(_ count: Int64) -> String {
        count >= 1_000_000_000 ? String(format: "%.2fB", Double(count) / 1e9) : String(format: "%.1fM", Double(count) / 1e6)
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
