import Foundation
import Testing
@testable import Figures

/// Rendered kit figures compared with committed reference PNGs in `Golden/`.
///
/// To regenerate after an intended visual change, run
/// `GPTX_UPDATE_GOLDENS=1 swift test --filter FiguresTests.GoldenTests`, look at every PNG in
/// `Tests/FiguresTests/Golden/`, and commit them.
@Suite struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")
    static let names = ["heatmap", "bar-chart", "line-chart", "token-strip", "block-diagram", "beam-tree",
                        "scatter", "small-multiples"]

    @Test(arguments: names)
    func matchesGolden(name: String) throws {
        let drawing = try #require(Fixtures.named(name))
        let png = try drawing.png(scale: 1)
        let url = Self.directory.appendingPathComponent("\(name).png")
        if ProcessInfo.processInfo.environment["GPTX_UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try png.write(to: url)
            return
        }
        let expected = try Bitmap(png: Data(contentsOf: url))
        let actual = try Bitmap(png: png)
        #expect(actual.width == expected.width && actual.height == expected.height)
        guard actual.width == expected.width, actual.height == expected.height else { return }
        let differing = Self.differingPixels(actual, expected, channelTolerance: 24)
        // Anti-aliasing may move by a level across cairo/pixman builds; shapes may not.
        #expect(Double(differing) <= 0.002 * Double(actual.pixels.count),
                "\(name): \(differing) of \(actual.pixels.count) pixels differ from Golden/\(name).png")
    }

    /// A changed figure must be caught: the comparison itself is tested on a one-bar change.
    @Test func detectsChangedFigure() throws {
        var changed = Fixtures.barChart()
        changed.items.append(.rect(Rect(x: 100, y: 100, width: 30, height: 30), fill: .black))
        let a = try Bitmap(png: Fixtures.barChart().png()), b = try Bitmap(png: changed.png())
        #expect(Self.differingPixels(a, b, channelTolerance: 24) > Int(0.002 * Double(a.pixels.count)))
    }

    static func differingPixels(_ a: Bitmap, _ b: Bitmap, channelTolerance: UInt32) -> Int {
        var n = 0
        for (p, q) in zip(a.pixels, b.pixels) where p != q {
            for shift in stride(from: 0, to: 32, by: 8) {
                let x = (p >> UInt32(shift)) & 0xFF, y = (q >> UInt32(shift)) & 0xFF
                if (x > y ? x - y : y - x) > channelTolerance { n += 1; break }
            }
        }
        return n
    }
}
