import Foundation
import Testing
import TinyGPT
import Figures
@testable import Lessons

@Suite struct BuildTests {
    func builder(_ lessons: URL = Scratch.repoLessons) -> LessonBuilder {
        LessonBuilder(lessonsDirectory: lessons, run: FakeRun(), figures: FakeFigures())
    }

    @Test func buildsAllChaptersInBothLanguages() throws {
        let out = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh, .en], outputDirectory: out)
        let config = try builder().loadConfig()
        #expect(config.chapters.count == 14)
        for language in Language.allCases {
            let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(language.rawValue).path)
            #expect(files.filter { $0.range(of: #"^\d\d-.*\.md$"#, options: .regularExpression) != nil }.count == 14)
            #expect(files.contains("README.md"))
        }
        try OutputChecks.checkChapters(in: out, config: config, languages: Language.allCases, display: "output")
        try OutputChecks.checkLinks(in: out, display: "output")
        #expect(!FileManager.default.fileExists(atPath: out.deletingLastPathComponent().appendingPathComponent(".output.staging").path))
    }

    /// Each chapter's zh and en templates print the same values: the same set of mustache names
    /// (`{{ch4.next.top1.prob}}`, sections, partials), so en is never a shorter version of zh.
    @Test func bothLanguagesUseTheSameValues() throws {
        let regex = try NSRegularExpression(pattern: #"\{\{\{?[#^/&>]?\s*([\w.]+)"#)
        func names(_ language: String, _ file: String) throws -> Set<String> {
            let text = try String(contentsOf: Scratch.repoLessons.appendingPathComponent("templates/\(language)/\(file)"), encoding: .utf8)
            return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) })
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Scratch.repoLessons.appendingPathComponent("templates/zh").path)
            .filter { $0.range(of: #"^\d\d-.*\.md\.mustache$"#, options: .regularExpression) != nil }.sorted()
        #expect(files.count == 14)
        for file in files {
            let zh = try names("zh", file), en = try names("en", file)
            #expect(zh.count > 3, "\(file) prints hardly any value")
            #expect(zh == en, "\(file): zh only \(zh.subtracting(en).sorted()), en only \(en.subtracting(zh).sorted())")
        }
    }

    @Test func everyLinkedFigureExistsAndNothingIsUnfilled() throws {
        let out = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh, .en], outputDirectory: out)
        var images = 0
        for (path, data) in Scratch.tree(out) where path.hasSuffix(".md") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("{{"), "\(path) has an unfilled tag")
            #expect(!text.contains("<object "), "\(path) renders an object as text")
            for link in OutputChecks.imageLinks(in: text) {
                images += 1
                let target = out.appendingPathComponent(path).deletingLastPathComponent().appendingPathComponent(link)
                #expect(FileManager.default.fileExists(atPath: target.path), "\(path) links missing \(link)")
            }
        }
        let figureCount = try builder().loadConfig().chapters.reduce(0) { $0 + $1.figures.count }
        #expect(images >= 2 * figureCount)   // every configured figure shown in both languages (plus walkthrough frames)
        // A real value, bound from the run, is in the text: the fake's top-1 probability.
        let ch1 = try String(contentsOf: out.appendingPathComponent("zh/01-what-is-gpt.md"), encoding: .utf8)
        #expect(ch1.contains("0.500"))
        #expect(ch1.contains("figures/01-next-token.png"))
    }

    @Test func linkCheckFailsOnAMissingFigure() throws {
        let out = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh], outputDirectory: out)
        try FileManager.default.removeItem(at: out.appendingPathComponent("zh/figures/05-scores.png"))
        #expect(throws: UserError.self) { try OutputChecks.checkLinks(in: out, display: "output") }
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let a = Scratch.directory().appendingPathComponent("output")
        let b = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh, .en], outputDirectory: a)
        try builder().build(languages: [.en, .zh], outputDirectory: b)
        let ta = Scratch.tree(a), tb = Scratch.tree(b)
        #expect(!ta.isEmpty)
        #expect(ta == tb)
    }

    @Test func walkthroughsHaveNumberedFramesAndCaptions() throws {
        let out = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh, .en], outputDirectory: out)
        for name in ["token-trip", "masked-attention", "multi-head", "generation-greedy", "generation-sample", "generation-beam"] {
            let dir = out.appendingPathComponent("walkthroughs/\(name)")
            for file in ["001.png", "001.svg", "README.md", "README.en.md"] {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(name)/\(file)")
            }
            let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
            #expect(readme.contains("\(name) frame 1"))
        }
    }

    /// "Every number comes from the run" only where it does: chapters quoting other models' published
    /// sizes and dates say which numbers are ours.
    @Test func theRunBannerClaimsOnlyWhatIsTrue() throws {
        let out = Scratch.directory().appendingPathComponent("output")
        try builder().build(languages: [.zh, .en], outputDirectory: out)
        for (file, published) in [("01-what-is-gpt", true), ("13-outlook", true), ("05-masked-self-attention", false)] {
            let en = try String(contentsOf: out.appendingPathComponent("en/\(file).md"), encoding: .utf8)
            let zh = try String(contentsOf: out.appendingPathComponent("zh/\(file).md"), encoding: .utf8)
            #expect(en.contains("Every number and figure in this lesson") == !published, "\(file)")
            #expect(en.contains("their published values") == published, "\(file)")
            #expect(zh.contains("本课所有数字与图") == !published, "\(file)")
            #expect(zh.contains("公开发表的数值") == published, "\(file)")
        }
    }
}
