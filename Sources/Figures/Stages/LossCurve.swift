import TinyGPT

// Draws the losses `Trainer.run` (Sources/TinyGPT/Training/Trainer.swift) logged to train-log.jsonl.

extension StageFigures {
    /// Training loss (moving average) and validation loss against step, with the uniform guess.
    static func lossCurve(log: [TrainLogEntry], smoothing: Int, vocabSize: Int, theme: Theme, words: Words) -> StageFigure {
        let steps = log.map { Double($0.step) }
        var smooth: [Double] = []
        var sum = 0.0
        for (i, e) in log.enumerated() {
            sum += Double(e.corpusLoss)
            if i >= smoothing { sum -= Double(log[i - smoothing].corpusLoss) }
            smooth.append(sum / Double(min(i + 1, smoothing)))
        }
        let val = log.filter { $0.valLoss != nil }
        // Batches that mixed in repeated random rows: the curve is the loss on their corpus rows.
        let mixed = log.contains { $0.textLoss != nil }
        let uniform = Foundation.log(Double(vocabSize))
        let chart = LineChart(series: [
            LineSeries(name: mixed ? words("训练损失，语料行（\(smoothing) 步滑动平均）", "training loss, corpus rows (\(smoothing)-step moving average)")
                                   : words("训练损失（\(smoothing) 步滑动平均）", "training loss (\(smoothing)-step moving average)"), x: steps, y: smooth),
            LineSeries(name: words("验证损失", "validation loss"), x: val.map { Double($0.step) }, y: val.map { Double($0.valLoss!) }),
        ], xTitle: words("训练步", "training step"), yTitle: words("交叉熵（nats）", "cross-entropy (nats)"),
           thresholds: [.init(value: uniform, label: words("均匀猜测 ln \(vocabSize) = \(Num.fixed(uniform, 3))", "uniform guess ln \(vocabSize) = \(Num.fixed(uniform, 3))"))])
        // The first and last step's own losses (the lesson prints the same); the line is smoothed.
        let first = Double(log.first!.corpusLoss), last = Double(log.last!.corpusLoss), lastVal = val.last.map { Double($0.valLoss!) }
        let page = Page(theme: theme, title: words("训练曲线：损失", "Training curve: loss"),
                        subtitle: words("\(log.count) 步；\(mixed ? "语料行上的" : "")训练损失 \(Num.fixed(first, 3)) → \(Num.fixed(last, 3))（第一步与最后一步）" + (lastVal.map { "，验证损失 \(Num.fixed($0, 3))" } ?? ""),
                                        "\(log.count) steps; training loss\(mixed ? " on the corpus rows" : "") \(Num.fixed(first, 3)) → \(Num.fixed(last, 3)) (first and last step)" + (lastVal.map { ", validation loss \(Num.fixed($0, 3))" } ?? "")))
        let caption = words(
            (mixed ? "语料行上的" : "") + "训练损失从 \(Num.fixed(first, 3)) 降到 \(Num.fixed(last, 3))（\(log.count) 步）" + (lastVal.map { "，最后的验证损失是 \(Num.fixed($0, 3))" } ?? "") + "；均匀猜测的损失是 \(Num.fixed(uniform))。",
            (mixed ? "On the corpus rows, training loss falls from" : "Training loss falls from") + " \(Num.fixed(first, 3)) to \(Num.fixed(last, 3)) over \(log.count) steps" + (lastVal.map { "; the final validation loss is \(Num.fixed($0, 3))" } ?? "") + "; guessing uniformly would cost \(Num.fixed(uniform)).")
        let alt = words("折线图：训练损失和验证损失随训练步下降", "Line chart: training and validation loss falling with the training step")
        return StageFigure(.lossCurve, page: page, caption: caption, alt: alt, items: chart.draw(in: page.body, theme: theme))
    }
}

extension StageRenderer {
    /// The shipped training log, or an error naming the file.
    func trainLog() throws(UserError) -> [TrainLogEntry] {
        guard !bundle.trainLog.isEmpty else {
            throw UserError("\(bundle.directory.appendingPathComponent("train-log.jsonl").path) is missing or empty: the training curves need the log `gptx train` writes")
        }
        return bundle.trainLog
    }

    func lossCurveFigure(_ p: StageParameters) throws(UserError) -> StageFigure {
        let s = try p.int("smoothing", default: 20, in: 1...1000)
        return StageFigures.lossCurve(log: try trainLog(), smoothing: s, vocabSize: config.vocabSize, theme: theme, words: words)
    }
}

import Foundation
