import ArgumentParser
import Figures
import Foundation
import TinyGPT

extension Language: ExpressibleByArgument {}

/// The file formats `gptx render --format` writes.
enum FigureFormat: String, CaseIterable {
    case png, svg, pdf

    /// Parses `png,svg`; the error lists the valid formats.
    static func parse(_ text: String) throws(UserError) -> [FigureFormat] {
        var out: [FigureFormat] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let f = FigureFormat(rawValue: part) else {
                throw UserError("--format \"\(part)\" is not known: allowed \(allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated)")
            }
            if !out.contains(f) { out.append(f) }
        }
        return out
    }

    func encode(_ d: Drawing, scale: Double) throws -> Data {
        switch self {
        case .png: try d.png(scale: scale)
        case .svg: try d.svg()
        case .pdf: try d.pdf()
        }
    }

    /// Encodes every drawing in every format, on both cores: each job writes only its own slot,
    /// so the bytes are the same as one by one. Results are in `drawings` × `formats` order.
    static func encodeAll(_ drawings: [Drawing], formats: [FigureFormat], scale: Double) throws -> [Data] {
        let jobs = drawings.flatMap { d in formats.map { (d, $0) } }
        let results = ResultSlots(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(1, jobs.count))) { worker in
            for i in stride(from: worker, to: jobs.count, by: min(2, jobs.count)) {
                results.set(i, Result { try jobs[i].1.encode(jobs[i].0, scale: scale) })
            }
        }
        return try results.values.map { try $0!.get() }
    }
}

/// One slot per job, written by exactly one worker.
private final class ResultSlots: @unchecked Sendable {
    private(set) var values: [Result<Data, any Error>?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<Data, any Error>) { lock.lock(); values[i] = r; lock.unlock() }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw stage figures of a real run of the model as PNG/SVG/PDF, with figures.json (captions, alt text).",
        discussion: "Stages: \(FigureStage.allCases.map(\.cliName).joined(separator: ", ")); or all. The camelCase names (nextTokenBars) are accepted too.")

    @Argument(help: "The prompt.")
    var prompt: String
    @Option(help: "A stage name, several separated by commas, or all.")
    var stage: String = "all"
    @Option(help: "png, svg, pdf, comma-separated.")
    var format: String = "png,svg"
    @Option(help: "Output folder (replaced files only; written via a temporary folder beside it).")
    var out: String = "figures"
    @Option(help: "PNG pixels per point (1…4).")
    var scale: Double = 2
    @Option(help: "light | dark | print")
    var theme: String = "light"
    @Option(help: "zh | en")
    var lang: Language = .zh
    @Option(name: .customLong("param"), help: "Stage parameter NAME=VALUE (repeatable), e.g. --param layer=1.")
    var params: [String] = []
    @Option(help: "Decoding for the generation stages: greedy | sample | beam.")
    var strategy: DecodingStrategy?
    @Option(help: "Sampling temperature.") var temperature: Float?
    @Option(name: .customLong("top-k"), help: "Sampling top-k.") var topK: Int?
    @Option(name: .customLong("top-p"), help: "Sampling top-p.") var topP: Float?
    @Option(name: .customLong("beam-width"), help: "Beam width.") var beamWidth: Int?
    @Option(name: .customLong("max-tokens"), help: "Tokens to generate.") var maxTokens: Int = 6
    @Option(help: "Seed of the sampler's draws.") var seed: UInt64 = 0
    @OptionGroup var model: ModelOptions

    func run() throws {
        let formats = try FigureFormat.parse(format)
        guard (1...4).contains(scale) else { throw UserError("--scale \(scale) is out of range: allowed 1…4") }
        let theme = try RenderJob.theme(self.theme)
        let stages = try RenderJob.stages(stage)
        var parameters: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw UserError("--param \"\(p)\" is not NAME=VALUE") }
            parameters[parts[0]] = parts[1]
        }
        var options: GenerationOptions?
        if let strategy {
            let o = GenerationOptions(strategy: strategy, temperature: temperature, topK: topK, topP: topP, beamWidth: beamWidth,
                                      maxTokens: maxTokens, seed: seed)
            options = o
        }
        let bundle = try model.load()
        if let options { try options.validate(vocabSize: bundle.model.config.vocabSize) }
        _ = try bundle.promptIDs(prompt)
        let experiments = try ExperimentResults.load(model: bundle.directory)
        let job = RenderJob(bundle: bundle, experiments: experiments, language: lang, theme: theme)
        let (figures, skipped) = try job.render(prompt: prompt, stages: stages, explicit: stage != "all", options: options, parameters: parameters)
        for s in skipped { FileHandle.standardError.write(Data("gptx: skipped \(s)\n".utf8)) }
        let written = try RenderJob.write(figures, formats: formats, scale: scale, to: URL(fileURLWithPath: out),
                                          prompt: prompt, language: lang, theme: theme)
        print("\(figures.count) figures, \(written) files in \(out)")
    }
}

/// Rendering a set of stages for one prompt and writing the files: shared by `render` and `bench render`.
struct RenderJob {
    let bundle: ModelBundle
    let experiments: ExperimentResults
    let language: Language
    let theme: Theme

    static func theme(_ name: String) throws(UserError) -> Theme {
        switch name {
        case "light": return .light
        case "dark": return .dark
        case "print": return .print
        default: throw UserError("--theme \"\(name)\" is not known: allowed light, dark, print")
        }
    }

    static func stages(_ text: String) throws(UserError) -> [FigureStage] {
        if text == "all" { return FigureStage.allCases }
        var out: [FigureStage] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let s = FigureStage(name: part) else {
                throw UserError("--stage \"\(part)\" is not known: allowed all, \(FigureStage.allCases.map(\.cliName).joined(separator: ", "))")
            }
            if !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// The figures of `stages`. With `explicit: false` (all stages), a stage whose experiment
    /// result is missing is skipped and reported instead of failing the whole set; parameters
    /// apply to the stages that know them.
    func render(prompt: String, stages: [FigureStage], explicit: Bool, options: GenerationOptions?,
                parameters: [String: String]) throws(UserError) -> (figures: [(FigureStage, StageFigure)], skipped: [String])
    {
        let renderer = StageRenderer(bundle: bundle, experiments: experiments, language: language, theme: theme,
                                     trainConfig: Self.trainConfig(near: bundle.directory))
        var figures: [(FigureStage, StageFigure)] = [], skipped: [String] = []
        for stage in stages {
            let allowed = Set(stage.parameters).union(stage.isWalkthrough ? ["frame", "frames"] : [])
            let p = explicit ? parameters : parameters.filter { allowed.contains($0.key) }
            let request = StageRequest(stage: stage, prompt: prompt, options: options, parameters: p)
            do {
                for f in try renderer.render(request) { figures.append((stage, f)) }
            } catch {
                let missing = !explicit && (stage == .scalingLaw || stage == .fineTuneShift) && error.message.contains("is missing")
                guard missing else { throw error }
                skipped.append("\(stage.rawValue): \(error.message)")
            }
        }
        return (figures, skipped)
    }

    /// `train-config.json` beside the model folder (the shipped layout), for the clip threshold.
    static func trainConfig(near model: URL) -> TrainConfig? {
        let url = model.deletingLastPathComponent().appendingPathComponent("train-config.json")
        return try? TrainConfig.load(from: url)
    }

    /// Encodes every figure in every format and moves the files into `directory` only once all
    /// of them exist: they are written to a temporary folder beside it first.
    static func write(_ figures: [(FigureStage, StageFigure)], formats: [FigureFormat], scale: Double, to directory: URL,
                      prompt: String, language: Language, theme: Theme) throws(UserError) -> Int
    {
        let fm = FileManager.default
        let dir = directory.standardizedFileURL
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir.path, isDirectory: &isDir), !isDir.boolValue {
            throw UserError("--out \(directory.path) is a file, not a directory")
        }
        let parent = dir.deletingLastPathComponent()
        let temp = parent.appendingPathComponent(".\(dir.lastPathComponent).tmp-\(getpid())")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fm.removeItem(at: temp)
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
        } catch {
            throw UserError("--out \(directory.path): the folder is not writable (cannot create \(temp.lastPathComponent) in \(parent.path))")
        }
        var names: [String] = []
        do {
            var index: [[String: Any]] = []
            var encoded = try FigureFormat.encodeAll(figures.map(\.1.drawing), formats: formats, scale: scale).makeIterator()
            for (stage, f) in figures {
                var files: [String] = []
                for format in formats {
                    let name = "\(f.name).\(format.rawValue)"
                    try encoded.next()!.write(to: temp.appendingPathComponent(name))
                    files.append(name)
                }
                names += files
                index.append(["name": f.name, "stage": stage.rawValue, "caption": f.caption, "alt": f.alt, "title": f.drawing.title, "files": files])
            }
            let json: [String: Any] = ["prompt": prompt, "language": language.rawValue, "theme": theme.name, "figures": index]
            try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                .write(to: temp.appendingPathComponent("figures.json"))
            names.append("figures.json")
            if !fm.fileExists(atPath: dir.path) {
                try fm.moveItem(at: temp, to: dir)
            } else {
                for name in names {
                    let target = dir.appendingPathComponent(name)
                    if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                    try fm.moveItem(at: temp.appendingPathComponent(name), to: target)
                }
                try fm.removeItem(at: temp)
            }
        } catch let e as FigureError {
            try? fm.removeItem(at: temp)
            throw UserError(e.description)
        } catch {
            try? fm.removeItem(at: temp)
            throw UserError("--out \(directory.path): cannot write the figures (\(error.localizedDescription))")
        }
        return names.count
    }
}
