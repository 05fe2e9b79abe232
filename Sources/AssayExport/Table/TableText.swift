import Foundation

/// The LaTeX (booktabs) and Markdown forms every exported table shares: a header, then rows in
/// groups, each group opened by a rule; cells are plain text, escaped here for their format.
struct TableText {
    /// One printed row: whether it opens a group (a model family, a task), and its cells.
    struct Line {
        let startsGroup: Bool
        let cells: [String]
    }

    let caption: String
    /// How many leading columns hold text (left-aligned); the rest are figures.
    let textColumns: Int
    let lines: [Line]

    /// A `table` environment with `header` (LaTeX source, already escaped) above the rows, in
    /// `fontSize` (`small`, `footnotesize`).
    func latex(label: String, header: [String], fontSize: String = "small", fragment: Bool) -> String {
        let co2 = "CO\\textsubscript{2}"
        let columns =
            String(repeating: "l", count: textColumns) + String(repeating: "r", count: (lines.first?.cells.count ?? 0) - textColumns)
        var body = [
            "\\begin{table}[htbp]",
            "\\centering",
            "\\caption{\(LaTeXText.escape(caption).replacingOccurrences(of: "CO2", with: co2))}",
            "\\label{\(label)}",
            "\\\(fontSize)",
            "\\setlength{\\tabcolsep}{4pt}",
            "\\begin{tabular}{\(columns)}",
            "\\toprule",
        ]
        body += header
        for line in lines {
            if line.startsGroup { body.append("\\midrule") }
            body.append(line.cells.map { LaTeXText.escape($0) }.joined(separator: " & ") + " \\\\")
        }
        body += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return LaTeXDocument(packages: ["{booktabs}"], body: body.joined(separator: "\n") + "\n").render(fragment: fragment)
    }

    /// A pipe table under `headings`, with the caption below it.
    func markdown(headings: [String]) -> String {
        var rows = [
            "| " + headings.joined(separator: " | ") + " |",
            "|" + headings.indices.map { $0 < textColumns ? " --- |" : " ---: |" }.joined(),
        ]
        for line in lines {
            rows.append("| " + line.cells.map(MarkdownText.escapeCell).joined(separator: " | ") + " |")
        }
        return rows.joined(separator: "\n") + "\n\n" + MarkdownText.escapeCell(caption) + "\n"
    }
}
