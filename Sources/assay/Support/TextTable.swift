/// A plain-text table with aligned columns, for terminal output.
final class TextTable {
    private let header: [String]
    private var rows: [[String]] = []

    init(header: [String]) {
        self.header = header
    }

    func add(_ row: [String]) {
        rows.append(row.map(Self.printable))
    }

    /// Cells hold names users typed and texts from files: a line break would tear the table and an
    /// escape sequence would reach the terminal, so control characters print as visible stand-ins.
    private static func printable(_ cell: String) -> String {
        String(
            String.UnicodeScalarView(
                cell.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x09, 0x0A, 0x0D: " "
                    case 0x00..<0x20, 0x7F..<0xA0: "\u{FFFD}"
                    default: scalar
                    }
                }))
    }

    func render() -> String {
        let all = [header] + rows
        let columnCount = all.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
