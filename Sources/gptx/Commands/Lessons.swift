import ArgumentParser
import Foundation
import Figures
import Lessons
import TinyGPT

/// `gptx lessons`: the 14 chapters in zh and en, their figures and the walkthroughs, into `output/`.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons",
        abstract: "Build the lessons (markdown, figures, walkthroughs) from a real run of the model.",
        discussion: "With --walkthrough NAME --prompt TEXT, builds only that walkthrough for the given prompt into OUT/walkthroughs/NAME/.")

    @Option(help: "zh | en | all") var lang = "all"
    @Option(help: "Output folder.") var out = "output"
    @OptionGroup var model: ModelOptions
    @Option(help: "Folder with lessons.json, templates/ and train-config.json (the training config used when the model folder has no train-config.json of its own).") var lessons = "lessons"
    @Option(help: "Build only this walkthrough (a name from lessons.json), for --prompt.") var walkthrough: String?
    @Option(help: "The prompt for --walkthrough.") var prompt: String?
    @Option(name: .customLong("png-scale"), help: "PNG pixels per point (1...4).") var pngScale: Double = 2

    func run() throws {
        let languages = try Self.languages(lang)
        guard (1...4).contains(pngScale) else { throw UserError("--png-scale \(pngScale) is out of range: allowed 1...4") }
        let pipeline = LessonPipeline(lessons: URL(fileURLWithPath: lessons), model: URL(fileURLWithPath: model.model), pngScale: pngScale)
        switch (walkthrough, prompt) {
        case (nil, nil):
            try pipeline.build(languages: languages, output: URL(fileURLWithPath: out))
            print("lessons: \(languages.map(\.rawValue).joined(separator: ", ")) → \(out)/")
        case (let name?, let text?):
            try pipeline.buildWalkthrough(name: name, prompt: text, languages: languages, output: URL(fileURLWithPath: out))
            print("walkthrough \(name) → \(out)/walkthroughs/\(name)/")
        case (nil, _?): throw UserError("--prompt needs --walkthrough NAME")
        case (_?, nil): throw UserError("--walkthrough needs --prompt TEXT")
        }
    }

    /// `zh`, `en` or `all`.
    static func languages(_ text: String) throws(UserError) -> [Language] {
        if text == "all" { return Language.allCases }
        guard let l = Language(rawValue: text) else {
            throw UserError("--lang \(text) is not known: allowed \((Language.allCases.map(\.rawValue) + ["all"]).joined(separator: ", "))")
        }
        return [l]
    }
}
