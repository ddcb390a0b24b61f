import Foundation
import TinyGPT
import Figures

/// What the site is made of, read back from the markdown `gptx lessons` wrote: chapters with their
/// numbered figures, language indexes, and walkthroughs with their frames. The site pages are drawn
/// from these values only.
struct SiteChapter {
    var language: Language
    /// `05-masked-self-attention.md`.
    var file: String
    /// The chapter's `# ` heading.
    var title: String
    var markdown: String
    var figures: [SiteFigure]

    /// `05-masked-self-attention.html`.
    var page: String { SiteBuilder.htmlName(file) }
    /// `05-masked-self-attention.slides.html`: the chapter's figures as a presenter.
    var slidesPage: String { String(file.dropLast(3)) + ".slides.html" }
}

/// One numbered figure of a chapter, as `Markdown.figure` wrote it.
struct SiteFigure {
    /// `图 5.1` / `Figure 5.1`.
    var label: String
    /// Markdown of the caption (without the label and the SVG link).
    var caption: String
    /// Plain alt text.
    var alt: String
    /// `figures/05-mask` (relative to the language folder), without extension.
    var stem: String
    /// The drawing's size in CSS pixels (its SVG viewBox), when it could be read.
    var size: (width: Int, height: Int)?
}

/// One walkthrough in one language: `walkthroughs/<name>/README.md` (zh) or `README.en.md`.
struct SiteWalkthrough {
    var name: String
    var language: Language
    var title: String
    var frames: [SiteFrame]

    /// `index.html` (zh) or `index.en.html`.
    var page: String { SiteBuilder.htmlName(Walkthroughs.readmeName(language)) }
}

/// One frame of a walkthrough: `## k / n`, its image and its caption.
struct SiteFrame {
    var number: Int
    /// `003` (the frame's files are `003.png` and `003.svg`).
    var stem: String
    var alt: String
    /// Plain text (`Markdown.text` wrote it escaped).
    var caption: String
    var size: (width: Int, height: Int)?
}

enum SiteContent {
    /// The numbered figure blocks of a chapter, in order. `Markdown.figure` writes each as
    /// `![alt](figures/X.png)`, a blank line, then `**label** caption ([SVG](figures/X.svg))`.
    static func figures(in markdown: String, sizes: (String) -> (width: Int, height: Int)?) -> [SiteFigure] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [SiteFigure] = []
        var i = 0
        while i < lines.count {
            if let f = figure(at: i, lines, sizes: sizes) { out.append(f.figure); i = f.next } else { i += 1 }
        }
        return out
    }

    /// The figure block starting at line `i`, and the line after it.
    static func figure(at i: Int, _ lines: [String], sizes: (String) -> (width: Int, height: Int)?) -> (figure: SiteFigure, next: Int)? {
        guard let (alt, path) = image(lines[i]), path.hasSuffix(".png") else { return nil }
        let stem = String(path.dropLast(4))
        var j = i + 1
        while j < lines.count && lines[j].trimmingCharacters(in: .whitespaces).isEmpty { j += 1 }
        guard j < lines.count else { return nil }
        let line = lines[j]
        let tail = " ([SVG](\(stem).svg))"
        guard line.hasPrefix("**"), line.hasSuffix(tail), let close = line.dropFirst(2).range(of: "**") else { return nil }
        let label = String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound])
        let caption = String(line[close.upperBound..<line.index(line.endIndex, offsetBy: -tail.count)]).trimmingCharacters(in: .whitespaces)
        return (SiteFigure(label: label, caption: caption, alt: plainText(alt), stem: stem, size: sizes(stem + ".svg")), j + 1)
    }

    /// `![alt](path)` alone on a line.
    static func image(_ line: String) -> (alt: String, path: String)? {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("!["), t.hasSuffix(")"), let mid = t.range(of: "](", options: .backwards) else { return nil }
        let alt = String(t[t.index(t.startIndex, offsetBy: 2)..<mid.lowerBound])
        let path = String(t[mid.upperBound..<t.index(before: t.endIndex)])
        guard !path.contains(" ") else { return nil }
        return (alt, path)
    }

    /// A walkthrough README: `# title`, then per frame `## k / n`, `![alt](NNN.png)` and the caption.
    static func walkthrough(name: String, language: Language, markdown: String,
                            sizes: (String) -> (width: Int, height: Int)?) -> SiteWalkthrough {
        var title = name
        var frames: [SiteFrame] = []
        var current: SiteFrame? = nil
        var captionLines: [String] = []
        func flush() {
            guard var f = current else { return }
            f.caption = plainText(captionLines.joined(separator: " ").trimmingCharacters(in: .whitespaces))
            frames.append(f)
            current = nil
            captionLines = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("# ") { title = String(line.dropFirst(2)); continue }
            if line.hasPrefix("## ") {
                flush()
                let number = Int(line.dropFirst(3).split(separator: "/").first?.trimmingCharacters(in: .whitespaces) ?? "") ?? frames.count + 1
                current = SiteFrame(number: number, stem: String(format: "%03d", number), alt: "", caption: "", size: nil)
                continue
            }
            guard current != nil else { continue }
            if let (alt, path) = image(line), path.hasSuffix(".png") {
                current!.alt = plainText(alt)
                current!.stem = String(path.dropLast(4))
                current!.size = sizes(current!.stem + ".svg")
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                captionLines.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
        return SiteWalkthrough(name: name, language: language, title: title, frames: frames)
    }

    /// Markdown inline text as plain text, read as CommonMark reads it: a backslash before ASCII
    /// punctuation makes that character literal (so `\\&amp;` stays `&amp;`), an unescaped entity
    /// (`&lt;`, `&#42;`, `&#x2A;`) becomes its character, any other character is itself. The result
    /// is escaped again wherever it goes into HTML.
    static func plainText(_ markdown: String) -> String {
        let named: [String: Character] = ["lt": "<", "gt": ">", "quot": "\"", "amp": "&", "apos": "'"]
        let chars = Array(markdown)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isPunctuation || chars[i + 1].isSymbol {
                out.append(chars[i + 1]); i += 2; continue
            }
            if c == "&", let semi = chars[(i + 1)...].prefix(10).firstIndex(of: ";") {
                let name = String(chars[(i + 1)..<semi])
                let scalar: Character? = name.hasPrefix("#x") || name.hasPrefix("#X")
                    ? UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map(Character.init)
                    : name.hasPrefix("#") ? UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map(Character.init) : named[name]
                if let scalar { out.append(scalar); i = semi + 1; continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The size of an SVG drawing from its `viewBox`, in CSS pixels.
    static func svgSize(_ data: Data) -> (width: Int, height: Int)? {
        let head = String(decoding: data.prefix(600), as: UTF8.self)
        guard let r = head.range(of: #"viewBox="[^"]*""#, options: .regularExpression) else { return nil }
        let numbers = head[r].dropFirst(9).dropLast().split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 4, numbers[2] > 0, numbers[3] > 0 else { return nil }
        return (Int(numbers[2].rounded()), Int(numbers[3].rounded()))
    }
}
