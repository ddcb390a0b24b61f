import Foundation
import TinyGPT
import Figures

/// Turns the generated markdown into a static site in `output/site/`:
///
/// - `index.html`: every chapter of every language (title and a thumbnail of its first figure) and the walkthroughs;
/// - `<lang>/index.html`, one page per chapter (`05-x.html`) with its figures as `<figure>`s that link their SVG
///   and PNG and offer snippets to embed them, and the chapter's figures as a presenter (`05-x.slides.html`);
/// - `walkthroughs/<name>/index.html` (zh) and `index.en.html`: presenters that step through the frames
///   with the keyboard, `#3` naming frame 3;
/// - `assets/`: our stylesheet and script, and KaTeX copied from Debian's `libjs-katex` to typeset formulas.
///
/// Relative links only (snippets use `baseURL` when given), nothing fetched from elsewhere: the folder
/// works served from any path, embedded, or opened from `file://`. Without JavaScript every page reads in
/// full (formulas as TeX, a presenter as its frames in order).
///
///     try SiteBuilder.build(outputDirectory: URL(fileURLWithPath: "output"), languages: [.zh, .en])
public enum SiteBuilder {
    /// Reads `output/<lang>/` and `output/walkthroughs/`, writes `site` (default `output/site/`), staged then
    /// swapped in, so a failure leaves the previous site as it was.
    public static func build(outputDirectory: URL, languages: [Language], site: URL? = nil, baseURL: String? = nil) throws(UserError) {
        let base = try baseURL.map { b throws(UserError) in try checkedBaseURL(b) }
        let katex = try SiteAssets.katexFiles()
        let fm = FileManager.default
        let siteRoot = site ?? outputDirectory.appendingPathComponent("site")
        let languages = Array(Set(languages)).sorted()
        func data(_ url: URL) throws(UserError) -> Data {
            guard let d = fm.contents(atPath: url.path) else { throw UserError("\(url.path): cannot be read") }
            return d
        }

        // Read everything first: the lessons folder must be complete before the site is touched.
        var chapters: [Language: [SiteChapter]] = [:]
        var readmes: [Language: String] = [:]
        var walkOrder: [String] = []
        var figureFiles: [(from: URL, to: String)] = []
        var svgSizes: [String: (width: Int, height: Int)] = [:]
        let sizes: (String) -> (width: Int, height: Int)? = { svgSizes[$0] }
        for language in languages {
            let source = outputDirectory.appendingPathComponent(language.rawValue)
            guard fm.fileExists(atPath: source.appendingPathComponent("README.md").path) else {
                throw UserError("\(source.path): no lessons here; run `gptx lessons` first")
            }
            for file in ((try? fm.contentsOfDirectory(atPath: source.appendingPathComponent("figures").path)) ?? []).sorted() {
                let url = source.appendingPathComponent("figures/\(file)")
                let path = "\(language.rawValue)/figures/\(file)"
                figureFiles.append((url, path))
                if file.hasSuffix(".svg") { svgSizes[path] = SiteContent.svgSize(try data(url)) }
            }
            let readme = try read(source.appendingPathComponent("README.md"))
            readmes[language] = readme
            for name in matches(#"\.\./walkthroughs/([^/)\s]+)/"#, in: readme) where !walkOrder.contains(name) { walkOrder.append(name) }
            let files = ((try? fm.contentsOfDirectory(atPath: source.path)) ?? []).filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
            chapters[language] = try files.map { file throws(UserError) in
                let markdown = try read(source.appendingPathComponent(file))
                return SiteChapter(language: language, file: file, title: firstHeading(markdown) ?? file, markdown: markdown,
                                   figures: SiteContent.figures(in: markdown, sizes: { sizes("\(language.rawValue)/\($0)") }))
            }
        }
        var walkthroughs: [Language: [SiteWalkthrough]] = [:]
        var walkFiles: [(from: URL, to: String)] = []
        let walks = outputDirectory.appendingPathComponent("walkthroughs")
        let names = ((try? fm.contentsOfDirectory(atPath: walks.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        for name in walkOrder.filter(names.contains) + names.filter({ !walkOrder.contains($0) }) {
            let folder = walks.appendingPathComponent(name)
            let files = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for file in files where file.hasSuffix(".png") || file.hasSuffix(".svg") {
                let path = "walkthroughs/\(name)/\(file)"
                walkFiles.append((folder.appendingPathComponent(file), path))
                if file.hasSuffix(".svg") { svgSizes[path] = SiteContent.svgSize(try data(folder.appendingPathComponent(file))) }
            }
            for language in languages where files.contains(Walkthroughs.readmeName(language)) {
                let markdown = try read(folder.appendingPathComponent(Walkthroughs.readmeName(language)))
                walkthroughs[language, default: []].append(
                    SiteContent.walkthrough(name: name, language: language, markdown: markdown, sizes: { sizes("walkthroughs/\(name)/\($0)") }))
            }
        }

        let pages = SitePages(chapters: chapters, walkthroughs: walkthroughs, readmes: readmes, baseURL: base, sizes: sizes)
        let stage = try StagedOutput(output: siteRoot)
        do throws(UserError) {
            for language in languages {
                let lang = language.rawValue
                for chapter in chapters[language]! {
                    try stage.write(pages.chapterPage(chapter), to: "\(lang)/\(chapter.page)")
                    if !chapter.figures.isEmpty { try stage.write(pages.slidesPage(chapter), to: "\(lang)/\(chapter.slidesPage)") }
                }
                try stage.write(pages.languageIndex(language), to: "\(lang)/index.html")
                for w in walkthroughs[language] ?? [] { try stage.write(pages.walkthroughPage(w), to: "walkthroughs/\(w.name)/\(w.page)") }
            }
            for f in figureFiles + walkFiles { try stage.write(try data(f.from), to: f.to) }
            try stage.write(SiteAssets.css, to: "assets/gptx.css")
            try stage.write(SiteAssets.js, to: "assets/gptx.js")
            for file in katex { try stage.write(try data(SiteAssets.katexDirectory.appendingPathComponent(file)), to: "assets/katex/\(file)") }
            try stage.write(pages.rootIndex(), to: "index.html")
            try stage.replaceAll()
        } catch {
            stage.discard()
            throw error
        }
    }

    /// `--base-url`: a path such as `/gptx/` (ends with `/` after this), never a URL with a host.
    static func checkedBaseURL(_ text: String) throws(UserError) -> String {
        let bad = CharacterSet(charactersIn: "\"'<>\\`?#% ").union(.whitespacesAndNewlines).union(.controlCharacters)
        guard text.hasPrefix("/"), !text.hasPrefix("//"), text.rangeOfCharacter(from: bad) == nil, !text.contains(":") else {
            throw UserError("--base-url \"\(text)\" is not a path: allowed a path from the server's root such as /gptx/ (no scheme, host, spaces, quotes, ? or #)")
        }
        return text.hasSuffix("/") ? text : text + "/"
    }

    /// `README.md` → `index.html`, `README.en.md` → `index.en.html`, `05-x.md` → `05-x.html`.
    static func htmlName(_ markdownFile: String) -> String {
        let stem = String(markdownFile.dropLast(3))
        if stem == "README" { return "index.html" }
        if stem.hasPrefix("README.") { return "index." + stem.dropFirst("README.".count) + ".html" }
        return stem + ".html"
    }

    static func firstHeading(_ markdown: String) -> String? {
        markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { SiteContent.plainText(String($0.dropFirst(2))) }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    static func read(_ url: URL) throws(UserError) -> String {
        guard let s = try? String(contentsOf: url, encoding: .utf8) else { throw UserError("\(url.path): cannot be read") }
        return s
    }
}
