import Foundation
import TinyGPT
import Figures

/// The whole `gptx lessons` build as one call: load the model and its training record, compute
/// the run, draw the figures, write `output/`. The command line and the benchmark both use it.
///
///     try LessonPipeline(lessons: URL(fileURLWithPath: "lessons"), model: URL(fileURLWithPath: "lessons/model"))
///         .build(languages: [.zh, .en], output: URL(fileURLWithPath: "output"))
public struct LessonPipeline {
    /// Folder with `lessons.json`, `templates/` and `train-config.json` (the training config used
    /// when the model folder has none of its own).
    public var lessons: URL
    /// Folder with `model.safetensors`, `tokenizer.json`, `train-log.jsonl`, `train-config.json`
    /// (what `gptx train` trained it with: its corpus, split and counts are the lessons'), `experiments/`.
    public var model: URL
    /// PNG pixels per point (2 for print quality).
    public var pngScale: Double
    /// Check every quoted file/function against this source tree (the package root); nil skips the check.
    public var sourceRoot: URL?

    /// A pipeline; `sourceRoot` defaults to the folder above `lessons` when it holds `Sources/`.
    public init(lessons: URL, model: URL, pngScale: Double = 2, sourceRoot: URL? = nil) {
        self.lessons = lessons
        self.model = model
        self.pngScale = pngScale
        let root = lessons.standardizedFileURL.deletingLastPathComponent()
        self.sourceRoot = sourceRoot ?? (FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources").path) ? root : nil)
    }

    /// Loads everything the build reads and returns the builder.
    public func builder() throws(UserError) -> LessonBuilder {
        let bundle = try ModelBundle.load(directory: model)
        let config = TrainConfig.file(forModel: model, fallback: lessons.appendingPathComponent("train-config.json"))
        let run = try EngineRun.load(bundle: bundle, trainConfig: config)
        let figures = StageFigureSource(run: run, pngScale: pngScale)
        return LessonBuilder(lessonsDirectory: lessons, run: run, figures: figures, sourceRoot: sourceRoot)
    }

    /// Builds every chapter of `languages` and the walkthroughs into `output`.
    @discardableResult
    public func build(languages: [Language], output: URL) throws(UserError) -> BuildReport {
        try builder().build(languages: languages, outputDirectory: output)
    }

    /// Builds one walkthrough for another prompt into `output/walkthroughs/<name>/`.
    public func buildWalkthrough(name: String, prompt: String, languages: [Language], output: URL) throws(UserError) {
        try builder().buildWalkthrough(name: name, prompt: prompt, languages: languages, outputDirectory: output)
    }
}
