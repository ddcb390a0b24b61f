import TinyGPT
import Figures
/// Markdown pieces the builder writes itself (figures, captions), kept GitHub-safe.
enum Markdown {
    /// `![alt](figures/05-scores.png)` followed by a numbered caption line.
    static func figure(file: String, number: String, caption: String, alt: String, language: Language) -> String {
        let label = language == .zh ? "图 \(number)" : "Figure \(number)"
        return "![\(Markdown.alt(alt))](\(file).png)\n\n" + "**\(label)** " + Markdown.caption(caption) + " ([SVG](\(file).svg))"
    }

    /// Alt text on one line, without brackets that would end the image syntax, and with user text
    /// (a prompt) that a markdown renderer would read as HTML escaped.
    static func alt(_ text: String) -> String {
        literal(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")"))
    }

    /// A caption as one paragraph, HTML-looking text escaped.
    static func caption(_ text: String) -> String {
        literal(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
    }

    /// `<`, `>` and `&` backslash-escaped (CommonMark), so `<img onerror=…>` or `&lt;` in a prompt stays
    /// those characters instead of becoming a tag or an entity.
    static func literal(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "<" || c == ">" || c == "&" { out.append("\\") }
            out.append(c)
        }
        return out
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
