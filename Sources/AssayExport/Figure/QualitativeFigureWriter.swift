/// Renders the qualitative figure: one box per example with the text, gold and predicted labels,
/// the model's reasoning and the evaluation (verdict, scores, the expert's comment).
public enum QualitativeFigureWriter {
    public static func render(_ examples: [QualitativeExample], format: FigureFormat, fragment: Bool) throws -> String {
        switch format {
        case .latex: return latex(examples, fragment: fragment)
        case .markdown: return markdown(examples)
        case .html: return HTMLPage(title: "Key examples", body: html(examples)).render()
        case .json: return try ExportJSON.string(examples) + "\n"
        }
    }

    /// The boxes as an HTML fragment; the report embeds it too.
    static func html(_ examples: [QualitativeExample]) -> String {
        examples.enumerated().map { number, example in
            let evaluations = example.evaluationLines.map { "<li>\(HTMLText.escapeKeepingLines($0))</li>" }.joined()
            return """
                <section class="example \(example.verdict.rawValue)">
                <h3>Example \(number + 1): \(HTMLText.escape(example.modelTitle)) <span class="verdict">\(example.verdict.title)</span></h3>
                <dl>
                <dt>Text</dt><dd>\(HTMLText.escapeKeepingLines(example.text))</dd>
                <dt>Label</dt><dd>\(HTMLText.escape(example.goldLabel))</dd>
                <dt>Predicted</dt><dd>\(HTMLText.escape(example.predictedLabel ?? "none"))</dd>
                <dt>Reasoning</dt><dd>\(HTMLText.escapeKeepingLines(example.reasoning ?? "none given"))</dd>
                <dt>Evaluation</dt><dd>\(example.verdict.title)\(evaluations.isEmpty ? "" : "<ul>\(evaluations)</ul>")</dd>
                </dl>
                </section>
                """
        }.joined(separator: "\n")
    }

    private static func markdown(_ examples: [QualitativeExample]) -> String {
        examples.enumerated().map { number, example in
            let rows: [(String, String)] = [
                ("Text", example.text),
                ("Label", example.goldLabel),
                ("Predicted", example.predictedLabel ?? "none"),
                ("Reasoning", example.reasoning ?? "none given"),
                ("Evaluation", ([example.verdict.title] + example.evaluationLines).joined(separator: "\n")),
            ]
            let table = rows.map { "| **\($0.0)** | \(MarkdownText.escapeCell($0.1)) |" }.joined(separator: "\n")
            return
                "#### Example \(number + 1): \(MarkdownText.escapeCell(example.modelTitle)), item \(example.itemPosition)\n\n| Field | Value |\n| --- | --- |\n\(table)\n"
        }.joined(separator: "\n")
    }

    /// Lines of text a float holds before the next box goes into a continued figure.
    private static let linesPerFigure = 42

    private static func latex(_ examples: [QualitativeExample], fragment: Bool) -> String {
        var figures: [[String]] = []
        var current: [String] = []
        var currentLines = 0
        for (number, example) in examples.enumerated() {
            let lines = estimatedLines(example)
            if !current.isEmpty && currentLines + lines > linesPerFigure {
                figures.append(current)
                current = []
                currentLines = 0
            }
            current.append(latexBox(example, number: number + 1))
            currentLines += lines
        }
        if !current.isEmpty { figures.append(current) }
        let floats: [String] = figures.enumerated().map { index, boxes in
            let caption =
                index == 0
                ? "\\caption{Key examples: model answers and the experts' evaluation.}\n\\label{fig:assay-examples}"
                : "\\caption{Key examples (continued).}"
            return "\\begin{figure}[htbp]\n\\centering\n\(boxes.joined(separator: "\\par\\medskip\n"))\n\(caption)\n\\end{figure}"
        }
        return LaTeXDocument(packages: [], body: floats.joined(separator: "\n") + "\n").render(fragment: fragment)
    }

    private static func latexBox(_ example: QualitativeExample, number: Int) -> String {
        func field(_ name: String, _ value: String) -> String {
            "\\textbf{\(name):} \(LaTeXText.escape(abridged(value), lineBreaks: .newline))\\par"
        }
        let evaluation = ([example.verdict.title] + example.evaluationLines)
            .map { LaTeXText.escape(abridged($0), lineBreaks: .newline) }
            .joined(separator: "\\newline ")
        return """
            \\noindent\\fbox{\\begin{minipage}{\\dimexpr\\linewidth-2\\fboxsep-2\\fboxrule\\relax}
            \\small\\raggedright\\sloppy
            \\textbf{Example \(number): \(LaTeXText.escape(example.modelTitle))}\\hfill\\textit{\(example.verdict.title)}\\par\\smallskip
            \(field("Text", example.text))
            \\textbf{Label:} \(LaTeXText.escape(example.goldLabel))\\quad \\textbf{Predicted:} \(LaTeXText.escape(example.predictedLabel ?? "none"))\\par
            \(field("Reasoning", example.reasoning ?? "none given"))
            \\textbf{Evaluation:} \(evaluation)\\par
            \\end{minipage}}
            """
    }

    /// The most characters a field keeps in a LaTeX box: a float cannot break across pages, so a
    /// longer text would run off the page; the other formats keep every character.
    static let longestLaTeXField = 1200

    /// `text` cut at a word boundary before `longestLaTeXField` characters, saying how much was left out.
    static func abridged(_ text: String) -> String {
        guard text.count > longestLaTeXField else { return text }
        let kept = text.prefix(longestLaTeXField)
        let cut = kept.lastIndex(where: \.isWhitespace).map { kept[..<$0] } ?? kept
        return "\(cut) [… \(text.count - cut.count) more characters; the full text is in assay export figure --format json]"
    }

    /// A rough height: the fields at about 95 characters a line in a small font, plus title and labels.
    private static func estimatedLines(_ example: QualitativeExample) -> Int {
        let texts: [String] = ([example.text, example.reasoning ?? ""] + example.evaluationLines).map(abridged)
        return texts.reduce(4) { $0 + $1.count / 95 + 1 }
    }
}
