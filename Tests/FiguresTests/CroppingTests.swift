import Testing
import TinyGPT
@testable import Figures

/// The mask matrix and the three-panel attention figure are drawn on a canvas sized to their
/// content: a short prompt gives a small canvas that its content fills, not small cells in a slide.
@Suite struct CroppingTests {
    static let prompts = ["我", "我爱", Shipped.typical, Shipped.fullContext]

    @Test(arguments: prompts)
    func contentFillsTheCanvas(prompt: String) throws {
        let n = try Shipped.bundle.promptIDs(prompt).count
        for stage in [FigureStage.maskMatrix, .attentionScores] {
            let d = try Shipped.renderer().render(StageRequest(stage: stage, prompt: prompt))[0].drawing
            let b = try #require(Page.bounds(of: d.items))
            let m = Theme.light.margin
            #expect(d.bounds.contains(b, tolerance: 0.5), "\(stage): content outside the canvas")
            // Nothing but the margin to the right of and below the content (or the title, if wider).
            let titleRight = d.labelBounds().map(\.bounds.maxX).max()!
            #expect(d.size.width <= max(480, max(b.maxX, titleRight) + m) + 1, "\(stage) \(n) tokens: width \(d.size.width), content to \(b.maxX)")
            #expect(d.size.height <= b.maxY + m + 1, "\(stage) \(n) tokens: height \(d.size.height), content to \(b.maxY)")
            if n <= 6 { #expect(d.size.width < Size.slide16x9.width && d.size.height < Size.slide16x9.height, "\(stage) \(n) tokens: \(d.size)") }
        }
    }

    /// The crop moves the content, it does not shrink it: a 4-token mask keeps MaskGrid's largest cell.
    @Test func croppingKeepsCellSize() throws {
        let d = try Shipped.renderer().render(StageRequest(stage: .maskMatrix, prompt: Shipped.typical))[0].drawing
        let n = try Shipped.bundle.promptIDs(Shipped.typical).count
        var cells: [Rect] = []
        func walk(_ items: [Primitive]) {
            for item in items {
                if case .rect(let r, _, _, _) = item, abs(r.width - r.height) < 0.01, r.width > 10 { cells.append(r) }
                if case .group(let g) = item { walk(g.items) }
            }
        }
        walk(d.items)
        #expect(cells.count >= n * n)
        #expect(Set(cells.map { Int($0.width.rounded()) }) == [Int(MaskGrid(allowed: [[true]]).maximumCellSize)])
    }
}
