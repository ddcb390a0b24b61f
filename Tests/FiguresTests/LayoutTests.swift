import Foundation
import Testing
@testable import Figures

/// Labels never leave the canvas and never overlap.
@Suite struct LayoutTests {
    static func problems(_ d: Drawing) -> [String] {
        let labels = d.labelBounds()
        var out: [String] = []
        for (l, b) in labels where !d.bounds.contains(b) {
            out.append("outside: '\(l.text)' at \(b)")
        }
        for i in labels.indices {
            for j in labels.indices where j > i {
                let a = labels[i].bounds.insetBy(0.25), b = labels[j].bounds.insetBy(0.25)
                if a.intersects(b) { out.append("overlap: '\(labels[i].label.text)' and '\(labels[j].label.text)'") }
            }
        }
        return out
    }

    @Test(arguments: [1, 8, 64])
    func chineseHeatmapLabelsStayInsideAndApart(n: Int) {
        for size in [Size.slide16x9, Size(width: 320, height: 240)] {
            let d = Fixtures.chineseHeatmap(n, size: size)
            #expect(d.labelBounds().count >= min(n, 8), "labels missing for n = \(n)")
            let p = Self.problems(d)
            #expect(p.isEmpty, "\(n)×\(n) at \(size): \(p.prefix(5))")
        }
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func kitFiguresLabelsStayInsideAndApart(name: String) throws {
        for theme in [Theme.light, .print] {
            let p = Self.problems(try #require(Fixtures.named(name, theme: theme)))
            #expect(p.isEmpty, "\(name) (\(theme.name)): \(p.prefix(5))")
        }
    }

    /// A negative value hangs below the zero line, as long as its size says, and keeps its label.
    @Test func barChartDrawsNegativeValuesBelowZero() {
        let frame = Rect(x: 0, y: 0, width: 400, height: 300)
        let items = BarChart(labels: ["a", "b", "c"], values: [3, -1.5, 1]).draw(in: frame, theme: .light)
        let bars = items.compactMap { item -> Rect? in
            if case .rect(let r, let fill, nil, _) = item, fill != nil, r.width > 20 { return r }
            return nil
        }
        #expect(bars.count == 3)
        guard bars.count == 3 else { return }
        let zero = bars[0].maxY
        #expect(abs(bars[2].maxY - zero) < 1e-9, "positive bars stand on one line")
        #expect(abs(bars[1].minY - zero) < 1e-9, "the negative bar starts at that line")
        #expect(abs(bars[1].height / bars[0].height - 0.5) < 1e-9, "−1.5 is half as long as 3")
        let labels = items.compactMap { item -> Label? in if case .text(let l) = item { return l } else { return nil } }
        let minus = labels.first { $0.text == NumberFormat.short(-1.5, digits: 2) }
        #expect(minus != nil && minus!.position.y > bars[1].maxY, "the value is printed under the bar")
    }

    /// The checker itself must catch a label off the page.
    @Test func checkerCatchesOutsideAndOverlap() {
        var d = Drawing(size: Size(width: 100, height: 50), title: "", description: "")
        d.items = [.text(Label("这是一个很长的标签", at: Point(x: 90, y: 25), size: 12)),
                   .text(Label("A", at: Point(x: 10, y: 25), size: 12)),
                   .text(Label("B", at: Point(x: 12, y: 25), size: 12))]
        let p = Self.problems(d)
        #expect(p.contains { $0.hasPrefix("outside") })
        #expect(p.contains { $0.hasPrefix("overlap") })
    }

    @Test func rotatedLabelBoundsAreTall() {
        let flat = Label("attention", at: Point(x: 50, y: 50), size: 10).bounds
        let upright = Label("attention", at: Point(x: 50, y: 50), size: 10, rotation: -90).bounds
        #expect(abs(upright.height - flat.width) < 0.01)
        #expect(upright.maxY <= 50.01)  // −90° text runs upward from its anchor
    }

    /// A token strip's measured height is the height its drawing takes: given exactly that, it
    /// draws every token and its last row ends at the bottom (so a stage can size its panel to it).
    @Test(arguments: [200.0, 640.0, 1500.0])
    func tokenStripHeightIsWhatItDraws(width: Double) {
        let words = ["The", " cat", " sat", " on", " the", " mat", "。", "今天", "天气", "很好", "e", "e"]
        for (tokens, ids) in [(words, [Int]()), (words + words + words, Array(0..<36))] {
            let strip = TokenStrip(tokens: tokens, ids: ids)
            let h = strip.height(forWidth: width, theme: .light)
            let items = strip.draw(in: Rect(x: 10, y: 20, width: width, height: h), theme: .light)
            var boxes: [Rect] = []
            var bottom = 20.0
            for item in items {
                switch item {
                case .rect(let r, _, _, _): boxes.append(r); bottom = max(bottom, r.maxY)
                case .text(let l): if !ids.isEmpty && l.vertical == .top { bottom = max(bottom, l.bounds.maxY) }
                default: break
                }
            }
            #expect(boxes.count == tokens.count, "\(tokens.count) tokens, \(boxes.count) drawn at width \(width)")
            #expect(boxes.allSatisfy { $0.maxX <= 10 + width + 0.01 })
            #expect(ids.isEmpty ? abs(bottom - (20 + h)) < 0.01 : bottom <= 20 + h + 0.01 && bottom > 20 + h - 3)
            // One row less and the last token no longer fits.
            if h > 40 {
                let short = strip.draw(in: Rect(x: 10, y: 20, width: width, height: h - 1), theme: .light)
                #expect(short.filter { if case .rect = $0 { true } else { false } }.count < tokens.count)
            }
        }
    }
}
