import TinyGPT
import Figures
import Foundation

/// Checks on generated lessons, used by the builder before it swaps new output in, and by tests.
public enum OutputChecks {
    /// Text that must never reach a reader: Mustache tags that were not expanded, objects rendered
    /// as text, Swift optionals. (`}}` alone is legal: LaTeX writes `\sqrt{d_k}}`.)
    static let leftovers = ["{{", "<object ", "Optional("]

    /// Fails if the rendered text still holds a placeholder or an object printed as text.
    public static func checkFilled(_ text: String, what: String) throws(UserError) {
        for marker in leftovers where text.contains(marker) {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(marker) }.map { $0 + 1 } ?? 0
            throw UserError("\(what): line \(line) still contains \"\(marker)\" (an unfilled placeholder)")
        }
    }

    /// Relative image targets of a markdown text: `![alt](figures/x.png)` → `figures/x.png`.
    public static func imageLinks(in markdown: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"!\[[^\]]*\]\(([^)\s]+)\)"#)
        let ns = markdown as NSString
        return regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    /// Relative link targets (not images, not URLs with a scheme, not #anchors).
    public static func relativeLinks(in markdown: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"(?<!!)\[[^\]]*\]\(([^)\s]+)\)"#)
        let ns = markdown as NSString
        return regex.matches(in: markdown, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
            .filter { !$0.contains("://") && !$0.hasPrefix("#") && !$0.hasPrefix("mailto:") }
    }

    /// Every image and relative link of every markdown file under `directory` points at an existing file.
    public static func checkLinks(in directory: URL, display: String) throws(UserError) {
        let fm = FileManager.default
        let files = (fm.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".md") }.sorted()
        for file in files {
            let url = directory.appendingPathComponent(file)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let base = url.deletingLastPathComponent()
            for link in imageLinks(in: text) + relativeLinks(in: text) {
                let target = base.appendingPathComponent(link.split(separator: "#").first.map(String.init) ?? link).standardizedFileURL
                if !fm.fileExists(atPath: target.path) {
                    throw UserError("\(display)/\(file): links \(link), which does not exist")
                }
            }
        }
    }

    /// `output/<lang>/NN-slug.md` exists for every chapter and language, and `README.md` for each language.
    public static func checkChapters(in directory: URL, config: LessonConfig, languages: [Language], display: String) throws(UserError) {
        for language in languages {
            for name in config.chapters.map({ $0.baseName + ".md" }) + ["README.md"] {
                let path = directory.appendingPathComponent(language.rawValue).appendingPathComponent(name).path
                if !FileManager.default.fileExists(atPath: path) {
                    throw UserError("\(display)/\(language.rawValue)/\(name): is missing after the build")
                }
            }
        }
    }
}
