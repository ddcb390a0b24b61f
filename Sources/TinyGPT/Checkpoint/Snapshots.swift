import Foundation

/// Copies of the weights taken while the model trained (`train-config.json`'s `snapshot_steps`),
/// kept beside it as `snapshots/step-00050.safetensors`: ordinary checkpoints of the same model,
/// so any of them loads and runs like the model itself. The last step is the model.
///
///     let steps = try Snapshots.list(model: dir)                 // [0, 50, 150, 400, 1000]
///     let early = try Snapshots.load(step: 50, model: dir, like: bundle.model.config)
public enum Snapshots {
    static func folder(_ model: URL) -> URL { model.appendingPathComponent("snapshots") }

    /// `step-00050.safetensors`.
    public static func fileName(step: Int) -> String { String(format: "step-%05d.safetensors", step) }

    /// Writes one checkpoint per snapshot (atomically) and removes snapshot files of other steps
    /// left by an earlier run, so the folder holds exactly this run's. No snapshots: no folder.
    static func write(_ snapshots: [(step: Int, parameters: [Float])], config: GPTConfig, model: URL) throws(UserError) {
        let dir = folder(model)
        let fm = FileManager.default
        let keep = Set(snapshots.map { fileName(step: $0.step) })
        if let old = try? fm.contentsOfDirectory(atPath: dir.path) {
            for name in old where name.hasPrefix("step-") && name.hasSuffix(".safetensors") && !keep.contains(name) {
                try? fm.removeItem(at: dir.appendingPathComponent(name))
            }
        }
        guard !snapshots.isEmpty else { return }
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw UserError("\(dir.path): cannot create the snapshots folder")
        }
        for s in snapshots {
            try Checkpoint.save(config: config, parameters: s.parameters, to: dir.appendingPathComponent(fileName(step: s.step)))
        }
    }

    /// The snapshot steps present beside the model, ascending (empty when there is no folder).
    public static func list(model: URL) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder(model).path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"), name.count == fileName(step: 0).count else { return nil }
            return Int(name.dropFirst(5).dropLast(12))
        }.sorted()
    }

    /// One snapshot as a model; it must have the model's own shape (else a one-line error naming the file).
    public static func load(step: Int, model: URL, like config: GPTConfig) throws(UserError) -> GPT {
        let url = folder(model).appendingPathComponent(fileName(step: step))
        let (c, parameters) = try Checkpoint.load(from: url)
        guard c == config else {
            throw UserError("\(url.path): snapshot has a different shape than the model beside it (\(c.jsonString()) vs \(config.jsonString())): retrain with gptx train")
        }
        return GPT(config: c, parameters: parameters)
    }
}
