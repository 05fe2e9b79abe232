/// Turns user text (dataset texts, model reasoning, expert comments) into LaTeX that typesets the
/// same characters and can never run as markup.
///
/// Every character TeX treats specially is replaced by a command that prints it; `< > | "` get
/// text commands too, because in the OT1 encoding they print as other glyphs. Characters outside
/// what pdfLaTeX with `[T1]{fontenc}` and UTF-8 input can typeset become a readable `[U+XXXX]`
/// instead of stopping the compilation.
public enum LaTeXText {
    /// What a line break in the text becomes.
    public enum LineBreaks: Sendable {
        /// A space: for table cells and titles, where a break would end the row.
        case space
        /// `\newline`: for paragraph text in boxes.
        case newline
    }

    /// The packages the escaped text relies on, in `\usepackage` order.
    public static let requiredPackages = ["[T1]{fontenc}", "[utf8]{inputenc}"]

    public static func escape(_ text: String, lineBreaks: LineBreaks = .space) -> String {
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map { escapeLine(String($0)).trimmingSpaces() }
            .filter { !$0.isEmpty }
        switch lineBreaks {
        case .space: return lines.joined(separator: " ")
        // Empty lines are dropped above: `\newline` at the start of a paragraph is a TeX error.
        case .newline: return lines.joined(separator: "\\newline ")
        }
    }

    private static func escapeLine(_ line: String) -> String {
        var result = ""
        result.reserveCapacity(line.utf8.count)
        var previous: Unicode.Scalar?
        for scalar in line.unicodeScalars {
            // `--`, `,,` and `''` are ligatures in T1 (a dash, low quotes): an empty group keeps the characters apart.
            if scalar == previous && (scalar == "-" || scalar == "," || scalar == "'") { result += "{}" }
            result += escape(scalar)
            previous = scalar
        }
        return result
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\textbackslash{}"
        case "{": return "\\{"
        case "}": return "\\}"
        case "$": return "\\$"
        case "&": return "\\&"
        case "#": return "\\#"
        case "%": return "\\%"
        case "_": return "\\_"
        case "^": return "\\textasciicircum{}"
        case "~": return "\\textasciitilde{}"
        case "<": return "\\textless{}"
        case ">": return "\\textgreater{}"
        case "|": return "\\textbar{}"
        case "\"": return "\\textquotedbl{}"
        case "`": return "\\textasciigrave{}"
        case "\t": return " "
        default: break
        }
        if scalar.value >= 0x20 && scalar.value < 0x7F { return String(scalar) }
        if let mapped = typesetNonASCII[scalar.value] { return mapped }
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) { return "" }
        if isLatinLetter(scalar.value) { return String(scalar) }
        return "[U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))]"
    }

    /// Latin-1 and Latin Extended-A letters that inputenc's utf8 maps onto T1 glyphs (the gaps are
    /// the ones t1enc.dfu leaves undeclared, such as ħ, ĸ, ŀ, ŉ, ŧ and ſ).
    private static func isLatinLetter(_ value: UInt32) -> Bool {
        (0xC0...0x17F).contains(value) && !undeclaredLatin.contains(value)
    }

    private static let undeclaredLatin: Set<UInt32> = [0xD7, 0xF7, 0x126, 0x127, 0x138, 0x13F, 0x140, 0x149, 0x166, 0x167, 0x17F]

    /// Non-ASCII symbols that occur in real texts, as commands every pdfLaTeX has.
    private static let typesetNonASCII: [UInt32: String] = [
        0xA0: "~", 0xA3: "\\pounds{}", 0xA7: "\\S{}", 0xA9: "\\textcopyright{}", 0xAB: "\\guillemotleft{}",
        0xAE: "\\textregistered{}", 0xB0: "\\textdegree{}", 0xB1: "\\textpm{}", 0xB5: "\\textmu{}",
        0xB6: "\\P{}", 0xB7: "\\textperiodcentered{}", 0xBB: "\\guillemotright{}", 0xBF: "?`", 0xA1: "!`",
        0xD7: "\\texttimes{}", 0xF7: "\\textdiv{}",
        0x2013: "--", 0x2014: "---", 0x2018: "`", 0x2019: "'", 0x201A: "\\quotesinglbase{}",
        0x201C: "``", 0x201D: "''", 0x201E: "\\quotedblbase{}", 0x2022: "\\textbullet{}",
        0x2026: "\\dots{}", 0x2030: "\\textperthousand{}", 0x2032: "'", 0x20AC: "\\texteuro{}",
        0x2122: "\\texttrademark{}", 0x2190: "\\textleftarrow{}", 0x2192: "\\textrightarrow{}",
        0x2212: "\\textminus{}", 0x2264: "\\ensuremath{\\leq}", 0x2265: "\\ensuremath{\\geq}",
    ]
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
