import Foundation
import Testing
import TinyGPT
import Figures
@testable import Lessons

/// The static site: markdown → HTML (math kept for KaTeX, user text escaped), the figure and
/// walkthrough blocks it reads, `--base-url`, and a failed build leaving the previous site alone.
/// The browser half (presenter keys, rendered math, no requests) is Tests/browser/site_test.py.
@Suite struct SiteTests {
    func lessons() throws -> URL {
        let out = Scratch.directory().appendingPathComponent("output")
        try LessonBuilder(lessonsDirectory: Scratch.repoLessons, run: FakeRun(), figures: FakeFigures())
            .build(languages: [.zh, .en], outputDirectory: out)
        return out
    }

    @Test func buildsChapterSlideAndWalkthroughPagesWithLinksInsideTheSite() throws {
        let out = try lessons()
        try SiteBuilder.build(outputDirectory: out, languages: [.zh, .en])
        let site = out.appendingPathComponent("site")
        let tree = Scratch.tree(site)
        #expect(tree["index.html"] != nil && tree["assets/gptx.js"] != nil && tree["assets/katex/katex.min.js"] != nil)
        for language in ["zh", "en"] {
            let chapters = tree.keys.filter { $0.range(of: "^\(language)/\\d\\d-[^.]*\\.html$", options: .regularExpression) != nil }
            #expect(chapters.count == 14)
            #expect(tree["\(language)/index.html"] != nil)
            // A chapter with figures has slides; its slides page has one frame per figure.
            let chapter = String(decoding: tree["\(language)/05-masked-self-attention.html"]!, as: UTF8.self)
            let slides = String(decoding: tree["\(language)/05-masked-self-attention.slides.html"]!, as: UTF8.self)
            let figures = chapter.components(separatedBy: "<figure class=\"fig\"").count - 1
            #expect(figures > 0)
            #expect(slides.components(separatedBy: "<section class=\"frame\"").count - 1 == figures)
            #expect(chapter.contains("<div class=\"math display\">") || chapter.contains("<span class=\"math\">"))
            #expect(chapter.contains("06-multi-head-attention.html"))
        }
        for (path, data) in tree where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            #expect(!html.contains("http://") && !html.contains("https://"), "\(path)")
            // Scripts are our own files, never inline code a prompt could end up in.
            #expect(!html.contains("<script>"), "\(path)")
            let refs = try NSRegularExpression(pattern: ##"(?:src|href)="([^"#:]+)(?:#[^"]*)?""##)
                .matches(in: html, range: NSRange(html.startIndex..., in: html))
                .map { String(html[Range($0.range(at: 1), in: html)!]) }
            for ref in refs {
                let target = site.appendingPathComponent(path).deletingLastPathComponent().appendingPathComponent(ref).standardizedFileURL.path
                #expect(target.hasPrefix(site.standardizedFileURL.path), "\(path): \(ref) leaves the site")
                #expect(FileManager.default.fileExists(atPath: target), "\(path): \(ref)")
            }
        }
    }

    @Test func markupInTextIsEscapedOutsideAndInsideCode() {
        let html = SiteHTML.inline("A prompt <img src=x onerror=alert(1)> and `</script><script>alert(1)</script>` here.")
        #expect(!html.contains("<img") && !html.contains("<script"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)>") || html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("<code>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>"))
        #expect(SiteHTML.escape("<a href=\"x\">&") == "&lt;a href=&quot;x&quot;&gt;&amp;")
    }

    @Test func mathIsKeptForTheTypesetterNotReadAsMarkdown() {
        let html = SiteHTML.inline("Weights $a_i * b_j$ sum to one, but `$x_1$` is code.\n\n$$\n\\text{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}\n$$\n")
        #expect(html.contains("<span class=\"math\">a_i * b_j</span>"))
        #expect(!html.contains("<em>"))
        #expect(html.contains("<code>$x_1$</code>"))
        #expect(html.contains("<div class=\"math display\">\\text{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}</div>"))
        // `<` inside math is escaped once: KaTeX reads the text content.
        #expect(SiteHTML.inline("$a < b$").contains("<span class=\"math\">a &lt; b</span>"))
    }

    @Test func readsFigureBlocksAsMarkdownWritesThem() {
        let markdown = [
            "Text before.", "",
            Markdown.figure(file: "figures/05-mask", number: "5.1", caption: "The mask for \"<b>\".", alt: "Mask <b>", language: .en),
            "", "Text after.",
        ].joined(separator: "\n")
        let figures = SiteContent.figures(in: markdown) { $0 == "figures/05-mask.svg" ? (width: 640, height: 480) : nil }
        #expect(figures.count == 1)
        #expect(figures.first?.label == "Figure 5.1")
        #expect(figures.first?.stem == "figures/05-mask")
        #expect(figures.first?.alt == "Mask <b>")
        #expect(figures.first?.size?.width == 640)
        let body = SiteHTML.body(markdown: markdown, figure: { "<figure>\($0.stem)</figure>" }, sizes: { _ in nil })
        #expect(body.contains("<figure>figures/05-mask</figure>"))
        #expect(body.contains("<p>Text after.</p>"))
    }

    /// User text (a prompt, a token) written by `Markdown.text` is read back by `SiteContent.plainText`
    /// as exactly those characters, whatever markup it holds: every ASCII punctuation mark alone,
    /// next to each other and next to letters, entities and escapes that must stay text.
    @Test func plainTextReadsBackWhatMarkdownTextWrote() {
        let marks = (33...126).map { Character(Unicode.Scalar(UInt8($0))) }.filter { $0.isPunctuation || $0.isSymbol }
        var samples = ["](javascript:alert(1)) *a* _b_ \\x `c` $y$ <b>&amp; &#42; &lt; \\*",
                       "# heading", "- item", "1. item", "12) item", "> quote", "!not an image", "&&;;&#;&#x;&#xZZ;"]
        for a in marks { samples.append(String(a)); samples.append("x\(a)y"); for b in marks { samples.append("\(a)\(b)") } }
        for text in samples {
            #expect(SiteContent.plainText(Markdown.text(text)) == text, "\(text) → \(Markdown.text(text))")
        }
        // Entities we did not write are still read as markdown readers read them.
        #expect(SiteContent.plainText("a &lt;b&gt; &#42;c&#x2A; &amp;amp;") == "a <b> *c* &amp;")
        #expect(SiteContent.plainText("C:\\path \\n") == "C:\\path \\n")
    }

    @Test func walkthroughCaptionsAreTextNotMarkup() {
        let prompt = "<img src=x onerror=alert(1)> *a* `c` $d$ &amp; [l](javascript:x)"
        let readme = "# W\n\n## 1 / 1\n\n![\(Markdown.alt("alt " + prompt))](001.png)\n\n\(Markdown.text("Start: " + prompt))\n"
        let w = SiteContent.walkthrough(name: "w", language: .en, markdown: readme) { _ in nil }
        #expect(w.frames.map(\.caption) == ["Start: " + prompt])
        #expect(w.frames.map(\.alt) == ["alt " + prompt])
    }

    @Test func readsWalkthroughFramesWithTheirOwnTexts() {
        let readme = """
        # Masked attention

        ## 1 / 2

        ![Row 1 \\<b\\>](001.png)

        Row 1: one weight.

        ## 2 / 2

        ![Row 2](002.png)

        Row 2: two
        weights.
        """
        let w = SiteContent.walkthrough(name: "masked-attention", language: .en, markdown: readme) { _ in nil }
        #expect(w.title == "Masked attention")
        #expect(w.frames.map(\.number) == [1, 2])
        #expect(w.frames.map(\.stem) == ["001", "002"])
        #expect(w.frames.map(\.alt) == ["Row 1 <b>", "Row 2"])
        #expect(w.frames.map(\.caption) == ["Row 1: one weight.", "Row 2: two weights."])
        #expect(w.page == "index.en.html")
    }

    @Test func baseURLMustBeAPathFromTheRoot() throws {
        #expect(try SiteBuilder.checkedBaseURL("/gptx") == "/gptx/")
        #expect(try SiteBuilder.checkedBaseURL("/") == "/")
        for bad in ["gptx/", "http://example.org/", "//example.org/", "/a b/", "/a\"b/", "/x?y", "/x#y", "javascript:alert(1)", ""] {
            #expect(throws: UserError.self, "\(bad)") { try SiteBuilder.checkedBaseURL(bad) }
        }
    }

    @Test func embedSnippetsUseTheBaseURLWhenGiven() throws {
        let out = try lessons()
        try SiteBuilder.build(outputDirectory: out, languages: [.en], baseURL: "/course/gptx")
        let page = try String(contentsOf: out.appendingPathComponent("site/en/05-masked-self-attention.html"), encoding: .utf8)
        #expect(page.contains("/course/gptx/en/figures/05-mask.svg"))
    }

    @Test func aFailedBuildLeavesThePreviousSiteAsItWas() throws {
        let out = try lessons()
        try SiteBuilder.build(outputDirectory: out, languages: [.zh, .en])
        let site = out.appendingPathComponent("site")
        let before = Scratch.tree(site)
        #expect(throws: UserError.self) { try SiteBuilder.build(outputDirectory: out, languages: [.zh, .en], baseURL: "http://x/") }
        try FileManager.default.removeItem(at: out.appendingPathComponent("en/README.md"))
        #expect(throws: UserError.self) { try SiteBuilder.build(outputDirectory: out, languages: [.zh, .en]) }
        #expect(Scratch.tree(site) == before)
        let missing = Scratch.directory().appendingPathComponent("no-lessons")
        #expect(throws: UserError.self) { try SiteBuilder.build(outputDirectory: missing, languages: [.en]) }
        #expect(!FileManager.default.fileExists(atPath: missing.appendingPathComponent("site").path))
    }
}
