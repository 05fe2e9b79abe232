/// Breaks text into lines of at most `width` characters at spaces; words longer than a line are
/// cut. Line breaks in the text are kept.
enum TextWrapper {
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 1)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                var word = Substring(word)
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = ""
                }
                while word.count > width {
                    if !line.isEmpty {
                        lines.append(line)
                        line = ""
                    }
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            lines.append(line)
        }
        return lines
    }

    /// `label` in a column of `labelWidth`, the text wrapped beside it with a hanging indent.
    static func labelled(_ label: String, _ text: String, labelWidth: Int, width: Int) -> [String] {
        let indent = String(repeating: " ", count: labelWidth)
        return wrap(text, width: width - labelWidth).enumerated().map { index, line in
            (index == 0 ? label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) : indent) + line
        }
    }
}
