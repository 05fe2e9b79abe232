/// Wraps LaTeX body text either as a complete document that compiles on its own or as a fragment
/// to `\input` into a paper, whose first lines name the packages the paper must load.
public struct LaTeXDocument: Sendable {
    /// `\usepackage` arguments beyond what escaped text needs, e.g. `{booktabs}`.
    public let packages: [String]
    public let body: String

    public init(packages: [String], body: String) {
        self.packages = packages
        self.body = body
    }

    private var allPackages: [String] { LaTeXText.requiredPackages + packages }

    public func render(fragment: Bool) -> String {
        if fragment {
            let lines = allPackages.map { "%   \\usepackage\($0)" }.joined(separator: "\n")
            return "% Written by assay. Load these packages in the paper's preamble:\n\(lines)\n\(body)"
        }
        let preamble = allPackages.map { "\\usepackage\($0)" }.joined(separator: "\n")
        return """
            % Written by assay.
            \\documentclass[11pt]{article}
            \\usepackage[margin=2cm]{geometry}
            \(preamble)
            \\begin{document}
            \(body)
            \\end{document}

            """
    }
}
