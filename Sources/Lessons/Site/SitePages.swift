import Foundation
import TinyGPT
import Figures

/// The HTML of each kind of site page, from the site's content values. `root` is the relative
/// path from a page to the site's root (`""`, `"../"`, `"../../"`).
struct SitePages {
    /// The chapters of every built language, in order.
    var chapters: [Language: [SiteChapter]]
    /// The walkthroughs of every built language, in the order the lessons list them.
    var walkthroughs: [Language: [SiteWalkthrough]]
    /// The language indexes' markdown (`output/<lang>/README.md`).
    var readmes: [Language: String]
    /// `--base-url` (ends with `/`), or nil for a site that only links relatively.
    var baseURL: String?
    var sizes: (String) -> (width: Int, height: Int)?

    var languages: [Language] { chapters.keys.sorted() }

    func other(_ language: Language) -> Language? { languages.first { $0 != language } }

    // MARK: Shell

    /// A whole page: head (stylesheet, KaTeX when the page has math), the navigation bar, the main part, the script.
    func shell(title: String, language: Language, root: String, nav: String, main: String, presenter: Bool = false) -> String {
        let math = main.contains("class=\"math")
        let katexCSS = math ? "<link rel=\"stylesheet\" href=\"\(root)assets/katex/katex.min.css\">\n" : ""
        let katexJS = math ? "<script src=\"\(root)assets/katex/katex.min.js\"></script>\n" : ""
        return """
        <!DOCTYPE html>
        <html lang="\(language.htmlTag)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(SiteHTML.escape(title))</title>
        <link rel="icon" href="data:,">
        \(katexCSS)<link rel="stylesheet" href="\(root)assets/gptx.css">
        </head>
        <body\(presenter ? " class=\"presenter\"" : "")>
        \(nav)
        <main>
        \(main)
        </main>
        \(katexJS)<script src="\(root)assets/gptx.js"></script>
        </body>
        </html>

        """
    }

    func nav(_ items: [String]) -> String {
        "<nav class=\"site-nav\">" + items.filter { !$0.isEmpty }.joined(separator: "\n") + "</nav>"
    }

    func link(_ href: String, _ text: String, rel: String? = nil, lang: Language? = nil) -> String {
        let r = rel.map { " rel=\"\($0)\"" } ?? ""
        let l = lang.map { " lang=\"\($0.htmlTag)\" hreflang=\"\($0.htmlTag)\"" } ?? ""
        return "<a href=\"\(SiteHTML.escape(href))\"\(r)\(l)>\(text)</a>"
    }

    /// Counter, back/next and full-screen controls of a presenter (shown only when the script runs).
    func presenterControls(_ words: SiteWords, frames: Int) -> String {
        """
        <span class="spacer"></span>
        <span class="present-only"><button type="button" data-step="-1" aria-label="\(words.previous)">←</button> <span class="counter" aria-live="polite">1 / \(frames)</span> <button type="button" data-step="1" aria-label="\(words.next)">→</button> <button type="button" data-fullscreen>\(words.fullScreen)</button></span>
        """
    }

    // MARK: Chapters

    func chapterPage(_ chapter: SiteChapter) -> String {
        let words = SiteWords(language: chapter.language)
        let list = chapters[chapter.language]!
        let i = list.firstIndex { $0.file == chapter.file }!
        let prev = i > 0 ? link(list[i - 1].page, "← " + SiteHTML.escape(list[i - 1].title), rel: "prev") : ""
        let next = i + 1 < list.count ? link(list[i + 1].page, SiteHTML.escape(list[i + 1].title) + " →", rel: "next") : ""
        let nav = nav([link("index.html", words.contents, rel: "contents"), prev, next, "<span class=\"spacer\"></span>",
                       chapter.figures.isEmpty ? "" : link(chapter.slidesPage, "▶ " + words.present),
                       otherLanguageLink(chapter.language, file: chapter.page, root: "../")])
        let body = SiteHTML.body(markdown: chapter.markdown, figure: { figureHTML($0, language: chapter.language) }, sizes: { sizes(chapter.language.rawValue + "/" + $0) })
        return shell(title: chapter.title, language: chapter.language, root: "../", nav: nav, main: body)
    }

    /// `../en/05-x.html` when the other language has the same page.
    func otherLanguageLink(_ language: Language, file: String, root: String) -> String {
        guard let o = other(language), chapters[o]?.contains(where: { $0.page == file }) ?? (file == "index.html") else { return "" }
        return link("\(root)\(o.rawValue)/\(file)", SiteWords(language: language).otherLanguage, lang: o)
    }

    /// A numbered figure: the drawing (SVG, sized to its canvas), caption, SVG and PNG links, and snippets to embed it.
    func figureHTML(_ f: SiteFigure, language: Language) -> String {
        let words = SiteWords(language: language)
        let caption = SiteHTML.fragment(f.caption)
        let id = "fig-" + f.label.filter { $0.isNumber || $0 == "." }.replacingOccurrences(of: ".", with: "-")
        let svg = f.stem + ".svg", png = f.stem + ".png"
        let url = baseURL.map { $0 + language.rawValue + "/" + svg } ?? svg
        let dims = f.size.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
        let htmlSnippet = "<figure>\n  <img src=\"\(SiteHTML.escape(url))\" alt=\"\(SiteHTML.escape(f.alt))\"\(dims)>\n  <figcaption>\(SiteHTML.escape(f.label)) \(SiteHTML.stripTags(caption))</figcaption>\n</figure>"
        let markdownSnippet = "![\(Markdown.alt(f.alt))](\(url))\n\n*\(f.label)* \(f.caption)"
        let rel = baseURL == nil ? " data-rel=\"\(SiteHTML.escape(svg))\"" : ""
        return """
        <figure class="fig" id="\(id)">
        <a href="\(SiteHTML.escape(svg))">\(SiteHTML.image(src: svg, alt: f.alt, size: f.size).replacingOccurrences(of: "<img ", with: "<img class=\"paper\" "))</a>
        <figcaption><strong>\(SiteHTML.escape(f.label))</strong> \(caption)</figcaption>
        <div class="fig-links"><a href="\(SiteHTML.escape(svg))">SVG</a> · <a href="\(SiteHTML.escape(png))">PNG</a>
        <details class="embed"><summary>\(words.embed)</summary>
        <div class="snippet"><span>HTML</span><textarea readonly rows="5"\(rel)>\(SiteHTML.escape(htmlSnippet))</textarea><button type="button" data-copy>\(words.copy)</button></div>
        <div class="snippet"><span>Markdown</span><textarea readonly rows="3"\(rel)>\(SiteHTML.escape(markdownSnippet))</textarea><button type="button" data-copy>\(words.copy)</button></div>
        </details></div>
        </figure>
        """
    }

    /// A chapter's figures as presenter frames.
    func slidesPage(_ chapter: SiteChapter) -> String {
        let words = SiteWords(language: chapter.language)
        let n = chapter.figures.count
        let frames = chapter.figures.enumerated().map { (k, f) in
            frame(number: k + 1, of: n, image: f.stem + ".svg", alt: f.alt, size: f.size,
                  text: "<strong>\(SiteHTML.escape(f.label))</strong> \(SiteHTML.fragment(f.caption))",
                  links: [(f.stem + ".svg", "SVG"), (f.stem + ".png", "PNG")])
        }
        let otherSlides: String = {
            guard let o = other(chapter.language), let c = chapters[o]?.first(where: { $0.file == chapter.file }), !c.figures.isEmpty else { return "" }
            return link("../\(o.rawValue)/\(c.slidesPage)", words.otherLanguage, lang: o)
        }()
        let nav = nav([link(chapter.page, "← " + words.backToChapter), link("index.html", words.contents, rel: "contents"),
                       presenterControls(words, frames: n), otherSlides])
        let main = "<h1 class=\"present-title\">\(SiteHTML.escape(chapter.title))</h1>\n<p class=\"keys\">\(words.keys)</p>\n" + frames.joined(separator: "\n")
        return shell(title: chapter.title, language: chapter.language, root: "../", nav: nav, main: main, presenter: true)
    }

    /// One presenter frame; `id` is its number, so `#3` lands on it even without the script.
    func frame(number: Int, of count: Int, image: String, alt: String, size: (width: Int, height: Int)?, text: String, links: [(String, String)]) -> String {
        let linkLine = links.map { "<a href=\"\(SiteHTML.escape($0.0))\">\($0.1)</a>" }.joined(separator: " · ")
        return """
        <section class="frame" id="\(number)">
        <div class="frame-img">\(SiteHTML.image(src: image, alt: alt, size: size, lazy: false).replacingOccurrences(of: "<img ", with: "<img class=\"paper\" "))</div>
        <div class="text"><p class="frame-no">\(number) / \(count)</p><p>\(text)</p><p class="frame-links">\(linkLine)</p></div>
        </section>
        """
    }

    // MARK: Walkthroughs

    func walkthroughPage(_ w: SiteWalkthrough) -> String {
        let words = SiteWords(language: w.language)
        let list = walkthroughs[w.language] ?? []
        let i = list.firstIndex { $0.name == w.name } ?? 0
        let prev = i > 0 ? link("../\(list[i - 1].name)/\(list[i - 1].page)", "← " + SiteHTML.escape(list[i - 1].title), rel: "prev") : ""
        let next = i + 1 < list.count ? link("../\(list[i + 1].name)/\(list[i + 1].page)", SiteHTML.escape(list[i + 1].title) + " →", rel: "next") : ""
        let otherLink: String = {
            guard let o = other(w.language), let ow = walkthroughs[o]?.first(where: { $0.name == w.name }) else { return "" }
            return link(ow.page, words.otherLanguage, lang: o)
        }()
        let contents = chapters[w.language] != nil ? link("../../\(w.language.rawValue)/index.html#walkthroughs", words.contents, rel: "contents")
                                                   : link("../../index.html", words.contents, rel: "contents")
        let nav = nav([contents, prev, next, presenterControls(words, frames: w.frames.count), otherLink])
        let frames = w.frames.map { f in
            frame(number: f.number, of: w.frames.count, image: f.stem + ".svg", alt: f.alt, size: f.size, text: SiteHTML.escape(f.caption),
                  links: [(f.stem + ".svg", "SVG"), (f.stem + ".png", "PNG")])
        }
        let main = "<h1 class=\"present-title\">\(SiteHTML.escape(w.title))</h1>\n<p class=\"keys\">\(words.keys)</p>\n" + frames.joined(separator: "\n")
        return shell(title: w.title, language: w.language, root: "../../", nav: nav, main: main, presenter: true)
    }

    // MARK: Indexes

    /// Chapter cards: number, title and a thumbnail of the chapter's first figure.
    func cards(_ language: Language, prefix: String) -> String {
        let words = SiteWords(language: language)
        let items = (chapters[language] ?? []).map { c -> String in
            let thumb = c.figures.first.map { SiteHTML.image(src: prefix + $0.stem + ".svg", alt: $0.alt, size: $0.size) } ?? ""
            let number = Int(c.file.prefix(2)).map { words.chapter($0) } ?? ""
            let title = c.title.replacingOccurrences(of: number, with: "").trimmingCharacters(in: .whitespaces)
            return "<li><a href=\"\(SiteHTML.escape(prefix + c.page))\">\(thumb)<span class=\"name\"><span class=\"num\">\(number)</span>\(SiteHTML.escape(title))</span></a></li>"
        }
        return "<ul class=\"cards\">\n" + items.joined(separator: "\n") + "\n</ul>"
    }

    func walkthroughList(_ language: Language, prefix: String) -> String {
        let words = SiteWords(language: language)
        let items = (walkthroughs[language] ?? []).map { w in
            "<li><a href=\"\(SiteHTML.escape("\(prefix)walkthroughs/\(w.name)/\(w.page)"))\">\(SiteHTML.escape(w.title))</a> <span class=\"count\">· \(w.frames.count) \(words.frames)</span></li>"
        }
        return "<ul class=\"walks\">\n" + items.joined(separator: "\n") + "\n</ul>"
    }

    /// `<lang>/index.html`: the README's heading and introduction, chapter cards, walkthroughs.
    func languageIndex(_ language: Language) -> String {
        let words = SiteWords(language: language)
        let readme = readmes[language] ?? ""
        let title = SiteBuilder.firstHeading(readme) ?? "gptx"
        // The introduction: the README up to its table of contents (the cards replace it).
        let intro = readme.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("|") && !$0.hasPrefix("## ") }.filter { !$0.hasPrefix("# ") }.joined(separator: "\n")
        let nav = nav([link("../index.html", "gptx", rel: "contents"), "<span class=\"spacer\"></span>", otherLanguageLink(language, file: "index.html", root: "../")])
        let main = "<h1>\(SiteHTML.escape(title))</h1>\n" + SiteHTML.inline(intro) + "\n<h2>\(words.chapters)</h2>\n" + cards(language, prefix: "")
            + "\n<h2 id=\"walkthroughs\">\(words.walkthroughs)</h2>\n" + walkthroughList(language, prefix: "../")
        return shell(title: title, language: language, root: "../", nav: nav, main: main)
    }

    /// The site's front page: every chapter of every language with its thumbnail, and the walkthroughs.
    func rootIndex() -> String {
        var main = "<h1>gptx</h1>\n"
        for language in languages {
            let title = SiteBuilder.firstHeading(readmes[language] ?? "") ?? language.rawValue
            main += "<section lang=\"\(language.htmlTag)\">\n<h2><a href=\"\(language.rawValue)/index.html\">\(SiteHTML.escape(title))</a></h2>\n"
                + cards(language, prefix: "\(language.rawValue)/") + "\n<h3>\(SiteWords(language: language).walkthroughs)</h3>\n"
                + walkthroughList(language, prefix: "") + "\n</section>\n"
        }
        let nav = nav(languages.map { link("\($0.rawValue)/index.html", SiteHTML.escape(SiteBuilder.firstHeading(readmes[$0] ?? "") ?? $0.rawValue), lang: $0) })
        return shell(title: "gptx", language: languages.first ?? .zh, root: "", nav: nav, main: main)
    }
}
