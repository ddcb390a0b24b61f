import Foundation
import Ink
import TinyGPT
import Figures

/// Markdown to HTML for the site, and the pieces every page shares. All text that came from a
/// prompt, a token or a caption is escaped here: user text is text, never markup.
enum SiteHTML {
    /// The body of a markdown document: math kept for the typesetter, numbered figures as
    /// `<figure>` blocks (drawn by `figureHTML`), `.md` links turned into `.html` links.
    static func body(markdown: String, figure: (SiteFigure) -> String, sizes: (String) -> (width: Int, height: Int)?) -> String {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [String] = []
        var kept: [String] = []
        var i = 0
        var inFence = false
        while i < lines.count {
            if lines[i].hasPrefix("```") { inFence.toggle() }
            if !inFence, let f = SiteContent.figure(at: i, lines, sizes: sizes) {
                blocks.append(figure(f.figure))
                kept += ["", blockToken(blocks.count - 1), ""]
                i = f.next
                continue
            }
            kept.append(lines[i])
            i += 1
        }
        var html = inline(kept.joined(separator: "\n"))
        for (n, block) in blocks.enumerated().reversed() {
            html = html.replacingOccurrences(of: "<p>\(blockToken(n))</p>", with: block)
        }
        return html
    }

    /// Markdown to HTML with math protected (before anything else reads it) and raw `<` shown as text.
    static func inline(_ markdown: String) -> String {
        let (protected, math) = protectMath(rewriteLinks(markdown))
        // GitHub drops the backslash of `\|` (a pipe escaped inside a table cell) even in code
        // spans; Ink keeps it, so the site would show `<\|endoftext\|>`.
        var html = MarkdownParser().html(from: escapeMarkup(protected)).replacingOccurrences(of: "\\|", with: "|")
        for (i, m) in math.enumerated().reversed() {
            let token = mathToken(i)
            let isBlock = m.hasPrefix("$$")
            let tex = escape(String(m.dropFirst(isBlock ? 2 : 1).dropLast(isBlock ? 2 : 1)).trimmingCharacters(in: .whitespacesAndNewlines))
            let wrapped = isBlock ? "<div class=\"math display\">\(tex)</div>" : "<span class=\"math\">\(tex)</span>"
            html = html.replacingOccurrences(of: "<p>\(token)</p>", with: wrapped).replacingOccurrences(of: token, with: wrapped)
        }
        return html
    }

    /// A one-paragraph markdown fragment (a caption) as inline HTML, without the `<p>`.
    static func fragment(_ markdown: String) -> String {
        var html = inline(markdown).trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>") && html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return html
    }

    static func blockToken(_ i: Int) -> String { "GPTXBLOCK\(i)X" }
    static func mathToken(_ i: Int) -> String { "GPTXMATH\(i)X" }

    /// `<` outside code becomes `&lt;`: the lessons contain no HTML of their own, so any `<` is text
    /// (a token such as `<|endoftext|>` or a prompt such as `<img …>`). Markdown keeps the entity.
    static func escapeMarkup(_ markdown: String) -> String {
        var out: [String] = []
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inFence.toggle(); out.append(line); continue }
            if inFence { out.append(line); continue }
            var s = ""
            var inCode = false
            for c in line {
                if c == "`" { inCode.toggle() }
                s += (c == "<" && !inCode) ? "&lt;" : String(c)
            }
            out.append(s)
        }
        return out.joined(separator: "\n")
    }

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
            out += "](\(dir)\(SiteBuilder.htmlName(file))\(anchor))"
            last = match.range.location + match.range.length
        }
        return out + ns.substring(from: last)
    }

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

    /// Text for HTML content and attribute values.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// HTML with the tags taken out, entities kept (for a `<title>` or a link's text).
    static func stripTags(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }

    /// `<img>` of a drawing, sized to its drawing so labels keep their size on wide screens.
    static func image(src: String, alt: String, size: (width: Int, height: Int)?, lazy: Bool = true) -> String {
        let dims = size.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
        return "<img src=\"\(escape(src))\" alt=\"\(escape(alt))\"\(dims)\(lazy ? " loading=\"lazy\"" : "")>"
    }
}

/// The words of the site's own interface, in each language.
struct SiteWords {
    let language: Language
    private var zh: Bool { language == .zh }
    var contents: String { zh ? "目录" : "Contents" }
    var previous: String { zh ? "上一页" : "Previous" }
    var next: String { zh ? "下一页" : "Next" }
    var otherLanguage: String { zh ? "English" : "中文" }
    var present: String { zh ? "演示模式" : "Present" }
    var backToChapter: String { zh ? "回到本章" : "Back to the chapter" }
    var fullScreen: String { zh ? "全屏 (F)" : "Full screen (F)" }
    var embed: String { zh ? "嵌入这张图" : "Embed this figure" }
    var copy: String { zh ? "复制" : "Copy" }
    var frames: String { zh ? "帧" : "frames" }
    var walkthroughs: String { zh ? "课堂演示（逐帧）" : "Classroom walkthroughs (frame by frame)" }
    var chapters: String { zh ? "章节" : "Chapters" }
    var keys: String {
        zh ? "→ / 空格 / PageDown 下一帧，← / PageUp 上一帧，Home / End 首尾，F 全屏"
           : "→ / Space / PageDown next, ← / PageUp back, Home / End, F full screen"
    }
    func chapter(_ n: Int) -> String { zh ? "第 \(n) 章" : "Chapter \(n)" }
}
