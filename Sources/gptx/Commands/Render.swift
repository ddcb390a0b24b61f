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

    /// The file's bytes; `metadata` (a `Provenance.json`) goes into PNG and SVG (PDF has none).
    func encode(_ d: Drawing, scale: Double, metadata: String? = nil) throws -> Data {
        switch self {
        case .png: try d.png(scale: scale, metadata: metadata)
        case .svg: try d.svg(metadata: metadata)
        case .pdf: try d.pdf()
        }
    }

    /// Encodes every drawing in every format, on both cores: each job writes only its own slot,
    /// so the bytes are the same as one by one. Results are in `drawings` × `formats` order.
    /// `metadata[i]`, when given, is drawing i's provenance.
    static func encodeAll(_ drawings: [Drawing], formats: [FigureFormat], scale: Double, metadata: [String]? = nil) throws -> [Data] {
        let jobs = drawings.indices.flatMap { d in formats.map { (d, $0) } }
        let results = ResultSlots(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(1, jobs.count))) { worker in
            for i in stride(from: worker, to: jobs.count, by: min(2, jobs.count)) {
                let (d, format) = jobs[i]
                results.set(i, Result { try format.encode(drawings[d], scale: scale, metadata: metadata?[d]) })
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

    @Argument(help: "The prompt (not with --again).")
    var prompt: String?
    @Option(help: ArgumentHelp("Rebuild FIGURE.svg or FIGURE.png from the provenance it carries (prompt, stage, parameters, theme, language, scale), byte for byte; refused when the model file's SHA-256 differs. Writes into --out when given, else over FIGURE.",
                               valueName: "FIGURE"))
    var again: String?
    @Option(help: "A stage name, several separated by commas, or all.")
    var stage: String = "all"
    @Option(help: "png, svg, pdf, comma-separated.")
    var format: String = "png,svg"
    @Option(help: "Output folder (replaced files only; written via a temporary folder beside it). Default: figures.")
    var out: String?
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
        if let again {
            guard prompt == nil else { throw UserError("--again \(again) takes no prompt: the prompt comes from the figure's provenance") }
            return try rebuild(again)
        }
        guard let prompt else { throw UserError("the prompt is missing: give one (gptx render PROMPT), or --again FIGURE") }
        let out = self.out ?? "figures"
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
        let sha = try bundle.modelSHA256()
        let provenance = figures.map {
            Provenance(modelSHA256: sha, prompt: prompt, stage: $0.stage, figure: $0.figure.name, parameters: $0.parameters,
                       options: options, theme: self.theme, language: lang, scale: scale)
        }
        let written = try RenderJob.write(figures.map { ($0.stage, $0.figure) }, provenance: provenance, formats: formats, scale: scale,
                                          to: URL(fileURLWithPath: out), prompt: prompt, language: lang, theme: theme)
        print("\(figures.count) figures, \(written) files in \(out)")
    }

    /// `--again FIGURE`: the same stage, prompt, parameters, theme, language and scale as the
    /// figure's provenance says, from a model with the same SHA-256, encoded as the same format.
    func rebuild(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.lowercased()
        guard let format = FigureFormat(rawValue: ext), format != .pdf else {
            throw UserError("--again \(path): not a .png or .svg file (only those carry gptx provenance)")
        }
        guard let original = try? Data(contentsOf: url) else { throw UserError("--again \(path): cannot read the file") }
        let p = try Provenance.read(original, file: path)
        guard p.version == GPTXVersion.current else {
            throw UserError("--again \(path): drawn by gptx \(p.version), this is gptx \(GPTXVersion.current); its bytes cannot be promised")
        }
        guard let stage = FigureStage(name: p.stage), let language = Language(rawValue: p.language), (1...4).contains(p.scale) else {
            throw UserError("--again \(path): its gptx provenance is garbled (stage \"\(p.stage)\", language \"\(p.language)\", scale \(p.scale))")
        }
        let theme = try RenderJob.theme(p.theme)
        let bundle = try model.load()
        let sha = try bundle.modelSHA256()
        guard sha == p.modelSHA256 else {
            throw UserError("--again \(path): drawn from a model with SHA-256 \(p.modelSHA256.prefix(12))…, but \(model.model)/model.safetensors is \(sha.prefix(12))…: give that model with --model")
        }
        if let options = p.options { try options.validate(vocabSize: bundle.model.config.vocabSize) }
        let experiments = try ExperimentResults.load(model: bundle.directory)
        let job = RenderJob(bundle: bundle, experiments: experiments, language: language, theme: theme)
        let (figures, _) = try job.render(prompt: p.prompt, stages: [stage], explicit: true, options: p.options, parameters: p.parameters)
        guard let figure = figures.first(where: { $0.figure.name == p.figure }) else {
            throw UserError("--again \(path): stage \(p.stage) draws no figure named \"\(p.figure)\"")
        }
        let data = try format.encode(figure.figure.drawing, scale: p.scale, metadata: p.json)
        let target = out.map { URL(fileURLWithPath: $0).appendingPathComponent(url.lastPathComponent) } ?? url
        do {
            if let out { try FileManager.default.createDirectory(at: URL(fileURLWithPath: out), withIntermediateDirectories: true) }
            try data.write(to: target, options: .atomic)
        } catch {
            throw UserError("--again: cannot write \(target.path) (\(error.localizedDescription))")
        }
        print("rebuilt \(target.path): \(data == original ? "the same bytes as" : "differs from") \(path)")
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
                parameters: [String: String]) throws(UserError)
        -> (figures: [(stage: FigureStage, figure: StageFigure, parameters: [String: String])], skipped: [String])
    {
        let renderer = StageRenderer(bundle: bundle, experiments: experiments, language: language, theme: theme,
                                     trainConfig: Self.trainConfig(near: bundle.directory))
        var figures: [(stage: FigureStage, figure: StageFigure, parameters: [String: String])] = [], skipped: [String] = []
        for stage in stages {
            let allowed = Set(stage.parameters).union(stage.isWalkthrough ? ["frame", "frames"] : [])
            let p = explicit ? parameters : parameters.filter { allowed.contains($0.key) }
            let request = StageRequest(stage: stage, prompt: prompt, options: options, parameters: p)
            do {
                for f in try renderer.render(request) { figures.append((stage, f, p)) }
            } catch {
                let missing = !explicit && (stage == .scalingLaw || stage == .fineTuneShift || stage == .mlpActivations || stage == .inductionPattern) && error.message.contains("is missing")
                guard missing else { throw error }
                skipped.append("\(stage.rawValue): \(error.message)")
            }
        }
        return (figures, skipped)
    }

    /// The model's own `train-config.json`, else the one beside the model folder, for the clip threshold.
    static func trainConfig(near model: URL) -> TrainConfig? {
        let url = TrainConfig.file(forModel: model, fallback: model.deletingLastPathComponent().appendingPathComponent("train-config.json"))
        return try? TrainConfig.load(from: url)
    }

    /// Encodes every figure in every format and moves the files into `directory` only once all
    /// of them exist: they are written to a temporary folder beside it first.
    /// `provenance[i]` goes into figure i's PNG and SVG and its `figures.json` entry.
    static func write(_ figures: [(FigureStage, StageFigure)], provenance: [Provenance], formats: [FigureFormat], scale: Double, to directory: URL,
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
            let metadata = provenance.map(\.json)
            var encoded = try FigureFormat.encodeAll(figures.map(\.1.drawing), formats: formats, scale: scale, metadata: metadata).makeIterator()
            for ((stage, f), json) in zip(figures, metadata) {
                var files: [String] = []
                for format in formats {
                    let name = "\(f.name).\(format.rawValue)"
                    try encoded.next()!.write(to: temp.appendingPathComponent(name))
                    files.append(name)
                }
                names += files
                index.append(["name": f.name, "stage": stage.rawValue, "caption": f.caption, "alt": f.alt, "title": f.drawing.title, "files": files,
                              "provenance": try JSONSerialization.jsonObject(with: Data(json.utf8))])
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
