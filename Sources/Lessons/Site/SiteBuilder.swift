import Foundation
import Ink
import TinyGPT
import Figures

/// Turns the generated markdown into a static site: `output/site/index.html`,
/// `output/site/<lang>/index.html` and one page per lesson, figures copied beside them,
/// walkthroughs under `output/site/walkthroughs/`. Relative links only, one inline stylesheet,
/// no scripts, no network: the folder can be served or embedded anywhere.
///
/// Math stays as text (`$…$`), protected from the markdown parser and wrapped in `<span class="math">`.
///
///     try SiteBuilder.build(outputDirectory: URL(fileURLWithPath: "output"), languages: [.zh, .en])
public enum SiteBuilder {
    /// Reads `output/<lang>/` and `output/walkthroughs/`, writes `output/site/` (staged, then swapped in).
    public static func build(outputDirectory: URL, languages: [Language]) throws(UserError) {
        let fm = FileManager.default
        let siteRoot = outputDirectory.appendingPathComponent("site")
        let stage = try StagedOutput(output: siteRoot)
        do throws(UserError) {
            var entries: [String] = []
            var languageLinks: [(Language, String)] = []
            for language in Array(Set(languages)).sorted() {
                let source = outputDirectory.appendingPathComponent(language.rawValue)
                guard fm.fileExists(atPath: source.appendingPathComponent("README.md").path) else {
                    throw UserError("\(source.path): no lessons here; run `gptx lessons` first")
                }
                let files = ((try? fm.contentsOfDirectory(atPath: source.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
                for file in files {
                    let markdown = try read(source.appendingPathComponent(file))
                    let name = htmlName(file)
                    try stage.write(page(markdown: markdown, language: language), to: "\(language.rawValue)/\(name)")
                }
                try copyTree(source.appendingPathComponent("figures"), to: "\(language.rawValue)/figures", stage: stage)
                entries.append(language.rawValue)
                let title = firstHeading(try read(source.appendingPathComponent("README.md"))) ?? language.rawValue
                languageLinks.append((language, "[\(title)](\(language.rawValue)/index.html)"))
            }
            let walks = outputDirectory.appendingPathComponent("walkthroughs")
            if fm.fileExists(atPath: walks.path) {
                for name in ((try? fm.contentsOfDirectory(atPath: walks.path)) ?? []).sorted() {
                    let folder = walks.appendingPathComponent(name)
                    for file in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
                        let url = folder.appendingPathComponent(file)
                        if file.hasSuffix(".md") {
                            let language: Language = file == "README.md" ? .zh : (Language(rawValue: file.split(separator: ".").dropFirst().first.map(String.init) ?? "") ?? .en)
                            try stage.write(page(markdown: try read(url), language: language), to: "walkthroughs/\(name)/\(htmlName(file))")
                        } else {
                            try stage.write(try readData(url), to: "walkthroughs/\(name)/\(file)")
                        }
                    }
                }
                entries.append("walkthroughs")
            }
            let index = "# gptx\n\n" + languageLinks.map { "- \($0.1)" }.joined(separator: "\n") + "\n"
            try stage.write(page(markdown: index, language: languageLinks.first?.0 ?? .zh), to: "index.html")
            entries.append("index.html")
            try stage.commit(entries: entries)
        } catch {
            stage.discard()
            throw error
        }
    }

    /// `README.md` → `index.html`, `README.en.md` → `index.en.html`, `05-x.md` → `05-x.html`.
    static func htmlName(_ markdownFile: String) -> String {
        let stem = String(markdownFile.dropLast(3))
        if stem == "README" { return "index.html" }
        if stem.hasPrefix("README.") { return "index." + stem.dropFirst("README.".count) + ".html" }
        return stem + ".html"
    }

    /// One HTML page from one markdown document.
    static func page(markdown: String, language: Language) -> String {
        let (protected, math) = protectMath(rewriteLinks(markdown))
        // GitHub drops the backslash of `\|` (a pipe escaped inside a table cell) even in code
        // spans; Ink keeps it, so the site would show `<\|endoftext\|>`.
        var html = MarkdownParser().html(from: protected).replacingOccurrences(of: "\\|", with: "|")
        for (i, m) in math.enumerated().reversed() {
            let token = mathToken(i)
            let isBlock = m.hasPrefix("$$")
            let wrapped = isBlock ? "<div class=\"math\">\(escape(m))</div>" : "<span class=\"math\">\(escape(m))</span>"
            html = html.replacingOccurrences(of: "<p>\(token)</p>", with: wrapped).replacingOccurrences(of: token, with: wrapped)
        }
        let title = firstHeading(markdown) ?? "gptx"
        return """
        <!DOCTYPE html>
        <html lang="\(language.htmlTag)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(css)</style>
        </head>
        <body>
        <main>
        \(html)
        </main>
        </body>
        </html>

        """
    }

    static let css = "body{margin:0;font:16px/1.65 system-ui,-apple-system,\"Segoe UI\",\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;color:#1d1d1f;background:#fff}main{max-width:52rem;margin:0 auto;padding:1.5rem}img{max-width:100%;height:auto;display:block;margin:1rem auto}table{border-collapse:collapse;margin:1rem 0;display:block;overflow-x:auto}th,td{border:1px solid #d0d0d5;padding:.3rem .6rem;text-align:left}th{background:#f4f4f7}code{font:.9em ui-monospace,Menlo,Consolas,monospace;background:#f4f4f7;padding:.1em .3em;border-radius:3px}pre{background:#f4f4f7;padding:.8rem;overflow-x:auto}pre code{padding:0}.math{font-family:\"Latin Modern Math\",\"STIX Two Math\",serif;white-space:pre-wrap}div.math{text-align:center;margin:1rem 0}blockquote{border-left:4px solid #d0d0d5;margin:0;padding-left:1rem;color:#555}a{color:#0b5cad}"

    /// Relative `.md` links become `.html` links.
    static func rewriteLinks(_ markdown: String) -> String {
        let regex = try! NSRegularExpression(pattern: #"\]\(((?![a-z]+://)[^)\s]*?)([^/)\s]+)\.md(#[^)\s]*)?\)"#)
        let ns = markdown as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            let dir = ns.substring(with: match.range(at: 1))
            let file = ns.substring(with: match.range(at: 2)) + ".md"
            let anchor = match.range(at: 3).location == NSNotFound ? "" : ns.substring(with: match.range(at: 3))
            out += "](\(dir)\(htmlName(file))\(anchor))"
            last = match.range.location + match.range.length
        }
        return out + ns.substring(from: last)
    }

    static func mathToken(_ i: Int) -> String { "GPTXMATH\(i)X" }

    /// Replaces `$$…$$` and `$…$` outside code with tokens, so `_` and `*` in formulas are not read as emphasis.
    static func protectMath(_ markdown: String) -> (String, [String]) {
        var math: [String] = []
        var out: [String] = []
        var inFence = false
        var block: [String]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inFence.toggle(); out.append(line); continue }
            if inFence { out.append(line); continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var b = block {
                b.append(line)
                if trimmed.hasSuffix("$$") { math.append(b.joined(separator: "\n")); out.append(mathToken(math.count - 1)); block = nil } else { block = b }
                continue
            }
            if trimmed.hasPrefix("$$") && !(trimmed.count > 2 && trimmed.hasSuffix("$$")) { block = [line]; continue }
            if trimmed.hasPrefix("$$") && trimmed.hasSuffix("$$") && trimmed.count > 4 {
                math.append(trimmed); out.append(mathToken(math.count - 1)); continue
            }
            out.append(protectInline(line, &math))
        }
        if let b = block { out += b }
        return (out.joined(separator: "\n"), math)
    }

    static func protectInline(_ line: String, _ math: inout [String]) -> String {
        var out = ""
        var inCode = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "`" { inCode.toggle(); out.append(c); i = line.index(after: i); continue }
            if !inCode, c == "$", let close = line[line.index(after: i)...].firstIndex(of: "$"), close > line.index(after: i) {
                math.append(String(line[i...close]))
                out += mathToken(math.count - 1)
                i = line.index(after: close)
                continue
            }
            out.append(c)
            i = line.index(after: i)
        }
        return out
    }

    static func firstHeading(_ markdown: String) -> String? {
        markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func read(_ url: URL) throws(UserError) -> String {
        guard let s = try? String(contentsOf: url, encoding: .utf8) else { throw UserError("\(url.path): cannot be read") }
        return s
    }

    static func readData(_ url: URL) throws(UserError) -> Data {
        guard let d = FileManager.default.contents(atPath: url.path) else { throw UserError("\(url.path): cannot be read") }
        return d
    }

    static func copyTree(_ source: URL, to relative: String, stage: StagedOutput) throws(UserError) {
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? []).sorted() {
            try stage.write(try readData(source.appendingPathComponent(file)), to: "\(relative)/\(file)")
        }
    }
}
