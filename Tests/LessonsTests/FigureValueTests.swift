import Foundation
import Testing
import TinyGPT
import Figures
@testable import Lessons

/// Issue 11, "one value, one place", for every chapter at once: each number a figure's caption
/// prints (a `{{chN.…}}` value of the run) is drawn in that figure, as a label, a title or a
/// heading, so the caption never describes numbers its figure does not show.
@Suite(.serialized) struct FigureValueTests {
    /// The `{{chN.key}}` values a caption template prints (not its sections).
    static func printedKeys(_ template: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\{\{\{?(ch[0-9]+\.[A-Za-z0-9_.\[\]]+)\}?\}\}"#)
        let range = NSRange(template.startIndex..., in: template)
        return pattern.matches(in: template, range: range).map { String(template[Range($0.range(at: 1), in: template)!]) }
    }

    /// The numbers a printed value holds: `0.942` → [0.942], `−2.158` → [−2.158], `4:3:2:1` → 4 numbers.
    static func numbers(_ text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"[−-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?([eE][−+-]?[0-9]+)?%?"#)
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) }
    }

    /// A number's value and half its last digit's unit: `84.0%` → (0.84, 0.0005), `1,234` → (1234, 0.5).
    static func value(_ number: String) -> (value: Double, halfUnit: Double)? {
        var t = number.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: "")
        let percent = t.hasSuffix("%")
        if percent { t.removeLast() }
        guard let v = Double(t) else { return nil }
        let mantissa = t.split(whereSeparator: { $0 == "e" || $0 == "E" })[0]
        let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
        let exponent = t.lowercased().split(separator: "e").dropFirst().first.flatMap { Double($0) } ?? 0
        let scale = percent ? 0.01 : 1
        return (v * scale, 0.5 * pow(10, -Double(decimals) + exponent) * scale)
    }

    /// The same value at the coarser of the two precisions (`0.840` and `84.0%`, `1.0` and `1`, `6.941` and `6.94`).
    static func same(_ a: String, _ b: String) -> Bool {
        guard let x = value(a), let y = value(b) else { return false }
        // Within one digit of each other's precision: an axis tick `0.4` does not stand for `0.397`.
        guard max(x.halfUnit, y.halfUnit) <= 10 * min(x.halfUnit, y.halfUnit) * (1 + 1e-9) else { return false }
        return abs(x.value - y.value) <= max(x.halfUnit, y.halfUnit) * (1 + 1e-9)
    }

    @Test func printedKeysAndNumbersAreFound() {
        #expect(Self.same("0.840", "84.0%") && Self.same("1.0", "1") && Self.same("6.941", "6.94") && Self.same("2.60e-05", "0.000026"))
        #expect(!Self.same("0.397", "0.480") && Self.same("0.94", "0.942") && !Self.same("4", "3") && !Self.same("0.397", "0.4"))
        #expect(Self.printedKeys("a {{ch7.beam.logProb}} b {{#ch7.x}}{{ch7.y.z}}{{/ch7.x}} {{{ch1.w}}}") == ["ch7.beam.logProb", "ch7.y.z", "ch1.w"])
        #expect(Self.numbers("`−2.158` and 4:3:2:1, 1,234 or 73.3% or 2.60e-05") == ["−2.158", "4", "3", "2", "1", "1,234", "73.3%", "2.60e-05"])
    }

    /// Caption numbers a figure shows as a count of what it draws, not as text.
    static let counted: [String: String] = [
        "ch2.snapshots.size": "one line per continuation",
        "ch3.mlp.shown": "one card per neuron",
        "ch4.next.k": "one bar per token",
        "ch4.corpus.ratio": "the dashed outlines' heights (TrustTests.chapter4CorpusSplitIsCountedAndIsWhatTheFigureDraws)",
    ]

    @Test func everyNumberACaptionPrintsIsDrawnInItsFigure() throws {
        var problems: [String] = [], checked = 0
        for chapter in TrustTests.config.chapters {
            for f in chapter.figures {
                var wanted: [(key: String, number: String)] = []
                for key in Self.printedKeys(f.caption["en"] ?? "") where Self.counted[key] == nil {
                    guard let printed = Real.report.text(key, chapter: chapter.number, language: .en) else { continue }
                    wanted += Self.numbers(printed).map { (key, $0) }
                }
                guard !wanted.isEmpty else { continue }
                let figure = try TeachLessonTests.figure(chapter.number, f.id)
                let drawn = TeachLessonTests.labels(figure)
                for (key, number) in wanted {
                    checked += 1
                    // A label that holds the same value, each at its own precision.
                    let found = drawn.contains { label in Self.numbers(label).contains { Self.same($0, number) } }
                    if !found { problems.append("chapter \(chapter.number) figure \(f.id): \(key) = \(number) is not drawn") }
                }
            }
        }
        #expect(checked > 30, "only \(checked) numbers checked")
        #expect(problems.isEmpty, "\(problems.count) caption numbers not in their figures:\n\(problems.joined(separator: "\n"))")
    }

    /// Figures are numbered in the order a lesson shows them: 1, 2, 3 … down every page, in both
    /// languages (chapter 6 lists its induction figure before the concatenation one in lessons.json).
    @Test func figuresAreNumberedInTheOrderTheyAppear() throws {
        #expect(LessonBuilder.appearanceNumbers(of: ["b", "a", "z"], in: "a … b") == [2, 1, 3])
        let label = try NSRegularExpression(pattern: #"\*\*(?:Figure|图) ([0-9]+)\.([0-9]+)\*\*"#)
        for language in [Language.zh, .en] {
            for chapter in 1...14 {
                let text = Real.lesson(chapter, language)
                let found = label.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
                    (Int(text[Range(m.range(at: 1), in: text)!])!, Int(text[Range(m.range(at: 2), in: text)!])!)
                }
                #expect(found.allSatisfy { $0.0 == chapter }, "chapter \(chapter) \(language): \(found)")
                #expect(found.map(\.1) == (0..<found.count).map { $0 + 1 }, "chapter \(chapter) \(language): figures numbered \(found.map(\.1))")
            }
        }
    }
}
