import AssayCore
import Testing

@testable import AssayExport

@Suite("Escaping user text per format")
struct EscapingTests {
    @Test("LaTeX: every special character becomes a command that prints it")
    func latexSpecials() {
        #expect(LaTeXText.escape("\\input{/etc/passwd}") == "\\textbackslash{}input\\{/etc/passwd\\}")
        #expect(LaTeXText.escape("} % & # _ ^ ~ $") == "\\} \\% \\& \\# \\_ \\textasciicircum{} \\textasciitilde{} \\$")
        #expect(LaTeXText.escape("<a> | \"b\"") == "\\textless{}a\\textgreater{} \\textbar{} \\textquotedbl{}b\\textquotedbl{}")
        #expect(LaTeXText.escape("a--b ,,c'' `d`") == "a-{}-b ,{},c'{}' \\textasciigrave{}d\\textasciigrave{}")
    }

    @Test("LaTeX: line breaks become \\newline in boxes and spaces in cells; empty lines never start one")
    func latexLines() {
        #expect(LaTeXText.escape("one\n\n two\r\nthree\n", lineBreaks: .newline) == "one\\newline two\\newline three")
        #expect(LaTeXText.escape("\none\ntwo", lineBreaks: .space) == "one two")
        #expect(LaTeXText.escape("\n \n", lineBreaks: .newline) == "")
    }

    @Test("LaTeX: letters T1 can print stay; symbols map to text commands; anything else is a readable code")
    func latexUnicode() {
        #expect(LaTeXText.escape("Lindén Łódź") == "Lindén Łódź")
        #expect(LaTeXText.escape("€1 – “x” …") == "\\texteuro{}1 -- ``x'' \\dots{}")
        #expect(LaTeXText.escape("ſ 株 😀") == "[U+017F] [U+682A] [U+1F600]")
        #expect(LaTeXText.escape("a\u{7}b\u{7F}c") == "abc")
    }

    @Test("HTML: the five characters that can open markup are entities")
    func html() {
        #expect(
            HTMLText.escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        #expect(HTMLText.escapeKeepingLines("a</td>\r\nb\nc") == "a&lt;/td&gt;<br>b<br>c")
    }

    @Test("Markdown: a cell can neither end early nor start markup; lines become <br>")
    func markdown() {
        #expect(MarkdownText.escapeCell("a | b") == "a \\| b")
        #expect(MarkdownText.escapeCell("*x* _y_ `z` [l](u) <b> &") == "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) &lt;b&gt; &amp;")
        #expect(MarkdownText.escapeCell("one\r\ntwo\nthree") == "one<br>two<br>three")
        #expect(MarkdownText.escapeCell("\\|") == "\\\\\\|")
    }

    @Test("CSV: RFC 4180 quoting, and the project's reader reads the fields back")
    func csvRoundTrip() throws {
        #expect(CSVText.field("plain") == "plain")
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        let fields = ["id", "a,b", "say \"hi\"", "line\nbreak", "crlf\r\nbreak", "", "</td>"]
        let text = CSVText.record(fields) + CSVText.record(fields)
        #expect(text.hasSuffix("\r\n"))
        let records = try CSVReader(source: "test").records(in: Array(text.utf8))
        #expect(records.map(\.fields) == [fields, fields])
    }
}
