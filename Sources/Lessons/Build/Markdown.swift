import TinyGPT
import Figures
/// Markdown pieces the builder writes itself (figures, captions), kept GitHub-safe.
enum Markdown {
    /// `![alt](figures/05-scores.png)` followed by a numbered caption line.
    static func figure(file: String, number: String, caption: String, alt: String, language: Language) -> String {
        let label = language == .zh ? "图 \(number)" : "Figure \(number)"
        return "![\(Markdown.alt(alt))](\(file).png)\n\n" + "**\(label)** " + Markdown.caption(caption) + " ([SVG](\(file).svg))"
    }

    /// Alt text: plain text on one line (`text`).
    static func alt(_ text: String) -> String {
        Markdown.text(text.replacingOccurrences(of: "\n", with: " "))
    }

    /// A lesson caption as one paragraph. Our captions carry markdown of their own (code spans for
    /// tokens, `$…$` math), so only what would become HTML is escaped (`<`, `>`, `&`).
    static func caption(_ text: String) -> String {
        var out = ""
        for c in oneParagraph(text) {
            if c == "<" || c == ">" || c == "&" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Plain text (a prompt, a token, a walkthrough caption) as markdown that shows exactly these
    /// characters on GitHub and in our site: every character markdown could read as markup
    /// (emphasis, code, math, links, HTML, entities, escapes) is backslash-escaped, and so is a
    /// first character that could start a heading, list or quote. `SiteContent.plainText` undoes it.
    static func text(_ text: String) -> String {
        let line = Array(oneParagraph(text))
        // `1. ` or `1) ` at the start would open an ordered list.
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber }).count
        var out = ""
        for (i, c) in line.enumerated() {
            let blockStart = i == 0 && "#+-=>!".contains(c) || i == digits && digits > 0 && (c == "." || c == ")")
            if blockStart || "\\`*_[]<>&$~|".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Lines joined with single spaces, each trimmed.
    static func oneParagraph(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Trailing spaces removed, runs of blank lines collapsed (outside code fences), one final newline,
    /// so template whitespace does not leak into the output.
    static func normalize(_ text: String) -> String {
        var out: [Substring] = []
        var inFence = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = inFence ? raw : Substring(raw.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence && line.isEmpty && (out.last?.isEmpty ?? true) { continue }
            out.append(line)
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Naming of walkthrough files.
enum Walkthroughs {
    /// `README.md` for zh (the primary language), `README.en.md` for English.
    static func readmeName(_ language: Language) -> String {
        language == .zh ? "README.md" : "README.\(language.rawValue).md"
    }

    /// Frame `frame`'s file name without extension: `003` for zh, `003.en` for English (each
    /// language's frames carry their own labels).
    static func frameStem(_ frame: Int, _ language: Language) -> String {
        String(format: "%03d", frame) + (language == .zh ? "" : ".\(language.rawValue)")
    }
}
