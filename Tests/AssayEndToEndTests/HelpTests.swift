import AssayTestSupport
import Testing

@Suite("--help teaches")
struct HelpTests {
    /// The subcommand names listed under SUBCOMMANDS in a help text.
    static func subcommands(in help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") {
                inSection = true
                continue
            }
            guard inSection else { continue }
            if !line.hasPrefix(" ") {
                if !line.isEmpty { inSection = false }
                continue
            }
            // Entries sit at a two-space indent; wrapped descriptions are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.split(separator: " ").first, name != "help", name != "See" {
                names.append(String(name))
            }
        }
        return names
    }

    @Test("assay --help and every subcommand's --help show a usage example")
    func everyHelpHasAnExample() throws {
        var pending: [[String]] = [[]]
        var checked = 0
        while let path = pending.popLast() {
            let result = try AssayBinary.run(path + ["--help"])
            #expect(result.status == 0, "assay \(path.joined(separator: " ")) --help failed")
            #expect(result.stdout.contains("Example:"), "assay \(path.joined(separator: " ")) --help has no example")
            checked += 1
            // Guard against a help text that lists itself: real command paths are short.
            for name in Self.subcommands(in: result.stdout) where path.count < 4 && !path.contains(name) {
                pending.append(path + [name])
            }
        }
        #expect(checked >= 4)
    }
}
