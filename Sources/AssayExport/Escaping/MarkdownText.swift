/// Turns user text into the content of a Markdown (GitHub-flavoured) table cell that shows the
/// same characters: no emphasis, link, code span, HTML tag or cell break can start from it.
public enum MarkdownText {
    public static func escapeCell(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var lines: [String] = []
        for character in text {
            switch character {
            case _ where character.isNewline:
                lines.append(result)
                result = ""
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            // CommonMark lets any ASCII punctuation be escaped; these are the ones that mean something in a cell.
            case "\\", "|", "`", "*", "_", "[", "]", "~", "#", "!":
                result.append("\\")
                result.append(character)
            default:
                result.append(character)
            }
        }
        lines.append(result)
        // A cell is one line: breaks inside it are written as HTML line breaks.
        return lines.joined(separator: "<br>")
    }
}
