import Foundation
import TinyGPT

/// The real run: every chapter's values computed from the shipped model, its training log and
/// config, and the experiment results beside it.
///
///     let bundle = try ModelBundle.load(directory: URL(fileURLWithPath: "lessons/model"))
///     let run = try EngineRun.load(bundle: bundle, trainConfig: URL(fileURLWithPath: "lessons/train-config.json"))
///     let values = try run.values(config: config)
///     values.ch4.next.top1.prob   // "0.6xx": P(top token | "我今天很"), from GPT.forward
///
/// Chapters 2 and 10 read `experiments/finetune.json` and `experiments/scaling.json`; when they
/// are missing (a teacher's freshly trained model), those sections say the experiment has not
/// been run for this model and give the command (`experimentCommands`).
public struct EngineRun: LessonRun, Sendable {
    /// The model, tokenizer and training log.
    public var bundle: ModelBundle
    /// Scaling and fine-tuning results (`<model>/experiments/`).
    public var experiments: ExperimentResults
    /// Training config and validation text.
    public var training: TrainingRecord
    /// How errors name the config (`lessons/lessons.json`).
    public var configName: String

    /// A run over loaded parts.
    public init(bundle: ModelBundle, experiments: ExperimentResults, training: TrainingRecord, configName: String = "lessons/lessons.json") {
        self.bundle = bundle
        self.experiments = experiments
        self.training = training
        self.configName = configName
    }

    /// Loads the experiments beside the model and the training record from `trainConfig`.
    public static func load(bundle: ModelBundle, trainConfig: URL) throws(UserError) -> EngineRun {
        EngineRun(bundle: bundle, experiments: try ExperimentResults.load(model: bundle.directory),
                  training: try TrainingRecord.load(configFile: trainConfig, bundle: bundle))
    }

    /// Model dimensions.
    public var facts: ModelFacts { ModelFacts(config: bundle.model.config, parameterCount: bundle.model.layout.count) }

    /// Tokens of a prompt (the tokenizer takes any text; emptiness and length are checked by the config).
    public func tokenCount(_ prompt: String) throws(UserError) -> Int { bundle.tokenizer.encode(prompt).count }

    var probe: ModelProbe { ModelProbe(bundle: bundle) }

    /// The commands that write this model's experiment results into `MODEL/experiments/`, as inline
    /// code, with the model folder as it was given (the scaling runs use the model's own training
    /// config when it has one).
    var experimentCommands: (fineTune: String, scaling: String) {
        let model = bundle.directory.relativePath
        let out = Self.shellWord(model + "/experiments")
        let ownConfig = FileManager.default.fileExists(atPath: bundle.directory.appendingPathComponent(TrainConfig.modelFileName).path)
        let config = ownConfig ? " --config " + Self.shellWord(model + "/" + TrainConfig.modelFileName) : ""
        return (Format.code("gptx experiment finetune --model \(Self.shellWord(model)) --out \(out)"),
                Format.code("gptx experiment scaling\(config) --out \(out)"))
    }

    /// `word` as one shell word: unchanged when it is plain, single-quoted otherwise.
    static func shellWord(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/-+:@".unicodeScalars.contains($0)) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Every chapter's values, in chapter order.
    public func values(config: LessonConfig) throws(UserError) -> RunValues {
        let c = ChapterContext(run: self, config: resolveSearches(config))
        let sft = try fineTune(c.chapter(2))
        return RunValues(
            ch1: try chapter1(c.chapter(1)), ch2: try chapter2(c.chapter(2), sft: sft), ch3: try chapter3(c.chapter(3)),
            ch4: try chapter4(c.chapter(4)), ch5: try chapter5(c.chapter(5)), ch6: try chapter6(c.chapter(6)),
            ch7: try chapter7(c.chapter(7)), ch8: try chapter8(c.chapter(8)), ch9: try chapter9(c.chapter(9)),
            ch10: try chapter10(c.chapter(10), sft: sft), ch11: try chapter11(c.chapter(11)), ch12: try chapter12(c.chapter(12)),
            ch13: chapter13(), ch14: try chapter14(c.chapter(14)))
    }
}

/// One chapter's config as the value functions read it, with errors that name file and chapter.
struct ChapterView {
    let config: ChapterConfig
    let file: String
    var what: String { "\(file): chapter \(config.number)" }

    func fail(_ problem: String) -> UserError { UserError("\(what): \(problem)") }

    func scenario(_ id: String) throws(UserError) -> ScenarioConfig {
        guard let s = config.scenarios.first(where: { $0.id == id }) else {
            throw fail("scenario \"\(id)\" is missing; the chapter's values need it")
        }
        return s
    }

    /// A figure parameter as an integer, or `fallback` when the figure or the parameter is absent.
    func int(_ figure: String, _ key: String, _ fallback: Int) throws(UserError) -> Int {
        guard let text = config.figures.first(where: { $0.id == figure })?.parameters[key]?.text else { return fallback }
        guard let v = Int(text) else { throw fail("figure \"\(figure)\": parameter \(key) \"\(text)\" should be an integer") }
        return v
    }

    /// A figure parameter as text.
    func text(_ figure: String, _ key: String) -> String? { config.figures.first(where: { $0.id == figure })?.parameters[key]?.text }
}

struct ChapterContext {
    let run: EngineRun
    let config: LessonConfig
    func chapter(_ n: Int) throws(UserError) -> ChapterView {
        guard let c = config.chapter(n) else { throw UserError("\(run.configName): chapter \(n) is missing") }
        return ChapterView(config: c, file: run.configName)
    }
}
