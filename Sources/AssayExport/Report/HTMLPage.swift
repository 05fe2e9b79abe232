/// A complete, self-contained HTML page: the style sheet is inline, there are no scripts and no
/// external resources, so the file opens the same anywhere, offline.
struct HTMLPage {
    let title: String
    let body: String

    func render() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(Self.styleSheet)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    private static let styleSheet = """
        body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d232a;
               max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; }
        h2 { font-size: 1.3em; border-bottom: 2px solid #d6dde4; padding-bottom: 0.2em; margin-top: 2em; }
        h3 { font-size: 1.05em; margin: 0 0 0.5em 0; }
        p.note, .meta { color: #5b6670; font-size: 0.9em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
        th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #e3e8ec; text-align: right; vertical-align: top; }
        th { border-bottom: 2px solid #8a96a0; background: #f5f7f9; }
        td.text, th.text { text-align: left; }
        tr.group-start td { border-top: 2px solid #b8c2ca; }
        .matrices { display: flex; flex-wrap: wrap; gap: 1.5em; }
        .matrices figure { margin: 0; }
        .matrices figcaption { font-weight: 600; font-size: 0.92em; }
        td.cell { min-width: 3em; text-align: center; }
        .example { border: 1px solid #aab4bd; border-radius: 6px; padding: 0.8em 1em; margin: 1em 0; background: #fbfcfd; break-inside: avoid; }
        .example.consistent { border-left: 6px solid #2f8f5b; }
        .example.inconsistent, .example.unparsed { border-left: 6px solid #c0392b; }
        .example .verdict { float: right; font-weight: normal; font-style: italic; color: #5b6670; }
        .example dl { display: grid; grid-template-columns: 7em 1fr; gap: 0.3em 1em; margin: 0; }
        .example dt { font-weight: 600; }
        .example dd { margin: 0; overflow-wrap: anywhere; }
        .example ul { margin: 0.2em 0 0 1.2em; padding: 0; }
        .bar { display: inline-block; height: 0.8em; background: #4a7fb0; vertical-align: middle; margin-right: 0.4em; }
        svg text { font-family: inherit; }
        """
}
