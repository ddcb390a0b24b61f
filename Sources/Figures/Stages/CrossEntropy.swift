import TinyGPT

// Draws the loss `crossEntropyForward` (Sources/Kernels/CrossEntropy.swift) computes at
// every position of a window: −ln P(target), and their mean, the training loss.

extension StageFigures {
    /// −ln P(target) per position as bars, the mean and the uniform guess as lines.
    static func crossEntropy(inputs: [String], targets: [String], losses: [Double], vocabSize: Int, theme: Theme, words: Words) -> StageFigure {
        let mean = losses.reduce(0, +) / Double(max(1, losses.count))
        let uniform = log(Double(vocabSize))
        let page = Page(theme: theme, title: words("每个位置的交叉熵", "Cross-entropy at every position"),
                        subtitle: words("一个窗口的 \(losses.count) 个位置；损失 = −ln P(目标)；这个窗口的平均为 \(Num.fixed(mean, 3))",
                                        "one window of \(losses.count) positions; loss = −ln P(target); this window's mean is \(Num.fixed(mean, 3))"))
        let labels = zip(inputs, targets).map { "\($0)→\($1)" }
        let chart = BarChart(labels: labels, values: losses, highlighted: losses.indices.max { losses[$0] < losses[$1] },
                             valueTitle: words("−ln P(目标)（nats）", "−ln P(target) (nats)"), categoryTitle: words("输入 → 目标", "input → target"),
                             references: [.init(value: mean, label: words("平均 \(Num.fixed(mean, 3))", "mean \(Num.fixed(mean, 3))")),
                                          .init(value: uniform, label: words("均匀猜测 \(Num.fixed(uniform))", "uniform guess \(Num.fixed(uniform))"))])
        let worst = losses.indices.max { losses[$0] < losses[$1] }!
        let caption = words(
            "平均交叉熵 \(Num.fixed(mean, 3))（均匀猜测是 \(Num.fixed(uniform))）；最难的是从「\(inputs[worst])」预测「\(targets[worst])」，损失 \(Num.fixed(losses[worst], 3))。",
            "Mean cross-entropy \(Num.fixed(mean, 3)) (a uniform guess costs \(Num.fixed(uniform))); the hardest is predicting \"\(targets[worst])\" after \"\(inputs[worst])\", loss \(Num.fixed(losses[worst], 3)).")
        let alt = words("条形图：每个位置的损失，虚线是平均值和均匀猜测", "Bar chart of the loss at each position, dashed lines at the mean and the uniform guess")
        return StageFigure(.crossEntropy, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func crossEntropyFigure(_ request: StageRequest) throws(UserError) -> StageFigure {
        let w = try window(request, stage: .crossEntropy)
        let names = labels(w)
        let losses = targetProbabilities(w).map { -log(max($0, 1e-30)) }
        return StageFigures.crossEntropy(inputs: Array(names.dropLast()), targets: Array(names.dropFirst()), losses: losses,
                                         vocabSize: config.vocabSize, theme: theme, words: words)
    }
}

import Foundation
