import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TinyGPT
import Figures
@testable import Lessons

/// `gptx lessons --walkthrough NAME --prompt TEXT` with the real figure source.
@Suite struct WalkthroughBuildTests {
    func build(_ name: String, prompt: String) throws -> URL {
        let out = Scratch.directory().appendingPathComponent("output")
        try LessonBuilder(lessonsDirectory: Real.lessons, run: Real.run, figures: StageFigureSource(run: Real.run, pngScale: 0.5))
            .buildWalkthrough(name: name, prompt: prompt, languages: [.zh, .en], outputDirectory: out)
        return out.appendingPathComponent("walkthroughs/\(name)")
    }

    /// One frame per query row (the config's `frames` only caps it), for prompts shorter than the cap.
    @Test(arguments: ["我", "我爱机器学习"])
    func maskedAttentionHasOneFramePerRow(prompt: String) throws {
        let n = try Real.bundle.promptIDs(prompt).count
        let dir = try build("masked-attention", prompt: prompt)
        let readme = try String(contentsOf: dir.appendingPathComponent("README.en.md"), encoding: .utf8)
        #expect(readme.components(separatedBy: "\n## ").count - 1 == n)
        #expect(readme.contains("## \(n) / \(n)\n") && !readme.contains("## \(n + 1) /"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }.sorted()
        // Each language's frames carry their own labels: 001.png (zh), 001.en.png (en).
        #expect(files == (1...n).flatMap { [String(format: "%03d.en.png", $0), String(format: "%03d.png", $0)] })
        #expect(readme.contains("](001.en.png)") && !readme.contains("](001.png)"))
    }

    /// A prompt that looks like HTML: the READMEs escape it (no raw tag for a markdown renderer), every
    /// SVG parses as XML.
    @Test(arguments: ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"])
    func hostilePromptIsTextInReadmesAndSVG(prompt: String) throws {
        var escaped = 0
        for name in ["token-trip", "masked-attention"] {
            let dir = try build(name, prompt: prompt)
            for readme in ["README.md", "README.en.md"] {
                let text = try String(contentsOf: dir.appendingPathComponent(readme), encoding: .utf8)
                let body = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
                escaped += body.components(separatedBy: "\\<").count - 1
                // Every `<` is backslash-escaped, so CommonMark reads it as a literal character.
                for (i, c) in body.enumerated() where c == "<" {
                    #expect(i > 0 && Array(body)[i - 1] == "\\", "\(name)/\(readme): unescaped '<'")
                }
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".svg") {
                let parser = XMLParser(data: try Data(contentsOf: dir.appendingPathComponent(file)))
                #expect(parser.parse(), "\(name)/\(file) does not parse")
            }
        }
        #expect(escaped > 0, "no caption carried the prompt's '<' (the test would prove nothing)")
    }

    @Test func markdownEscapesMarkup() {
        #expect(Markdown.caption("a <img src=x> & b") == #"a \<img src=x\> \& b"#)
        #expect(Markdown.alt("[x] <b>") == #"\[x\] \<b\>"#)
        #expect(Markdown.text("- *a* `c` $d$ 1.") == #"\- \*a\* \`c\` \$d\$ 1."#)
        #expect(Markdown.text("12. x") == #"12\. x"#)
    }
}
