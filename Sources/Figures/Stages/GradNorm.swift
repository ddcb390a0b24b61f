import TinyGPT

// Draws the global gradient norm `AdamW.update` (Sources/TinyGPT/Training/AdamW.swift) measured
// before clipping, and the threshold above which it scaled the gradients down.

extension StageFigures {
    /// Gradient norm per step on a log axis with the clip threshold; `inferred` says the threshold
    /// was read off the log's clipped flags rather than the training config.
    static func gradNorm(log: [TrainLogEntry], clip: Double, inferred: Bool, theme: Theme, words: Words) -> StageFigure {
        let clipped = log.filter(\.clipped).count
        let firstUnclipped = log.first { !$0.clipped }?.step
        let label = words("裁剪阈值 \(NumberFormat.short(clip, digits: 3))" + (inferred ? "（由日志推断）" : ""),
                          "clip threshold \(NumberFormat.short(clip, digits: 3))" + (inferred ? " (inferred from the log)" : ""))
        let chart = LineChart(series: [LineSeries(name: "", x: log.map { Double($0.step) }, y: log.map { Double($0.gradNorm) })],
                              xTitle: words("训练步", "training step"), yTitle: words("梯度范数 ‖g‖（对数轴）", "gradient norm ‖g‖ (log axis)"),
                              yScale: .log, thresholds: [.init(value: clip, label: label)])
        let page = Page(theme: theme, title: words("梯度范数与裁剪", "Gradient norm and clipping"),
                        subtitle: words("\(log.count) 步中有 \(clipped) 步超过阈值、被缩放到 ‖g‖ = \(NumberFormat.short(clip, digits: 3))",
                                        "\(clipped) of \(log.count) steps exceeded the threshold and were scaled down to ‖g‖ = \(NumberFormat.short(clip, digits: 3))"))
        let caption = words(
            "全局梯度范数在 \(log.count) 步中有 \(clipped) 步超过 \(NumberFormat.short(clip, digits: 3)) 而被裁剪" + (firstUnclipped.map { "；第一次未被裁剪的是第 \($0) 步" } ?? "") + "。",
            "The global gradient norm exceeded \(NumberFormat.short(clip, digits: 3)) and was clipped on \(clipped) of \(log.count) steps" + (firstUnclipped.map { "; the first unclipped step was step \($0)" } ?? "") + ".")
        let alt = words("对数坐标折线图：梯度范数随训练步变化，虚线是裁剪阈值", "Log-scale line chart of the gradient norm per step, a dashed line at the clip threshold")
        return StageFigure(.gradNorm, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }

    /// The clip threshold the log implies: every clipped step's norm is above it and every other
    /// step's at or below it; the roundest number in that gap.
    static func inferClip(_ log: [TrainLogEntry]) -> Double? {
        let lo = log.filter { !$0.clipped }.map { Double($0.gradNorm) }.max() ?? 0
        guard let hi = log.filter(\.clipped).map({ Double($0.gradNorm) }).min(), hi > lo else { return nil }
        for digits in 1...6 {
            let e = pow(10, floor(log10(hi)) - Double(digits - 1))
            let c = (hi / e).rounded(.down) * e
            if c >= lo && c < hi { return c }
        }
        return (lo + hi) / 2
    }
}

extension StageRenderer {
    func gradNormFigure() throws(UserError) -> StageFigure {
        let log = try trainLog()
        if let c = trainConfig?.gradClip, c > 0 {
            return StageFigures.gradNorm(log: log, clip: Double(c), inferred: false, theme: theme, words: words)
        }
        guard let c = StageFigures.inferClip(log) else {
            throw UserError("stage gradNorm: the training log has no clipped steps (or contradictory flags), so the clip threshold is unknown")
        }
        return StageFigures.gradNorm(log: log, clip: c, inferred: true, theme: theme, words: words)
    }
}

import Foundation
