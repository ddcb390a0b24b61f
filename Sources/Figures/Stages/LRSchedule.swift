import TinyGPT

// Draws the learning rate `LearningRateSchedule.rate(at:)` (Sources/TinyGPT/Training/
// LearningRateSchedule.swift) gave each step, as logged.

extension StageFigures {
    /// The logged learning rate per step: linear warm-up, then cosine decay.
    static func lrSchedule(log: [TrainLogEntry], theme: Theme, words: Words) -> StageFigure {
        let lr = log.map { Double($0.learningRate) }
        let peakIndex = lr.indices.max { lr[$0] < lr[$1] }!
        let peak = lr[peakIndex], final = lr.last!, warm = log[peakIndex].step
        let chart = LineChart(series: [LineSeries(name: "", x: log.map { Double($0.step) }, y: lr)],
                              xTitle: words("训练步", "training step"), yTitle: words("学习率", "learning rate"),
                              thresholds: [.init(value: peak, label: words("峰值 \(NumberFormat.short(peak, digits: 3))（第 \(warm) 步）", "peak \(NumberFormat.short(peak, digits: 3)) (step \(warm))")),
                                           .init(value: final, label: words("最终 \(NumberFormat.short(final, digits: 3))", "final \(NumberFormat.short(final, digits: 3))"))])
        let page = Page(theme: theme, title: words("学习率：预热 + 余弦衰减", "Learning rate: warm-up, then cosine decay"),
                        subtitle: words("前 \(warm) 步线性升到 \(NumberFormat.short(peak, digits: 3))，之后按余弦降到 \(NumberFormat.short(final, digits: 3))（共 \(log.count) 步，取自训练日志）",
                                        "linear to \(NumberFormat.short(peak, digits: 3)) over \(warm) steps, then cosine down to \(NumberFormat.short(final, digits: 3)) (\(log.count) steps, from the training log)"))
        let caption = words("学习率在前 \(warm) 步从接近 0 线性升到 \(NumberFormat.short(peak, digits: 3))，然后沿余弦曲线降到 \(NumberFormat.short(final, digits: 3))。",
                            "The learning rate rises linearly from near 0 to \(NumberFormat.short(peak, digits: 3)) over \(warm) steps, then follows a cosine down to \(NumberFormat.short(final, digits: 3)).")
        let alt = words("折线图：学习率先上升后按余弦下降", "Line chart: the learning rate rises, then decays along a cosine")
        return StageFigure(.lrSchedule, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    func lrScheduleFigure() throws(UserError) -> StageFigure {
        StageFigures.lrSchedule(log: try trainLog(), theme: theme, words: words)
    }
}
