import TinyGPT
import Figures
import Foundation

/// Builds the lessons: `output/<lang>/NN-slug.md` for all 14 chapters, their figures,
/// `output/<lang>/README.md`, and `output/walkthroughs/<name>/`.
///
///     let builder = LessonBuilder(lessonsDirectory: URL(fileURLWithPath: "lessons"),
///                                 run: EngineRun(bundle: bundle), figures: CairoFigures())
///     try builder.build(languages: [.zh, .en], outputDirectory: URL(fileURLWithPath: "output"))
///
/// The build happens in a staging folder next to the output and is swapped in only when every
/// check passed: a failure leaves the previous output as it was. Same inputs give the same bytes.
public struct LessonBuilder {
    /// Folder holding `lessons.json` and `templates/<lang>/`.
    public var lessonsDirectory: URL
    /// The measured values.
    public var run: any LessonRun
    /// Draws the figures.
    public var figures: any FigureSource
    /// If set, every code reference must name a file under this root that declares the symbol.
    public var sourceRoot: URL?
    /// Threads that draw figures (when the figure source is thread-safe); the output does not depend on it.
    public var threads: Int = 2

    /// A builder over a lessons folder, a run and a figure source.
    public init(lessonsDirectory: URL, run: any LessonRun, figures: any FigureSource, sourceRoot: URL? = nil) {
        self.lessonsDirectory = lessonsDirectory
        self.run = run
        self.figures = figures
        self.sourceRoot = sourceRoot
    }

    var display: String { lessonsDirectory.standardizedFileURL.lastPathComponent }
    var configName: String { "\(display)/lessons.json" }

    /// Loads and fully validates the config (structure, stages, strategies, prompts against the model, code references).
    public func loadConfig() throws(UserError) -> LessonConfig {
        let config = try LessonConfig.load(file: lessonsDirectory.appendingPathComponent("lessons.json"), name: configName)
        try config.validatePrompts(name: configName, run: run)
        if let sourceRoot { try checkCodeReferences(config, root: sourceRoot) }
        return run.resolveSearches(config)
    }

    /// Builds every chapter in `languages` plus the walkthroughs, then swaps them into `outputDirectory`.
    /// Returns what every lesson printed, key by key, for checks.
    @discardableResult
    public func build(languages: [Language], outputDirectory: URL) throws(UserError) -> BuildReport {
        let languages = Array(Set(languages)).sorted()
        guard !languages.isEmpty else { throw UserError("no language given: allowed \(Language.allCases.map(\.rawValue).joined(separator: ", "))") }
        let config = try loadConfig()
        var templates: [Language: TemplateSet] = [:]
        for language in languages {
            templates[language] = try TemplateSet.load(directory: lessonsDirectory.appendingPathComponent("templates"),
                                                       displayDirectory: "\(display)/templates", language: language, config: config)
        }
        let values = try run.values(config: config)
        let stage = try StagedOutput(output: outputDirectory)
        var report = BuildReport()
        do {
            // Every figure of every language and every walkthrough frame is drawn in one batch (in parallel
            // when the source allows), then the lessons are written in order.
            var chapterJobs: [Language: [ChapterJob]] = [:]
            var jobs: [RenderJob] = []
            for language in languages {
                let js = try self.chapterJobs(language, languages: languages, config: config, values: values, templates: templates[language]!)
                chapterJobs[language] = js
                jobs += js.flatMap { $0.specs.map { RenderJob(spec: $0, language: language) } }
            }
            let counts = try walkthroughFrameCounts(config: config, languages: languages)
            let walkJobs = walkthroughJobs(config: config, languages: languages, counts: counts)
            let drawn = try renderAll(jobs + walkJobs)
            var at = 0
            for language in languages {
                let js = chapterJobs[language]!
                let perChapter = js.map { job -> [RenderedFigure] in
                    defer { at += job.specs.count }
                    return Array(drawn[at..<(at + job.specs.count)])
                }
                report.bindings[language] = try finishLanguage(language, jobs: js, drawn: perChapter, languages: languages, config: config,
                                                               templates: templates[language]!, stage: stage)
            }
            try finishWalkthroughs(config: config, languages: languages, counts: counts, drawn: Array(drawn[at...]), stage: stage)
            let shown = outputDirectory.standardizedFileURL.lastPathComponent
            try OutputChecks.checkChapters(in: stage.staging, config: config, languages: languages, display: shown)
            try OutputChecks.checkLinks(in: stage.staging, display: shown)
            try stage.commit(entries: languages.map(\.rawValue) + ["walkthroughs"])
        } catch {
            stage.discard()
            throw error
        }
        return report
    }

    /// Builds one configured walkthrough (`name`) for another prompt into `outputDirectory/walkthroughs/<name>/`,
    /// leaving everything else in the output as it is.
    public func buildWalkthrough(name: String, prompt: String, languages: [Language], outputDirectory: URL) throws(UserError) {
        let languages = Array(Set(languages)).sorted()
        var config = try loadConfig()
        guard var walk = config.walkthroughs.first(where: { $0.name == name }) else {
            throw UserError("walkthrough \"\(name)\" is not configured in \(configName): known walkthroughs are \(config.walkthroughs.map(\.name).joined(separator: ", "))")
        }
        walk.scenario.prompt = prompt
        config.walkthroughs = [walk]
        let count: Int
        do { count = try run.tokenCount(prompt) } catch { throw UserError("--prompt: \(error.message)") }
        if count == 0 { throw UserError("--prompt is empty: it needs at least one token") }
        if count + walk.scenario.maxNewTokens > run.facts.contextLength {
            throw UserError("--prompt is \(count) tokens + \(walk.scenario.maxNewTokens) new, but the model reads at most \(run.facts.contextLength) tokens")
        }
        let stage = try StagedOutput(output: outputDirectory)
        do {
            try buildWalkthroughs(config: config, languages: languages, stage: stage)
            try stage.commit(entries: ["walkthroughs/\(name)"])
        } catch {
            stage.discard()
            throw error
        }
    }

    // MARK: Chapters

    /// One chapter of one language, ready for its figures: the template context and the figure specs.
    struct ChapterJob {
        var language: Language
        var chapter: ChapterConfig
        var context: [String: Any]
        var specs: [FigureSpec]
        var bound: [Binding]
        var what: String
    }

    /// Contexts and figure specs of every chapter of one language (captions and alt text rendered).
    func chapterJobs(_ language: Language, languages: [Language], config: LessonConfig, values: RunValues, templates: TemplateSet) throws(UserError) -> [ChapterJob] {
        let lang = language.rawValue
        let toc = config.chapters.map { ["number": String($0.number), "title": $0.title[lang]!, "file": $0.baseName + ".md"] as [String: Any] }
        var jobs: [ChapterJob] = []
        for (index, chapter) in config.chapters.enumerated() {
            let what = "\(templates.displayDirectory)/\(chapter.baseName).md.mustache: chapter \(chapter.number)"
            var context = baseContext(language: language, toc: toc, config: config, builtLanguages: languages)
            context["chapter"] = ["number": String(chapter.number), "title": chapter.title[lang]!, "slug": chapter.slug]
            context["nav"] = [
                "index": "README.md",
                "prev": index > 0 ? toc[index - 1] : false,
                "next": index + 1 < toc.count ? toc[index + 1] : false,
            ] as [String: Any]
            var code: [String: Any] = [:]
            for (id, ref) in chapter.code {
                code[id] = ["file": ref.file, "symbol": ref.symbol, "ref": "\(Format.code(ref.file)) · \(Format.code(ref.symbol))"]
            }
            context["code"] = code
            context["ch\(chapter.number)"] = values.chapter(chapter.number)
            var bound: [Binding] = []
            var specs: [FigureSpec] = []
            // A figure whose experiment has not been run for this model is left out (the lesson says so).
            for figure in chapter.figures where !values.lacksData(forStage: figure.stage) {
                let figWhat = "\(configName): chapter \(chapter.number): figure \"\(figure.id)\""
                let caption = try TemplateSet.renderStringRecording(figure.caption[lang]!, context: context, what: "\(figWhat): caption (\(lang))")
                let alt = try TemplateSet.renderStringRecording(figure.alt[lang]!, context: context, what: "\(figWhat): alt text (\(lang))")
                bound += caption.bound + alt.bound
                specs.append(FigureSpec(
                    fileStem: String(format: "%02d-", chapter.number) + kebab(figure.id),
                    chapter: chapter.number, id: figure.id, stage: FigureStage(rawValue: figure.stage)!,
                    parameters: figure.parameters.mapValues(\.text),
                    scenario: try figure.scenario.map { id throws(UserError) in try chapter.scenario(id) },
                    caption: caption.text, alt: alt.text))
            }
            jobs.append(ChapterJob(language: language, chapter: chapter, context: context, specs: specs, bound: bound, what: what))
        }
        return jobs
    }

    /// 1-based numbers for `needles` by where each first occurs in `text` (absent ones last, in
    /// their own order): `["b", "a"]` in "a … b" → [2, 1].
    static func appearanceNumbers(of needles: [String], in text: String) -> [Int] {
        let positions = needles.map { text.range(of: $0)?.lowerBound ?? text.endIndex }
        let order = needles.indices.sorted { (positions[$0], $0) < (positions[$1], $1) }
        var numbers = [Int](repeating: 0, count: needles.count)
        for (rank, i) in order.enumerated() { numbers[i] = rank + 1 }
        return numbers
    }

    /// Writes one language's figures, lessons and README from its jobs and their drawn figures.
    func finishLanguage(_ language: Language, jobs: [ChapterJob], drawn: [[RenderedFigure]], languages: [Language], config: LessonConfig,
                        templates: TemplateSet, stage: StagedOutput) throws(UserError) -> [Int: [Binding]] {
        let lang = language.rawValue
        var bindings: [Int: [Binding]] = [:]
        for (job, figures) in zip(jobs, drawn) {
            let chapter = job.chapter
            for (spec, drawn) in zip(job.specs, figures) {
                try stage.write(drawn.png, to: "\(lang)/figures/\(spec.fileStem).png")
                try stage.write(drawn.svg, to: "\(lang)/figures/\(spec.fileStem).svg")
            }
            func render(numbers: [Int]) throws(UserError) -> (text: String, bound: [Binding]) {
                var context = job.context
                var fig: [String: Any] = [:]
                for (i, (spec, drawn)) in zip(job.specs, figures).enumerated() {
                    fig[spec.id] = Markdown.figure(file: "figures/\(spec.fileStem)", number: "\(chapter.number).\(numbers[i])",
                                                   caption: drawn.caption, alt: drawn.alt, language: language)
                }
                context["fig"] = fig
                return try templates.renderRecording(chapter.baseName, context: context, what: job.what)
            }
            // Figures are numbered in the order the lesson shows them, not the order lessons.json lists them.
            let listed = job.specs.indices.map { $0 + 1 }
            var rendered = try render(numbers: listed)
            let shown = Self.appearanceNumbers(of: job.specs.map { "figures/\($0.fileStem).png" }, in: rendered.text)
            if shown != listed { rendered = try render(numbers: shown) }
            let text = rendered.text
            bindings[chapter.number] = Self.merge(job.bound, rendered.bound)
            for figure in chapter.figures where job.specs.contains(where: { $0.id == figure.id }) && !text.contains("figures/" + String(format: "%02d-", chapter.number) + kebab(figure.id) + ".png") {
                throw UserError("\(job.what): figure \"\(figure.id)\" is configured but the lesson never shows it ({{{fig.\(figure.id)}}})")
            }
            try stage.write(Markdown.normalize(text), to: "\(lang)/\(chapter.baseName).md")
        }
        let toc = config.chapters.map { ["number": String($0.number), "title": $0.title[lang]!, "file": $0.baseName + ".md"] as [String: Any] }
        let index = try templates.render("index", context: baseContext(language: language, toc: toc, config: config, builtLanguages: languages),
                                         what: "\(templates.displayDirectory)/index.md.mustache")
        try stage.write(Markdown.normalize(index), to: "\(lang)/README.md")
        return bindings
    }

    func baseContext(language: Language, toc: [[String: Any]], config: LessonConfig, builtLanguages: [Language]) -> [String: Any] {
        let walkthroughs = config.walkthroughs.map { w -> [String: Any] in
                ["name": w.name, "title": w.title[language.rawValue]!,
                 "file": "../walkthroughs/\(w.name)/" + Walkthroughs.readmeName(language)] }
        let built = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, builtLanguages.contains($0)) })
        return ["lang": language.rawValue, "model": run.facts, "toc": toc, "walkthroughs": walkthroughs, "built": built]
    }

    /// Bindings of captions then text, each key once.
    static func merge(_ a: [Binding], _ b: [Binding]) -> [Binding] {
        var seen = Set<String>()
        return (a + b).filter { seen.insert($0.key).inserted }
    }

    /// One figure to draw, in one language.
    struct RenderJob { var spec: FigureSpec; var language: Language }

    /// Draws every job, on `threads` threads when the figure source allows it; the result is in job order
    /// (and so independent of scheduling). The first failing job, in job order, is the error.
    func renderAll(_ jobs: [RenderJob]) throws(UserError) -> [RenderedFigure] {
        let results = RenderResults(count: jobs.count)
        let source = figures
        nonisolated(unsafe) let work: (Int) -> Void = { i in
            let job = jobs[i]
            do throws(UserError) {
                results.set(i, .success(try source.render(job.spec, language: job.language)))
            } catch { results.set(i, .failure(error)) }
        }
        if threads > 1 && source.isThreadSafe {
            let next = AtomicCounter()
            nonisolated(unsafe) let loop = {
                while true {
                    let i = next.take()
                    if i >= jobs.count { break }
                    work(i)
                }
            }
            // Plain threads: libdispatch may run all iterations on one thread when its pool looks busy.
            let done = DispatchSemaphore(value: 0)
            for _ in 1..<threads {
                let thread = Thread { loop(); done.signal() }
                thread.stackSize = 8 << 20
                thread.start()
            }
            loop()
            for _ in 1..<threads { done.wait() }
        } else {
            for i in jobs.indices { work(i) }
        }
        var out: [RenderedFigure] = []
        for r in results.values {
            switch r! {
            case .success(let f): out.append(f)
            case .failure(let e): throw e
            }
        }
        return out
    }

    // MARK: Walkthroughs

    /// The spec of frame `frame` of a walkthrough; `frames` from the config is only a cap.
    func walkthroughSpec(_ walk: WalkthroughConfig, frame: Int) -> FigureSpec {
        var parameters = walk.parameters.mapValues(\.text)
        parameters["frame"] = String(frame)
        parameters["frames"] = String(walk.frames)
        return FigureSpec(fileStem: String(format: "%03d", frame), chapter: 0, id: walk.name, stage: FigureStage(rawValue: walk.stage)!,
                          parameters: parameters, scenario: walk.scenario, caption: "", alt: "")
    }

    /// How many frames each walkthrough has for its prompt, as the figure source's stage decides from the data.
    func walkthroughFrameCounts(config: LessonConfig, languages: [Language]) throws(UserError) -> [Int] {
        var counts: [Int] = []
        for walk in config.walkthroughs { counts.append(try figures.frameCount(walkthroughSpec(walk, frame: 1), language: languages[0])) }
        return counts
    }

    /// The frames of every walkthrough in every language, each drawn with its own language's labels.
    func walkthroughJobs(config: LessonConfig, languages: [Language], counts: [Int]) -> [RenderJob] {
        var jobs: [RenderJob] = []
        for (walk, count) in zip(config.walkthroughs, counts) {
            for language in languages {
                for frame in 1...count {
                    jobs.append(RenderJob(spec: walkthroughSpec(walk, frame: frame), language: language))
                }
            }
        }
        return jobs
    }

    /// Writes the walkthrough frames and READMEs from the drawn jobs of `walkthroughJobs`.
    func finishWalkthroughs(config: LessonConfig, languages: [Language], counts: [Int], drawn: [RenderedFigure], stage: StagedOutput) throws(UserError) {
        var i = 0
        for (walk, count) in zip(config.walkthroughs, counts) {
            for language in languages {
                var text = "# \(walk.title[language.rawValue]!)\n"
                for frame in 1...count {
                    let stem = Walkthroughs.frameStem(frame, language)
                    let figure = drawn[i]
                    i += 1
                    try stage.write(figure.png, to: "walkthroughs/\(walk.name)/\(stem).png")
                    try stage.write(figure.svg, to: "walkthroughs/\(walk.name)/\(stem).svg")
                    text += "\n## \(frame) / \(count)\n\n![\(Markdown.alt(figure.alt))](\(stem).png)\n\n\(Markdown.text(figure.caption))\n"
                }
                try stage.write(text, to: "walkthroughs/\(walk.name)/\(Walkthroughs.readmeName(language))")
            }
        }
    }

    func buildWalkthroughs(config: LessonConfig, languages: [Language], stage: StagedOutput) throws(UserError) {
        let counts = try walkthroughFrameCounts(config: config, languages: languages)
        try finishWalkthroughs(config: config, languages: languages, counts: counts,
                               drawn: try renderAll(walkthroughJobs(config: config, languages: languages, counts: counts)), stage: stage)
    }

    // MARK: Code references

    /// Every code reference names an existing file that declares the symbol (`func symbol`, `struct symbol`, …).
    public func checkCodeReferences(_ config: LessonConfig, root: URL) throws(UserError) {
        for chapter in config.chapters {
            for (id, ref) in chapter.code.sorted(by: { $0.key < $1.key }) {
                let url = root.appendingPathComponent(ref.file)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                    throw UserError("\(configName): chapter \(chapter.number): code \"\(id)\": file \(ref.file) does not exist")
                }
                let pattern = #"\b(func|struct|class|enum|protocol|actor|var|let|case|typealias)\s+"# + NSRegularExpression.escapedPattern(for: ref.symbol) + #"\b"#
                if text.range(of: pattern, options: .regularExpression) == nil {
                    throw UserError("\(configName): chapter \(chapter.number): code \"\(id)\": \(ref.file) does not declare \(ref.symbol)")
                }
            }
        }
    }
}

/// `nextToken` → `next-token`.
func kebab(_ id: String) -> String {
    var out = ""
    for c in id {
        if c.isUppercase { out += (out.isEmpty ? "" : "-") + c.lowercased() } else { out.append(c) }
    }
    return out
}

/// What a build printed: for every language and chapter, each text value a template placed
/// (captions included), in first-placed order. Tests recompute a sample from the model and
/// compare them with these exact strings.
public struct BuildReport: Sendable {
    /// Language → chapter number → bindings.
    public var bindings: [Language: [Int: [Binding]]] = [:]

    /// The text printed for `key` in chapter `chapter`, if the lesson placed it.
    public func text(_ key: String, chapter: Int, language: Language) -> String? {
        bindings[language]?[chapter]?.first { $0.key == key }?.text
    }
}

/// Per-job results, written from several threads (each index once).
final class RenderResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<RenderedFigure, UserError>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<RenderedFigure, UserError>) { lock.lock(); values[i] = r; lock.unlock() }
}

/// Hands out job indices 0, 1, 2, … to worker threads.
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
}
