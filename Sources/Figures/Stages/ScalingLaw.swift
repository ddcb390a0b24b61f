import TinyGPT

// Draws `lessons/model/experiments/scaling.json` (`ScalingResult`,
// Sources/TinyGPT/Experiments/ExperimentResults.swift): validation loss against parameters.

extension StageFigures {
    /// Loss against parameter count on log-log axes, with the fitted power law.
    static func scalingLaw(_ result: ScalingResult, theme: Theme, words: Words) -> StageFigure {
        let pts = result.points.sorted { $0.parameters < $1.parameters }
        let xs = pts.map { Double($0.parameters) }
        let fit = xs.map { pow(10, result.intercept + result.slope * log10($0)) }
        let chart = LineChart(series: [
            LineSeries(name: words("验证损失（每个模型一点）", "validation loss (one point per model)"), x: xs, y: pts.map { Double($0.valLoss) }),
            LineSeries(name: words("幂律拟合 L ∝ N^\(Num.fixed(result.slope, 3))", "power-law fit L ∝ N^\(Num.fixed(result.slope, 3))"), x: xs, y: fit),
        ], xTitle: words("参数量 N（对数轴）", "parameters N (log axis)"), yTitle: words("验证损失 L（对数轴）", "validation loss L (log axis)"),
           xScale: .log, yScale: .log)
        let page = Page(theme: theme, title: words("迷你规模化定律", "A mini scaling law"),
                        subtitle: words("\(pts.count) 个尺寸，同样的语料、步数和种子；log10 L = \(Num.fixed(result.intercept, 3)) + (\(Num.fixed(result.slope, 3))) · log10 N",
                                        "\(pts.count) sizes, same corpus, steps and seed; log10 L = \(Num.fixed(result.intercept, 3)) + (\(Num.fixed(result.slope, 3))) · log10 N"))
        let caption = words(
            "参数从 \(Num.grouped(pts.first!.parameters)) 增加到 \(Num.grouped(pts.last!.parameters))，验证损失从 \(Num.fixed(Double(pts.first!.valLoss), 3)) 降到 \(Num.fixed(Double(pts.last!.valLoss), 3))；拟合的斜率是 \(Num.fixed(result.slope, 3))。",
            "From \(Num.grouped(pts.first!.parameters)) to \(Num.grouped(pts.last!.parameters)) parameters the validation loss goes from \(Num.fixed(Double(pts.first!.valLoss), 3)) to \(Num.fixed(Double(pts.last!.valLoss), 3)); the fitted slope is \(Num.fixed(result.slope, 3)).")
        let alt = words("双对数图：损失随参数量下降，", "Log-log plot of loss against parameters: ")
            + pts.map { "\(Num.grouped($0.parameters)) → \(Num.fixed(Double($0.valLoss), 3))" }.joined(separator: words("，", ", "))
        return StageFigure(.scalingLaw, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func scalingLawFigure() throws(UserError) -> StageFigure {
        guard let s = experiments.scaling, s.points.count >= 2 else {
            throw Missing.experiment("scaling.json", model: bundle.directory, command: "gptx experiment scaling")
        }
        return StageFigures.scalingLaw(s, theme: theme, words: words)
    }
}

import Foundation
