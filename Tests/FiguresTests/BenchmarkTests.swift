import Foundation
import Testing
import Figures

/// Rendering speed of a 16×16 heatmap; runs only with `GPTX_BENCH=1`, e.g.
/// `GPTX_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter BenchmarkTests`.
@Suite struct BenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GPTX_BENCH"] == "1"))
    func heatmapFiguresPerSecond() throws {
        let labels = (0..<16).map { "tok\($0)" }
        let values = (0..<16).map { r in (0..<16).map { c in c > r ? -Double.infinity : Double(r - c) / 16 } }
        let fig = Heatmap(values: values, rowLabels: labels, columnLabels: labels)
        for (kind, render) in [("png", { (d: Drawing) in try d.png() }), ("svg", { try $0.svg() })] {
            let n = 40
            let start = Date()
            for i in 0..<n {
                // Lay out anew each time so measurement is part of the cost.
                _ = try render(fig.drawing(size: .halfSlide, theme: .light, title: "h\(i)", description: ""))
            }
            let rate = Double(n) / Date().timeIntervalSince(start)
            print("heatmap 16×16 \(kind): \(String(format: "%.1f", rate)) figures/s")
        }
    }
}
