import Foundation
import Testing
import TinyGPT
@testable import Lessons

/// Each broken input gives one line naming the file, the chapter and the problem, and leaves a
/// previous build untouched.
@Suite struct ErrorTests {
    /// Builds once from a good copy, applies `breakIt`, builds again; returns the error and checks the output is unchanged.
    func failure(_ breakIt: (URL) throws -> Void) throws -> String {
        let lessons = Scratch.lessonsCopy()
        let out = lessons.deletingLastPathComponent().appendingPathComponent("output")
        let builder = LessonBuilder(lessonsDirectory: lessons, run: FakeRun(), figures: FakeFigures())
        try builder.build(languages: [.zh, .en], outputDirectory: out)
        let before = Scratch.tree(out)
        try breakIt(lessons)
        var message = ""
        do { try builder.build(languages: [.zh, .en], outputDirectory: out) } catch { message = error.message }
        #expect(!message.isEmpty, "the broken build succeeded")
        #expect(!message.contains("\n"), "not one line: \(message)")
        #expect(Scratch.tree(out) == before, "previous output changed")
        return message
    }

    func editConfig(_ lessons: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = lessons.appendingPathComponent("lessons.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }

    func editChapter(_ lessons: URL, _ number: Int, _ edit: (inout [String: Any]) -> Void) throws {
        try editConfig(lessons) { json in
            var chapters = json["chapters"] as! [[String: Any]]
            edit(&chapters[number - 1])
            json["chapters"] = chapters
        }
    }

    @Test func unknownStage() throws {
        let m = try failure { try editChapter($0, 5) { c in
            var figs = c["figures"] as! [[String: Any]]; figs[1]["stage"] = "atention"; c["figures"] = figs } }
        #expect(m.contains("lessons/lessons.json") && m.contains("chapter 5") && m.contains("unknown stage \"atention\""), "\(m)")
    }

    @Test func unknownStrategy() throws {
        let m = try failure { try editChapter($0, 7) { c in
            var s = c["scenarios"] as! [[String: Any]]; s[0]["strategy"] = ["name": "nucleus"]; c["scenarios"] = s } }
        #expect(m.contains("lessons/lessons.json") && m.contains("chapter 7") && m.contains("unknown strategy \"nucleus\""), "\(m)")
    }

    @Test func strategyParameterOutOfRange() throws {
        let m = try failure { try editChapter($0, 7) { c in
            var s = c["scenarios"] as! [[String: Any]]; s[4]["strategy"] = ["name": "topP", "p": 1.5]; c["scenarios"] = s } }
        #expect(m.contains("chapter 7") && m.contains("allowed 0 < p ≤ 1"), "\(m)")
    }

    @Test func promptTooLong() throws {
        let m = try failure { try editChapter($0, 4) { c in
            var s = c["scenarios"] as! [[String: Any]]; s[0]["prompt"] = String(repeating: "长", count: 70); c["scenarios"] = s } }
        #expect(m.contains("lessons/lessons.json") && m.contains("chapter 4") && m.contains("at most 64 tokens"), "\(m)")
    }

    @Test func loopSearchOutOfRangeOrNotGreedy() throws {
        let m = try failure { try editChapter($0, 12) { c in
            var s = c["scenarios"] as! [[String: Any]]; s[0]["searchOpenings"] = 0; c["scenarios"] = s } }
        #expect(m.contains("chapter 12") && m.contains("searchOpenings 0 is out of range: allowed 1...1000"), "\(m)")
        let g = try failure { try editChapter($0, 12) { c in
            var s = c["scenarios"] as! [[String: Any]]; s[0]["strategy"] = ["name": "beam", "width": 3]; c["scenarios"] = s } }
        #expect(g.contains("chapter 12") && g.contains("the strategy must be greedy"), "\(g)")
    }

    @Test func missingTemplate() throws {
        let m = try failure { try FileManager.default.removeItem(at: $0.appendingPathComponent("templates/en/09-gpt-vs-bert.md.mustache")) }
        #expect(m == "lessons/templates/en/09-gpt-vs-bert.md.mustache: chapter 9: template is missing", "\(m)")
    }

    @Test func missingKeyIsCaught() throws {
        let m = try failure { lessons in
            let url = lessons.appendingPathComponent("templates/zh/05-masked-self-attention.md.mustache")
            try (String(contentsOf: url, encoding: .utf8) + "\n{{ch5.nonexistent}}\n").write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(m.contains("chapter 5") && m.contains("ch5.nonexistent"), "\(m)")
    }

    @Test func missingKeyInsideAListSectionIsCaught() throws {
        let m = try failure { lessons in
            let url = lessons.appendingPathComponent("templates/en/01-what-is-gpt.md.mustache")
            try (String(contentsOf: url, encoding: .utf8) + "\n{{#ch1.next.top}}{{tokn}}{{/ch1.next.top}}\n").write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(m.contains("chapter 1") && m.contains("ch1.next.top[0].tokn"), "\(m)")
    }

    @Test func missingSectionKeyIsCaught() throws {
        // A condition whose key the run does not provide must not silently vanish.
        let m = try failure { lessons in
            let url = lessons.appendingPathComponent("templates/en/06-multi-head-attention.md.mustache")
            try (String(contentsOf: url, encoding: .utf8) + "\n{{^ch6.copyingCircuits}}none{{/ch6.copyingCircuits}}\n").write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(m.contains("chapter 6") && m.contains("ch6.copyingCircuits"), "\(m)")
    }

    @Test func figureConfiguredButNotShown() throws {
        let m = try failure { lessons in
            let url = lessons.appendingPathComponent("templates/zh/03-decoder-structure.md.mustache")
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "{{{fig.rope}}}", with: "")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(m.contains("chapter 3") && m.contains("\"rope\""), "\(m)")
    }

    @Test func codeReferencesAreCheckedAgainstTheSourceTree() throws {
        let root = Scratch.directory()
        let builder = LessonBuilder(lessonsDirectory: Scratch.repoLessons, run: FakeRun(), figures: FakeFigures(), sourceRoot: root)
        #expect(throws: UserError.self) { try builder.loadConfig() }
    }
}

@Suite struct ContextTests {
    @Test func recordsOnlyRealMisses() throws {
        struct Item { var name: String }
        let ctx: [String: Any] = ["a": ["b": "x"], "items": [Item(name: "n1"), Item(name: "n2")], "flag": true, "none": Optional<Item>.none as Any]
        let ok = try TemplateSet.renderString("{{a.b}}{{#items}}{{name}}{{/items}}{{#flag}}{{a.b}}{{/flag}}{{^none}}-{{/none}}", context: ctx, what: "t")
        #expect(ok == "xn1n2x-")
        #expect(throws: UserError("t: uses {{a.c}}, which the run does not provide")) {
            try TemplateSet.renderString("{{a.c}}", context: ctx, what: "t")
        }
    }

    @Test func markdownIsNotHTMLEscaped() throws {
        let text = try TemplateSet.renderString("{{x}}", context: ["x": "<|endoftext|> & \"q\""], what: "t")
        #expect(text == "<|endoftext|> & \"q\"")
    }

    @Test func formatCodeIsTableSafe() {
        #expect(Format.code("a|b") == "`a\\|b`")
        #expect(Format.code("x`y") == "``x`y``")
        #expect(Format.fixed(-0.5, 2) == "−0.50")
    }
}
