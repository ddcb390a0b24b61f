import Foundation

/// One line of `train-log.jsonl`: what a step did. Lessons plot these.
public struct TrainLogEntry: Equatable, Sendable {
    public var step: Int
    public var trainLoss: Float
    /// Mean loss over the fixed validation batches, on the steps where it was measured.
    public var valLoss: Float?
    public var learningRate: Float
    /// Global gradient norm before clipping.
    public var gradNorm: Float
    public var clipped: Bool
    /// When the batch mixed in `repeat_fraction` rows of repeated random tokens: the mean loss over
    /// its corpus rows alone (`trainLoss` is over every row, what the optimizer minimised). Else nil.
    public var textLoss: Float?

    /// The loss on corpus text: `textLoss` when the batch mixed in repeated rows, else `trainLoss`.
    /// What the loss curve, chapter 2 and the model card report as the training loss.
    public var corpusLoss: Float { textLoss ?? trainLoss }

    public init(step: Int, trainLoss: Float, valLoss: Float?, learningRate: Float, gradNorm: Float, clipped: Bool, textLoss: Float? = nil) {
        self.textLoss = textLoss
        self.step = step
        self.trainLoss = trainLoss
        self.valLoss = valLoss
        self.learningRate = learningRate
        self.gradNorm = gradNorm
        self.clipped = clipped
    }

    /// `{"step":1,"train_loss":6.93,"val_loss":6.9,"lr":3e-05,"grad_norm":1.2,"clipped":true}`
    /// (val_loss only where measured, text_loss only for mixed batches; floats as their shortest round-trip text).
    public var jsonLine: String {
        var s = "{\"step\":\(step),\"train_loss\":\(trainLoss)"
        if let textLoss { s += ",\"text_loss\":\(textLoss)" }
        if let valLoss { s += ",\"val_loss\":\(valLoss)" }
        s += ",\"lr\":\(learningRate),\"grad_norm\":\(gradNorm),\"clipped\":\(clipped)}"
        return s
    }
}

public enum TrainLog {
    public static func encode(_ entries: [TrainLogEntry]) -> Data {
        Data(entries.map { $0.jsonLine + "\n" }.joined().utf8)
    }

    /// Reads a `train-log.jsonl`; a malformed line is an error naming the file and line.
    public static func load(from url: URL) throws(UserError) -> [TrainLogEntry] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw UserError("\(url.path): training log is missing or unreadable")
        }
        var entries: [TrainLogEntry] = []
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = obj["step"] as? Int, let loss = (obj["train_loss"] as? NSNumber)?.floatValue,
                  let lr = (obj["lr"] as? NSNumber)?.floatValue, let norm = (obj["grad_norm"] as? NSNumber)?.floatValue,
                  let clipped = obj["clipped"] as? Bool else {
                throw UserError("\(url.path): line \(i + 1) is not a training-log entry (step, train_loss, lr, grad_norm, clipped)")
            }
            entries.append(TrainLogEntry(step: step, trainLoss: loss, valLoss: (obj["val_loss"] as? NSNumber)?.floatValue,
                                         learningRate: lr, gradNorm: norm, clipped: clipped,
                                         textLoss: (obj["text_loss"] as? NSNumber)?.floatValue))
        }
        return entries
    }
}
