import TinyGPT
import Figures
import Foundation

/// Text in each language, keyed by `Language.rawValue` (`{"zh": "…", "en": "…"}`).
public typealias Localized = [String: String]

/// `lessons/lessons.json`: every chapter with its scenarios, figures and code references,
/// and the classroom walkthroughs. Decode with `LessonConfig.load(file:)`, which validates.
public struct LessonConfig: Codable, Sendable {
    /// All 14 chapters, in order.
    public var chapters: [ChapterConfig]
    /// Step-through frame sequences.
    public var walkthroughs: [WalkthroughConfig]

    /// The chapter with this number.
    public func chapter(_ number: Int) -> ChapterConfig? { chapters.first { $0.number == number } }
}

/// One chapter of the primer.
public struct ChapterConfig: Codable, Sendable {
    /// 1…14, the primer's order.
    public var number: Int
    /// English slug: the file is `NN-slug.md`.
    public var slug: String
    /// Title per language.
    public var title: Localized
    /// Model runs the chapter's values and figures come from.
    public var scenarios: [ScenarioConfig]
    /// Figures, in the order the lesson shows them.
    public var figures: [FigureConfig]
    /// Code the lesson quotes: id → file and function, bound as `code.<id>.*`.
    public var code: [String: CodeRef]

    /// `05-masked-self-attention`.
    public var baseName: String { String(format: "%02d-", number) + slug }

    /// The scenario with this id, or an error naming the chapter.
    public func scenario(_ id: String) throws(UserError) -> ScenarioConfig {
        guard let s = scenarios.first(where: { $0.id == id }) else {
            throw UserError("lessons.json: chapter \(number): scenario \"\(id)\" is missing; the chapter's values need it")
        }
        return s
    }
}

/// A prompt and how to continue it.
public struct ScenarioConfig: Codable, Sendable {
    /// Referenced by figures and by the chapter's value computation.
    public var id: String
    /// The text fed to the tokenizer.
    public var prompt: String
    /// How new tokens are chosen.
    var strategy: StrategyConfig
    /// Tokens to generate (0: only the next-token distribution).
    public var maxNewTokens: Int
    /// Seed of the sampler; required for random strategies so runs repeat.
    public var seed: UInt64?
    /// Search for a repetition loop: try `prompt`, then the corpus's this many most frequent
    /// document openings (first 2 and 3 characters), and keep the prompt whose continuation loops
    /// back to back over the most tokens (`EngineRun.resolveSearches`).
    public var searchOpenings: Int?
    /// What the search found (set by `resolveSearches`, never read from the file).
    public var searched: LoopSearch?

    enum CodingKeys: String, CodingKey { case id, prompt, strategy, maxNewTokens, seed, searchOpenings }

    /// The validated strategy (valid after `LessonConfig.load`).
    public var resolvedStrategy: Strategy { (try? strategy.resolve()) ?? .greedy }
}

/// The outcome of a scenario's loop search: how many prompts were tried, how many of their
/// continuations loop back to back, and the prompt the file gave (kept when none loops).
public struct LoopSearch: Sendable, Equatable {
    public var tried: Int
    public var looping: Int
    public var givenPrompt: String
    public init(tried: Int, looping: Int, givenPrompt: String) { self.tried = tried; self.looping = looping; self.givenPrompt = givenPrompt }
}

/// One figure of a lesson.
public struct FigureConfig: Codable, Sendable {
    /// Mustache key: the lesson places it with `{{{fig.<id>}}}`.
    public var id: String
    /// Raw `FigureStage` name.
    public var stage: String
    /// Scenario id in the same chapter, if the figure shows a run.
    public var scenario: String?
    /// Stage parameters.
    public var parameters: [String: ParameterValue]
    /// Caption per language: a Mustache template over the chapter context, so numbers come from the run.
    public var caption: Localized
    /// Alt text per language, likewise a template.
    public var alt: Localized
}

/// A place in the source tree: `Sources/Kernels/Attention.swift`, `attentionForward`.
public struct CodeRef: Codable, Sendable, Equatable {
    /// Path from the package root.
    public var file: String
    /// Function or type name as it appears after `func`/`struct`/`class`/`enum`.
    public var symbol: String
}

/// A classroom walkthrough: numbered frames from one stage.
public struct WalkthroughConfig: Codable, Sendable {
    /// Folder name under `output/walkthroughs/`.
    public var name: String
    /// Title per language.
    public var title: Localized
    /// Raw `FigureStage` name.
    public var stage: String
    /// The run the frames show.
    public var scenario: ScenarioConfig
    /// Upper bound on the number of frames; the stage decides the count from the prompt (e.g. one per query row).
    public var frames: Int
    /// Extra stage parameters.
    public var parameters: [String: ParameterValue]
}

/// A stage parameter: a JSON string, number or boolean, kept as canonical text.
public struct ParameterValue: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The value as text (`"3"`, `"0.9"`, `"true"`, `"0.5,1,2"`).
    public var text: String
    /// Wraps a text value.
    public init(_ text: String) { self.text = text }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { text = String(b) }
        else if let i = try? c.decode(Int.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = String(d) }
        else { text = try c.decode(String.self) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
    public var description: String { text }
}

extension LessonConfig {
    /// Reads and validates the config. `name` is how errors show the file (`lessons/lessons.json`).
    public static func load(file: URL, name: String) throws(UserError) -> LessonConfig {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw UserError("\(name): cannot be read") }
        let config: LessonConfig
        do { config = try JSONDecoder().decode(LessonConfig.self, from: data) } catch {
            throw UserError("\(name): \(describeDecoding(error))")
        }
        try config.validate(name: name)
        return config
    }

    /// Checks everything that does not need the model: the 14 chapters, unique ids, known stages,
    /// parameters and strategies, captions in every language. Errors read `FILE: chapter N: problem`.
    public func validate(name: String) throws(UserError) {
        let numbers = chapters.map(\.number)
        if numbers != Array(1...14) {
            throw UserError("\(name): chapters must be numbered 1…14 in order, found \(numbers.map(String.init).joined(separator: ","))")
        }
        for chapter in chapters {
            func fail(_ problem: String) -> UserError { UserError("\(name): chapter \(chapter.number): \(problem)") }
            guard chapter.slug.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
                throw fail("slug \"\(chapter.slug)\" must be lowercase English words joined by -")
            }
            for language in Language.allCases where (chapter.title[language.rawValue] ?? "").isEmpty {
                throw fail("title in \(language.rawValue) is missing")
            }
            var scenarioIDs = Set<String>()
            for scenario in chapter.scenarios {
                guard scenarioIDs.insert(scenario.id).inserted else { throw fail("scenario \"\(scenario.id)\" is defined twice") }
                do { try scenario.validateStatic() } catch { throw fail("scenario \"\(scenario.id)\": \(error.message)") }
            }
            var figureIDs = Set<String>()
            for figure in chapter.figures {
                func figureFail(_ problem: String) -> UserError { fail("figure \"\(figure.id)\": \(problem)") }
                guard figure.id.range(of: "^[a-zA-Z][a-zA-Z0-9]*$", options: .regularExpression) != nil else {
                    throw figureFail("id must be letters and digits (it is a Mustache key)")
                }
                guard figureIDs.insert(figure.id).inserted else { throw figureFail("is defined twice") }
                guard let stage = FigureStage(rawValue: figure.stage) else {
                    throw figureFail("unknown stage \"\(figure.stage)\"; known stages: \(FigureStage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if let unknown = Set(figure.parameters.keys).subtracting(stage.parameters).sorted().first {
                    throw figureFail("stage \(stage.rawValue) has no parameter \"\(unknown)\"; it takes: \(stage.parameters.sorted().joined(separator: ", "))")
                }
                if let s = figure.scenario, !scenarioIDs.contains(s) {
                    throw figureFail("scenario \"\(s)\" is not defined in this chapter")
                }
                for language in Language.allCases {
                    if (figure.caption[language.rawValue] ?? "").isEmpty { throw figureFail("caption in \(language.rawValue) is missing") }
                    if (figure.alt[language.rawValue] ?? "").isEmpty { throw figureFail("alt text in \(language.rawValue) is missing") }
                }
            }
            for (id, ref) in chapter.code where ref.file.isEmpty || ref.symbol.isEmpty || id.isEmpty {
                throw fail("code reference \"\(id)\" needs a file and a symbol")
            }
        }
        var names = Set<String>()
        for walk in walkthroughs {
            func fail(_ problem: String) -> UserError { UserError("\(name): walkthrough \(walk.name): \(problem)") }
            guard names.insert(walk.name).inserted else { throw fail("is defined twice") }
            guard walk.name.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
                throw fail("name must be lowercase English words joined by -")
            }
            guard let stage = FigureStage(rawValue: walk.stage) else {
                throw fail("unknown stage \"\(walk.stage)\"; known stages: \(FigureStage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let unknown = Set(walk.parameters.keys).subtracting(stage.parameters).sorted().first {
                throw fail("stage \(stage.rawValue) has no parameter \"\(unknown)\"")
            }
            guard (1...999).contains(walk.frames) else { throw fail("frames \(walk.frames) is out of range: allowed 1...999") }
            for language in Language.allCases where (walk.title[language.rawValue] ?? "").isEmpty {
                throw fail("title in \(language.rawValue) is missing")
            }
            do { try walk.scenario.validateStatic() } catch { throw fail("scenario \"\(walk.scenario.id)\": \(error.message)") }
        }
    }

    /// Checks every prompt against the model: it must tokenize to at least one token and, with the
    /// tokens it will generate, fit the context window.
    public func validatePrompts(name: String, run: any LessonRun) throws(UserError) {
        let limit = run.facts.contextLength
        func check(_ s: ScenarioConfig, _ owner: String) throws(UserError) {
            let count: Int
            do { count = try run.tokenCount(s.prompt) } catch {
                throw UserError("\(name): \(owner): scenario \"\(s.id)\": prompt cannot be tokenized: \(error.message)")
            }
            if count == 0 { throw UserError("\(name): \(owner): scenario \"\(s.id)\": prompt is empty; it needs at least one token") }
            if count + s.maxNewTokens > limit {
                throw UserError("\(name): \(owner): scenario \"\(s.id)\": prompt is \(count) tokens + \(s.maxNewTokens) new, but the model reads at most \(limit) tokens: shorten the prompt or maxNewTokens, or train the model with a larger n_positions")
            }
        }
        for chapter in chapters { for s in chapter.scenarios { try check(s, "chapter \(chapter.number)") } }
        for walk in walkthroughs { try check(walk.scenario, "walkthrough \(walk.name)") }
    }
}

extension ScenarioConfig {
    func validateStatic() throws(UserError) {
        if !id.contains(where: { !$0.isWhitespace }) { throw UserError("id is empty") }
        let resolved = try strategy.resolve()
        if !(0...4096).contains(maxNewTokens) { throw UserError("maxNewTokens \(maxNewTokens) is out of range: allowed 0...4096") }
        if resolved.isRandom && seed == nil { throw UserError("strategy \(resolved.name) draws at random and needs a seed") }
        if let n = searchOpenings {
            if !(1...1000).contains(n) { throw UserError("searchOpenings \(n) is out of range: allowed 1...1000") }
            if resolved != .greedy { throw UserError("searchOpenings looks for a greedy loop: the strategy must be greedy") }
            if maxNewTokens < 2 { throw UserError("searchOpenings needs maxNewTokens of at least 2 to see a loop") }
        }
    }
}

/// One line for a JSON decoding failure: what and where.
func describeDecoding(_ error: any Error) -> String {
    func at(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
    switch error {
    case DecodingError.keyNotFound(let key, let ctx): return "missing key \"\(key.stringValue)\" at \(at(ctx.codingPath).isEmpty ? "top level" : at(ctx.codingPath))"
    case DecodingError.typeMismatch(let type, let ctx): return "\(at(ctx.codingPath)) should be \(type)"
    case DecodingError.valueNotFound(_, let ctx): return "\(at(ctx.codingPath)) is null"
    case DecodingError.dataCorrupted(let ctx): return ctx.codingPath.isEmpty ? "is not valid JSON" : "bad value at \(at(ctx.codingPath))"
    default: return "cannot be decoded"
    }
}
